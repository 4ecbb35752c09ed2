package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every test's statistic and p-value against scipy 1.17 / numpy, on the random and edge-case samples of
 * {@code fixtures/univariate.json} (made by {@code fixtures/make_fixtures.py}; see that script for each case).
 *
 * <p>Tolerance: 1e-9 relative, plus an absolute 1e-12 on statistics that are 0 in exact arithmetic and come
 * out as +-1e-17 from rounding in either implementation (e.g. PSI of identical shares). The asymptotic
 * {@code cramer_von_mises} p-value is {@code 1 - cdf} in scipy, so it carries the cdf's ~1e-15 absolute
 * rounding: there the p-value is compared to 1e-9 relative plus 1e-14 absolute (4 cases need it, with p from
 * 3.5e-10 to 9.3e-7 and differences of 2e-15).
 */
class StatTestFixturesTest {

    static final double REL = 1e-9;
    static final double ABS = 1e-12;

    @TestFactory
    Stream<DynamicTest> everyTestMatchesScipy() {
        JsonNode cases = Fixtures.load("univariate.json").get("cases");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            boolean numeric = c.get("type").asText().equals("numeric");
            Iterator<Map.Entry<String, JsonNode>> it = c.get("tests").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                StatTest test = StatTest.of(e.getKey());
                JsonNode expected = e.getValue();
                String name = c.get("name").asText() + " " + test.id();
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    StatResult r = numeric
                            ? test.test(Fixtures.doubles(c.get("reference")), Fixtures.doubles(c.get("current")))
                            : test.test(strings(c.get("reference")), strings(c.get("current")));
                    double stat = expected.get("statistic").asDouble();
                    assertThat(Fixtures.close(r.statistic(), stat, REL, ABS))
                            .as("%s: statistic %s, scipy %s", name, r.statistic(), stat).isTrue();
                    if (expected.has("p_value")) {
                        double p = expected.get("p_value").asDouble();
                        double abs = test == StatTest.CRAMER_VON_MISES ? 1e-14 : 0;
                        assertThat(Fixtures.close(r.pValue(), p, REL, abs))
                                .as("%s: p-value %s, scipy %s", name, r.pValue(), p).isTrue();
                    } else if (test == StatTest.EMPIRICAL_MMD) {
                        // a seeded permutation p-value (1 + count) / 201: no scipy counterpart
                        assertThat(r.pValue() * 201).isCloseTo(Math.rint(r.pValue() * 201), within(1e-9));
                    } else {
                        assertThat(r.pValue()).isNaN();
                    }
                }));
            }
        }
        assertThat(tests).hasSizeGreaterThan(200);
        return tests.stream();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
