package dev.mlops.drift.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.drift.Fixtures;

import org.junit.jupiter.api.Test;

/**
 * {@code kstwo.sf(x, n)} against scipy 1.17 on a grid that reaches every branch of its algorithm selection
 * (fixtures/kolmogorov.json, from make_fixtures.py).
 */
class KolmogorovTest {

    @Test
    void sf_matchesScipyKstwoOnEveryBranch() {
        JsonNode grid = Fixtures.load("kolmogorov.json").get("kstwo_sf");
        assertThat(grid.size()).isGreaterThan(200);
        StringBuilder failures = new StringBuilder();
        for (JsonNode point : grid) {
            int n = point.get("n").asInt();
            double x = point.get("x").asDouble();
            double expected = point.get("sf").asDouble();
            double actual = Kolmogorov.sf(n, x);
            if (!Fixtures.close(actual, expected, 1e-9, 1e-300)) {
                failures.append(String.format("n=%d x=%s: %s vs scipy %s%n", n, x, actual, expected));
            }
        }
        assertThat(failures.toString()).isEmpty();
    }
}
