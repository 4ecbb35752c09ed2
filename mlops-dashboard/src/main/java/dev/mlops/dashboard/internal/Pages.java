package dev.mlops.dashboard.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Renders each page of the dashboard from the sources: the layout (navigation, style) around a page body. */
public final class Pages {

    /** Path to navigation title, in menu order. */
    static final Map<String, String> PAGES = pages();

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2329;background:#f6f7f9}
            nav{background:#1d2329;padding:8px 16px}nav a{color:#e8eaed;margin-right:18px;text-decoration:none}
            nav a.here{color:#fff;font-weight:bold;border-bottom:2px solid #4f9cf9}
            main{padding:8px 24px 40px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}h3{font-size:15px}
            table{border-collapse:collapse;margin:8px 0;background:#fff}th,td{border:1px solid #d5d9de;padding:3px 8px;
            text-align:left;vertical-align:top;max-width:520px;overflow-wrap:anywhere}th{background:#eceff3}
            tr.bad td{background:#fdecec}tr.alert td{background:#f9d3d3;font-weight:bold}
            .empty{color:#6b7280}code{background:#eceff3;padding:1px 4px}
            svg.chart{background:#fff;border:1px solid #d5d9de;display:block;margin:8px 0}
            .axis{stroke:#8a939c}.tick,.xlabel,.legend{font-size:10px;fill:#3c444c}
            .bar.ok{fill:#3c9a5f}.bar.bad{fill:#d9534f}.bar.alert{fill:#8b1a1a}.bar.other{fill:#9aa3ad}
            .s0{fill:#4f7fd9}.s1{fill:#e8913a}.s2{fill:#3c9a5f}.s3{fill:#a05cc4}.s4{fill:#d9534f}.s5{fill:#6b7280}
            figure{display:inline-block;margin:4px 8px 4px 0}figcaption{font-weight:bold}
            .cards a{display:inline-block;width:200px;margin:6px;padding:12px;background:#fff;border:1px solid #d5d9de;
            color:#1d2329;text-decoration:none}.cards b{display:block;font-size:16px}
            """;

    private Pages() {
    }

    private static Map<String, String> pages() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("/", "Overview");
        p.put("/flows", "Flows");
        p.put("/registry", "Registry");
        p.put("/serving", "Serving");
        p.put("/drift", "Drift");
        p.put("/rag", "RAG");
        p.put("/features", "Feature store");
        return java.util.Collections.unmodifiableMap(p);
    }

    /** The full HTML document of the page at {@code path} (one of {@link #PAGES}). */
    public static String render(String path, Sources s) {
        String body = switch (path) {
            case "/" -> overview(s);
            case "/flows" -> s.flows() == null
                    ? new Html().el("h1", "Flows").notConfigured("The flow run history",
                            "Dashboard.builder().flows(flowEngine.history())").toString()
                    : FlowsPage.of(s.flows(), s.flowRuns(), s.clock()).render();
            case "/registry" -> s.registry() == null
                    ? new Html().el("h1", "Registry").notConfigured("The model registry",
                            "Dashboard.builder().registry(modelRegistry)").toString()
                    : RegistryPage.of(s.registry()).render();
            case "/serving" -> ServingPage.of(s.servingLog(), s.servingModels(), s.servingMeters(), s.servingWindow(),
                    s.clock()).render(s.servingLog() != null, s.servingMeters() != null);
            case "/drift" -> DriftPage.of(s.monitors(), s.driftReports()).render();
            case "/rag" -> RagPage.of(s.ragEvaluations(), s.feedback(), s.cache(), s.cost()).render();
            case "/features" -> s.features() == null
                    ? new Html().el("h1", "Feature store").notConfigured("The feature store",
                            "Dashboard.builder().features(featureStore).featureMeters(meterRegistryOfTheStore)")
                            .toString()
                    : FeaturesPage.of(s.features(), s.featureViews(), s.featureMeters(), s.featureMaxAge())
                            .render(s.featureMeters() != null);
            default -> throw new IllegalArgumentException("no page at " + path);
        };
        return layout(path, PAGES.get(path), body);
    }

    private static String overview(Sources s) {
        Html h = new Html();
        h.el("h1", "MLOps dashboard");
        h.raw("<p>").text("Now: " + Html.time(s.clock().instant())).raw("</p><div class=\"cards\">");
        card(h, "/flows", "Flows", s.flows() != null ? "run history" : "not configured");
        card(h, "/registry", "Registry", s.registry() != null ? s.registry().models().size() + " models"
                : "not configured");
        card(h, "/serving", "Serving", s.servingLog() != null ? String.join(", ", s.servingModels())
                : s.servingMeters() != null ? "live meters" : "not configured");
        card(h, "/drift", "Drift", s.monitors().isEmpty() && s.driftReports().isEmpty() ? "not configured"
                : s.monitors().size() + " monitors, " + s.driftReports().size() + " reports");
        card(h, "/rag", "RAG", s.hasRag() ? "configured" : "not configured");
        card(h, "/features", "Feature store", s.features() != null ? "configured" : "not configured");
        h.raw("</div>");
        return h.toString();
    }

    private static void card(Html h, String href, String title, String status) {
        h.raw("<a href=\"" + href + "\">").el("b", title).text(status).raw("</a>");
    }

    private static String layout(String path, String title, String body) {
        StringBuilder b = new StringBuilder(body.length() + 4096);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.esc(title)).append(" \u2014 MLOps dashboard</title><style>").append(STYLE)
                .append("</style></head><body><nav>");
        PAGES.forEach((p, t) -> b.append("<a href=\"").append(p).append('"')
                .append(p.equals(path) ? " class=\"here\"" : "").append('>').append(Html.esc(t)).append("</a>"));
        b.append("</nav><main id=\"page\" data-page=\"").append(Html.esc(path)).append("\">").append(body)
                .append("</main></body></html>");
        return b.toString();
    }

    /** A minimal page for an error status; {@code message} is escaped. */
    static String error(int status, String title, String message) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status + " "
                + Html.esc(title) + "</title></head><body><h1>" + status + " " + Html.esc(title) + "</h1><p>"
                + Html.esc(message) + "</p></body></html>";
    }
}
