package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.registry.internal.FilterParser;
import dev.mlops.registry.spi.Filter;
import dev.mlops.registry.spi.Filter.Compare;
import dev.mlops.registry.spi.Filter.Entity;
import dev.mlops.registry.spi.Filter.Op;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FilterParserTest {

    @Test
    void parsesMlflowSyntaxAndTheExtensions() {
        Filter f = FilterParser.parse("metrics.accuracy > 0.9 and params.model = 'rf'");
        assertThat(f).isEqualTo(new Filter.And(List.of(
                new Compare(Entity.METRIC, "accuracy", Op.GT, List.of(0.9)),
                new Compare(Entity.PARAM, "model", Op.EQ, List.of("rf")))));
        assertThat(FilterParser.parse("tags.x LIKE '%a%' OR attributes.status IN ('FINISHED', 'FAILED')"))
                .isEqualTo(new Filter.Or(List.of(new Compare(Entity.TAG, "x", Op.LIKE, List.of("%a%")),
                        new Compare(Entity.ATTRIBUTE, "status", Op.IN, List.of("FINISHED", "FAILED")))));
        assertThat(FilterParser.parse("metrics.`val loss` is not null"))
                .isEqualTo(new Compare(Entity.METRIC, "val loss", Op.IS_NOT_NULL, List.of()));
        assertThat(FilterParser.parse("params.name = 'it''s'"))
                .isEqualTo(new Compare(Entity.PARAM, "name", Op.EQ, List.of("it's")));
        assertThat(FilterParser.parse("attributes.start_time >= '2026-11-27T00:00:00Z'"))
                .isEqualTo(new Compare(Entity.ATTRIBUTE, "start_time", Op.GE, List.of(1.7957376E12 /* python3: datetime(2026,11,27,tzinfo=utc).timestamp()*1000 */)));
        assertThat(FilterParser.parse("metrics.val.acc >= -1e-3"))
                .isEqualTo(new Compare(Entity.METRIC, "val.acc", Op.GE, List.of(-0.001)));
        assertThat(FilterParser.parse("params.model NOT LIKE 'r%' and tags.x not ilike '%A'"))
                .isEqualTo(new Filter.And(List.of(new Compare(Entity.PARAM, "model", Op.NOT_LIKE, List.of("r%")),
                        new Compare(Entity.TAG, "x", Op.NOT_ILIKE, List.of("%A")))));
        assertThat(FilterParser.parse("params.model <> 'rf'"))
                .isEqualTo(new Compare(Entity.PARAM, "model", Op.NE, List.of("rf")));
        assertThat(FilterParser.parse("  ")).isEqualTo(Filter.ALL);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // filter | 0-based offending position | a phrase of the message
        "metrics.accuracy > and params.model = 'rf' | 19 | expected a number",
        "metrcs.accuracy > 0.9 | 0 | did you mean 'metrics'",
        "params.model > 'rf' | 13 | needs a numeric column",
        "params.model = 3 | 15 | quote it",
        "metrics.acc like '%a' | 12 | is numeric",
        "metrics.acc not like '%a' | 16 | is numeric",
        "params.m not like 3 | 18 | expected a quoted pattern",
        "params.m not between 'a' | 13 | expected 'in', 'like' or 'ilike' after 'not'",
        "(metrics.a > 1 | 14 | expected ')'",
        "metrics.a > 1) | 13 | unbalanced ')'",
        "params.model = 'rf | 15 | unterminated string",
        "metrics.a > 1 and | 17 | expected a comparison",
        "accuracy > 0.9 | 0 | prefix the key",
        "attributes.colour = 'red' | 11 | unknown attribute",
        "attributes.status = 'DONE' | 20 | unknown run status",
        "metrics.a ! 1 | 10 | '!='",
        "metrics.a > 1 params.b = 'x' | 14 | expected 'and', 'or'",
        "metrics.a in (1 2) | 16 | expected ',' or ')'",
        "metrics.a is nul | 13 | expected 'null'",
        "metrics.a > 1 ; | 14 | unexpected character ';'",
        "metrics. > 1 | 8 | expected a key",
    })
    void errorsPointAtTheOffendingCharacter(String filter, int position, String phrase) {
        assertThatThrownBy(() -> FilterParser.parse(filter))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.getMessage()).contains(phrase)
                            .contains("\n  " + filter + "\n  " + " ".repeat(position) + "^");
                });
    }

    @Test
    void orderByClauses() {
        assertThat(FilterParser.parseOrderBy("metrics.accuracy DESC"))
                .isEqualTo(new Filter.OrderBy(Entity.METRIC, "accuracy", false));
        assertThat(FilterParser.parseOrderBy("attributes.start_time"))
                .isEqualTo(new Filter.OrderBy(Entity.ATTRIBUTE, "start_time", true));
        assertThatThrownBy(() -> FilterParser.parseOrderBy("metrics.a sideways"))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> assertThat(e.position()).isEqualTo(10));
    }
}
