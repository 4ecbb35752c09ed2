package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataFormatExceptionTest {

    @Test
    void message_hasLocationColumnValueAndFix() {
        var cause = new NumberFormatException("For input string: \"12,5\"");
        DataFormatException e = DataFormatException.builder("not a number")
                .source(Path.of("data", "train.csv")).line(42).column("price").value("12,5")
                .fix("use '.' as the decimal separator").cause(cause).build();

        assertThat(e.getMessage()).isEqualTo(Path.of("data", "train.csv")
                + ":42: column 'price': not a number (value: \"12,5\"). Fix: use '.' as the decimal separator");
        assertThat(e.source()).isEqualTo(Path.of("data", "train.csv").toString());
        assertThat(e.line()).isEqualTo(42);
        assertThat(e.column()).isEqualTo("price");
        assertThat(e.value()).isEqualTo("12,5");
        assertThat(e.fix()).isEqualTo("use '.' as the decimal separator");
        assertThat(e.problem()).isEqualTo("not a number");
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.retriable()).isFalse();
    }

    @Test
    void message_omitsUnknownParts() {
        assertThat(DataFormatException.builder("expected 5 fields, found 4").build().getMessage())
                .isEqualTo("expected 5 fields, found 4");
        assertThat(DataFormatException.builder("bad row").line(7).build().getMessage())
                .isEqualTo("line 7: bad row");
        assertThat(DataFormatException.builder("bad row").source(DataFormatException.STREAM).value("").build()
                .getMessage())
                .isEqualTo("<stream>: bad row (value: \"\")");
    }

    @Test
    void message_cutsAHugeValueTo100Chars_andNotesItsLength() {
        String huge = "x".repeat(1_000_000);

        DataFormatException e = DataFormatException.builder("too long").column("text").value(huge).build();

        assertThat(e.getMessage())
                .isEqualTo("column 'text': too long (value: \"" + "x".repeat(100) + "\"... (1000000 chars))");
        assertThat(e.value()).isSameAs(huge);
    }

    @Test
    void message_escapesQuotesAndControlCharacters() {
        DataFormatException e = DataFormatException.builder("unbalanced quote").value("a\"b\nc\u0001").build();

        assertThat(e.getMessage()).isEqualTo("unbalanced quote (value: \"a\\\"b\\nc\\u0001\")");
    }

    @Test
    void message_doesNotSplitASurrogatePairWhenCutting() {
        String value = "a".repeat(99) + "\uD83D\uDE00" + "b".repeat(10); // emoji straddles char 100

        String message = DataFormatException.builder("bad").value(value).build().getMessage();

        assertThat(message).contains("\"" + "a".repeat(99) + "\"... (111 chars)");
    }

    @Test
    void line_rejectsNegative() {
        assertThatThrownBy(() -> DataFormatException.builder("bad").line(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
