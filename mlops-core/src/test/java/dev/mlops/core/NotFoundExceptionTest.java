package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NotFoundExceptionTest {

    @Test
    void message_namesKindAndName_listsAvailable_andSuggestsClosestName() {
        var e = new NotFoundException("column", "prise", List.of("date", "price", "qty"));

        assertThat(e.getMessage()).isEqualTo(
                "column 'prise' not found; did you mean 'price'? Available (3): 'date', 'price', 'qty'");
        assertThat(e.kind()).isEqualTo("column");
        assertThat(e.name()).isEqualTo("prise");
        assertThat(e.available()).containsExactly("date", "price", "qty");
        assertThat(e.suggestion()).contains("price");
        assertThat(e.retriable()).isFalse();
    }

    @Test
    void message_withoutCloseName_hasNoSuggestion() {
        var e = new NotFoundException("model", "fraud", List.of("churn", "ltv"));

        assertThat(e.getMessage()).isEqualTo("model 'fraud' not found. Available (2): 'churn', 'ltv'");
        assertThat(e.suggestion()).isEmpty();
    }

    @Test
    void suggestion_acceptsDistanceTwo_rejectsThree() {
        assertThat(new NotFoundException("column", "pirce", List.of("price")).suggestion())
                .as("a transposition is two edits").contains("price");
        assertThat(new NotFoundException("column", "prxxx", List.of("price")).suggestion()).isEmpty();
    }

    @Test
    void suggestion_ignoresCase_andPrefersTheNearestName() {
        assertThat(new NotFoundException("column", "id", List.of("uid", "ID")).suggestion()).contains("ID");
        assertThat(new NotFoundException("column", "cost", List.of("coast", "cost2", "post")).suggestion())
                .as("all at distance 1: the first listed wins").contains("coast");
    }

    @Test
    void suggestion_isNotMadeForNamesShorterThanTheDistance() {
        assertThat(new NotFoundException("column", "x", List.of("y", "ab")).suggestion()).isEmpty();
    }

    @Test
    void message_listsTwentyNames_thenCountsTheRest() {
        List<String> names = IntStream.range(0, 25).mapToObj(i -> "feature_" + i).toList();

        var e = new NotFoundException("column", "label", names);

        assertThat(e.getMessage())
                .contains("Available (25): 'feature_0', 'feature_1'")
                .contains("'feature_19' ... and 5 more")
                .doesNotContain("feature_20");
        assertThat(e.available()).hasSize(25);
    }

    @Test
    void message_whenNothingExists_saysNone() {
        assertThat(new NotFoundException("alias", "prod", List.of()).getMessage())
                .isEqualTo("alias 'prod' not found. Available (0): none");
    }

    @Test
    void columnNotFound_isANotFoundOfKindColumn() {
        NotFoundException e = new ColumnNotFoundException("Price", List.of("price", "qty"));

        assertThat(e.kind()).isEqualTo("column");
        assertThat(e.getMessage()).startsWith("column 'Price' not found; did you mean 'price'?");
    }

    @Test
    void available_isUnmodifiableCopy() {
        var names = new ArrayList<>(List.of("a1", "b1"));
        var e = new NotFoundException("column", "c1", names);
        names.add("c1");

        assertThat(e.available()).containsExactly("a1", "b1");
        assertThatThrownBy(() -> e.available().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
