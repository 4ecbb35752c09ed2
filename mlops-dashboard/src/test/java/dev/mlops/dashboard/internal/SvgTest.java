package dev.mlops.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgTest {

    private static final Pattern RECT = Pattern.compile(
            "<rect class=\"bar [^\"]*\" x=\"[-0-9.]+\" y=\"([-0-9.]+)\" width=\"[0-9.]+\" height=\"([0-9.]+)\" "
                    + "data-value=\"([^\"]+)\">");

    private static List<double[]> bars(String svg) {
        List<double[]> out = new ArrayList<>();
        Matcher m = RECT.matcher(svg);
        while (m.find()) {
            out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3))});
        }
        return out;
    }

    @Test
    void bars_areProportionalToTheirValues_andTheLargestFillsThePlot() {
        String svg = Svg.bars("t", "title", List.of(new Svg.Bar("a", 2, "ok"), new Svg.Bar("b", 8, "bad"),
                new Svg.Bar("c", 0, "ok"), new Svg.Bar("d", Double.NaN, "other")), " ms");
        List<double[]> bars = bars(svg);
        assertThat(bars).hasSize(4);
        // plot height is 140 px from y=20 to y=160: 8 is the maximum, so 2 is a quarter of it
        assertThat(bars.get(0)[1]).isEqualTo(35.0);
        assertThat(bars.get(1)[1]).isEqualTo(140.0);
        assertThat(bars.get(1)[0]).isEqualTo(20.0);
        assertThat(bars.get(2)[1]).isZero();
        assertThat(bars.get(3)[1]).isZero();
        assertThat(svg).startsWith("<svg class=\"chart\"").endsWith("</svg>").contains(">8 ms<");
    }

    @Test
    void stacked_barsOfOneColumn_addUpToTheirTotal() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("v1", new double[] {3, 1});
        series.put("v2", new double[] {1, 0});
        List<double[]> bars = bars(Svg.stacked("s", "t", List.of("x", "y"), series, ""));
        // column x: 3 + 1 = 4 is the maximum; v1 = 105 px from the bottom, v2 = 35 px on top of it
        assertThat(bars.get(0)[1]).isEqualTo(105.0);
        assertThat(bars.get(0)[0]).isEqualTo(160 - 105.0);
        assertThat(bars.get(1)[1]).isEqualTo(35.0);
        assertThat(bars.get(1)[0]).isEqualTo(160 - 140.0);
    }

    @Test
    void atMostEightXLabels_shareTheAxis() {
        List<Svg.Bar> bars = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bars.add(new Svg.Bar("bar " + i, i, "ok"));
        }
        String svg = Svg.bars("t", "t", bars, "");
        // every third bar is labelled: 0, 3, ..., 18
        assertThat(svg.split("class=\"xlabel\"", -1)).hasSize(8);
        assertThat(svg).contains(">bar 18<").doesNotContain(">bar 19<");
    }

    @Test
    void labelsAndTooltips_areEscaped() {
        String svg = Svg.grouped("g\"><script>", "<b>t</b>", List.of("<i>"), Map.of("</svg>", new double[] {1}), "");
        assertThat(svg).doesNotContain("<script>").doesNotContain("<i>").doesNotContain("<b>")
                .contains("&lt;/svg&gt;");
        assertThat(svg.indexOf("</svg>")).isEqualTo(svg.length() - 6);
    }
}
