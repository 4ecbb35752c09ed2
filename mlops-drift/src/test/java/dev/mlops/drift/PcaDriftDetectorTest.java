package dev.mlops.drift;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link PcaDriftDetector} against {@code fixtures/multivariate/pca.json}, written by
 * {@code make_pca_fixtures.py} with numpy's {@code np.linalg.svd}: 4 columns, (x1, x2) correlated 0.9 and
 * (x3, x4) 0.5 in the reference; the "correlation_flip" current has x1, x2 correlated -0.9 with unchanged
 * marginals (scipy's ks_2samp gives every column p > 0.08), "same_distribution" is a fresh draw of the
 * reference's distribution.
 */
class PcaDriftDetectorTest {

    private static Table table(List<String> names, JsonNode rows) {
        Schema.Builder s = Schema.builder();
        names.forEach(n -> s.add(n, ColumnType.DOUBLE));
        TableBuilder b = Table.builder(s.build());
        for (JsonNode r : rows) {
            Object[] values = new Object[r.size()];
            for (int j = 0; j < values.length; j++) {
                values[j] = r.get(j).asDouble();
            }
            b.addRow(values);
        }
        return b.build();
    }

    private static JsonNode fixture(String name) {
        for (JsonNode c : Fixtures.load("multivariate/pca.json").get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException("no case " + name);
    }

    private static List<String> names(JsonNode c) {
        List<String> out = new ArrayList<>();
        c.get("columns").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void componentsAndErrorsMatchNumpySvd() {
        for (String name : List.of("same_distribution", "correlation_flip")) {
            JsonNode c = fixture(name);
            Table ref = table(names(c), c.get("reference"));
            Table cur = table(names(c), c.get("current"));
            PcaDriftResult r = PcaDriftDetector.builder().varianceExplained(c.get("target").asDouble()).build()
                    .compare(ref, cur);
            assertThat(r.components()).as(name).isEqualTo(c.get("components").asInt());
            double[] ratio = Fixtures.doubles(c.get("explained_variance_ratio"));
            for (int j = 0; j < ratio.length; j++) {
                assertThat(r.explainedVarianceRatio()[j]).as(name + " ratio " + j).isCloseTo(ratio[j], within(1e-9));
            }
            assertThat(r.referenceError()).as(name).isCloseTo(c.get("reference_error").asDouble(), within(1e-9));
            assertThat(r.currentError()).as(name).isCloseTo(c.get("current_error").asDouble(), within(1e-9));
            assertThat(r.columns()).containsExactly("x1", "x2", "x3", "x4");
        }
    }

    @Test
    void aCategoricalColumnIsFrequencyEncodedAsInNumpy() {
        // fixture "mixed_categorical": x1, x2 numeric and c text; numpy replaced c by its reference share
        JsonNode c = fixture("mixed_categorical");
        Table[] t = new Table[2];
        for (int side = 0; side < 2; side++) {
            TableBuilder b = Table.builder(Schema.builder().add("x1", ColumnType.DOUBLE).add("x2", ColumnType.DOUBLE)
                    .add("c", ColumnType.STRING).build());
            for (JsonNode r : c.get(side == 0 ? "reference" : "current")) {
                b.addRow(r.get(0).asDouble(), r.get(1).asDouble(), r.get(2).asText());
            }
            t[side] = b.build();
        }
        PcaDriftResult r = PcaDriftDetector.builder().varianceExplained(c.get("target").asDouble()).build().compare(t[0], t[1]);
        assertThat(r.columns()).containsExactly("x1", "x2", "c");
        assertThat(r.components()).isEqualTo(c.get("components").asInt());
        double[] ratio = Fixtures.doubles(c.get("explained_variance_ratio"));
        for (int j = 0; j < ratio.length; j++) {
            assertThat(r.explainedVarianceRatio()[j]).isCloseTo(ratio[j], within(1e-9));
        }
        assertThat(r.referenceError()).isCloseTo(c.get("reference_error").asDouble(), within(1e-9));
        assertThat(r.currentError()).isCloseTo(c.get("current_error").asDouble(), within(1e-9));
    }

    @Test
    void aCorrelationFlipIsDriftThatUnivariateTestsMiss() {
        JsonNode c = fixture("correlation_flip");
        Table ref = table(names(c), c.get("reference"));
        Table cur = table(names(c), c.get("current"));

        DriftReport univariate = DriftDetector.builder().build().compare(ref, cur);
        assertThat(univariate.columns().values()).noneMatch(ColumnDrift::drift);
        assertThat(univariate.datasetDrift()).isFalse();

        PcaDriftResult r = PcaDriftDetector.builder().build().compare(ref, cur);
        assertThat(r.drift()).isTrue();
        assertThat(r.currentError()).isGreaterThan(r.upper());
        assertThat(r.lower()).isLessThan(r.referenceError());
        assertThat(r.upper()).isGreaterThan(r.referenceError());
    }

    @Test
    void theSameDistributionIsNoDrift() {
        JsonNode c = fixture("same_distribution");
        PcaDriftResult r = PcaDriftDetector.builder().build()
                .compare(table(names(c), c.get("reference")), table(names(c), c.get("current")));
        assertThat(r.drift()).isFalse();
        assertThat(r.currentError()).isBetween(r.lower(), r.upper());
    }

    @Test
    void theBandIsSeeded() {
        JsonNode c = fixture("same_distribution");
        Table ref = table(names(c), c.get("reference"));
        Table cur = table(names(c), c.get("current"));
        PcaDriftResult a = PcaDriftDetector.builder().seed(7).build().compare(ref, cur);
        PcaDriftResult b = PcaDriftDetector.builder().seed(7).build().compare(ref, cur);
        PcaDriftResult other = PcaDriftDetector.builder().seed(8).build().compare(ref, cur);
        assertThat(a.lower()).isEqualTo(b.lower());
        assertThat(a.upper()).isEqualTo(b.upper());
        assertThat(other.upper()).isNotEqualTo(a.upper());
    }

    @Test
    void missingCurrentCellsAreImputedWithTheReferenceMean() {
        Schema s = Schema.builder().add("a", ColumnType.DOUBLE).add("b", ColumnType.DOUBLE).build();
        TableBuilder rb = Table.builder(s);
        for (int i = 0; i < 50; i++) {
            rb.addRow((double) i, (double) (i % 7));
        }
        Table cur = Table.builder(Schema.builder().addNullable("a", ColumnType.DOUBLE).add("b", ColumnType.DOUBLE).build())
                .addRow(null, 3.0).addRow(Double.NaN, 1.0).addRow(4.0, 2.0).build();
        PcaDriftResult r = PcaDriftDetector.builder().build().compare(rb.build(), cur);
        assertThat(r.currentImputed()).isEqualTo(2);
    }

    @Test
    void badInputFailsPrecisely() {
        Schema s = Schema.builder().add("a", ColumnType.DOUBLE).add("k", ColumnType.DOUBLE).add("t", ColumnType.STRING).build();
        TableBuilder rb = Table.builder(s);
        for (int i = 0; i < 10; i++) {
            rb.addRow((double) i, 5.0, "x");
        }
        Table ref = rb.build();
        assertThatThrownBy(() -> PcaDriftDetector.builder().build().compare(ref, ref))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("'k'").hasMessageContaining("constant");
        // a text column is frequency-encoded; one category is as constant as a constant number
        assertThatThrownBy(() -> PcaDriftDetector.builder().columns(List.of("a", "t")).build().compare(ref, ref))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("'t'").hasMessageContaining("constant");
        Table textA = Table.builder(Schema.builder().add("a", ColumnType.STRING).add("k", ColumnType.DOUBLE).build())
                .addRow("1", 2.0).build();
        Table numA = Table.builder(Schema.builder().add("a", ColumnType.DOUBLE).add("k", ColumnType.DOUBLE).build())
                .addRow(1.0, 2.0).addRow(2.0, 1.0).addRow(3.0, 5.0).build();
        assertThatThrownBy(() -> PcaDriftDetector.builder().build().compare(numA, textA))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("'a'").hasMessageContaining("STRING")
                .hasMessageContaining("numeric in the reference");
        assertThatThrownBy(() -> PcaDriftDetector.builder().columns(List.of("a", "zz")).build().compare(ref, ref))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("'zz'").hasMessageContaining("missing");
        Table inf = Table.builder(Schema.builder().add("a", ColumnType.DOUBLE).add("k", ColumnType.DOUBLE).build())
                .addRow(1.0, Double.POSITIVE_INFINITY).build();
        Table ok = Table.builder(inf.schema()).addRow(1.0, 2.0).addRow(2.0, 1.0).addRow(3.0, 5.0).build();
        assertThatThrownBy(() -> PcaDriftDetector.builder().build().compare(ok, inf))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("'k'").hasMessageContaining("Infinity")
                .hasMessageContaining("row 0");
        assertThatThrownBy(() -> PcaDriftDetector.builder().columns(List.of("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> PcaDriftDetector.builder().varianceExplained(1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("varianceExplained");
    }
}
