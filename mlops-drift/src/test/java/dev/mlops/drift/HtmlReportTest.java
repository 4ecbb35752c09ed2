package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTML report: self-contained, every column in the table and with a histogram, names escaped. */
class HtmlReportTest {

    @Test
    void toHtml_isSelfContainedAndShowsEveryColumn() {
        double[] x = new double[300];
        double[] y = new double[300];
        String[] cat = new String[300];
        String[] cat2 = new String[300];
        for (int i = 0; i < 300; i++) {
            x[i] = i / 300.0;
            y[i] = 0.2 + i / 300.0;
            cat[i] = "v" + (i % 3);
            cat2[i] = i % 5 == 0 ? "<b>" : "v" + (i % 2);
        }
        Table ref = Table.of(DoubleColumn.of("x & y", x), StringColumn.of("colour", cat));
        Table cur = Table.of(DoubleColumn.of("x & y", y), StringColumn.of("colour", cat2));
        DriftReport r = DriftDetector.builder().correction(Correction.BONFERRONI).build().compare(ref, cur);
        String html = r.toHtml();

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://")
                .doesNotContain("@import").doesNotContain("url(").doesNotContain("<link");
        // escaped names, never raw markup from the data
        assertThat(html).contains("x &amp; y").doesNotContain("x & y").contains("&lt;b&gt;").doesNotContain("<b>");
        // the table: one row per column with test, threshold and verdict
        assertThat(count(html, "<tr><td><a href=\"#c")).isEqualTo(2);
        assertThat(html).contains("<td>ks</td>").contains("<td>chisquare</td>").contains("adjusted p-value");
        // one histogram per column, with one bar per bin and side (Sturges: 600 values -> 11 bins)
        assertThat(count(html, "<svg ")).isEqualTo(2);
        ColumnHistogram hx = r.columns().get("x & y").histogram();
        assertThat(hx.labels()).hasSize(11);
        assertThat(hx.reference().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        ColumnHistogram hc = r.columns().get("colour").histogram();
        assertThat(hc.labels()).containsExactly("<b>", "v0", "v1", "v2");
        assertThat(hc.current()).containsExactly(0.2, 0.4, 0.4, 0.0);
        assertThat(count(html, "fill-opacity=\"0.55\"")).isEqualTo(2 * (11 + 4));
        assertThat(html).contains(r.datasetDrift() ? "YES" : "no</span>");
    }

    @Test
    void histogram_poolsRareCategoriesBeyond40Bars() {
        String[] ref = new String[1000];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = "k" + (i % 100);
        }
        DriftReport r = DriftDetector.builder().build().compare(Table.of(StringColumn.of("k", ref)), Table.of(StringColumn.of("k", ref)));
        ColumnHistogram h = r.columns().get("k").histogram();
        assertThat(h.labels()).hasSize(40).endsWith("(other)");
        assertThat(h.reference().get(39)).isCloseTo(61 / 100.0, org.assertj.core.api.Assertions.within(1e-12));
    }

    private static int count(String s, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
