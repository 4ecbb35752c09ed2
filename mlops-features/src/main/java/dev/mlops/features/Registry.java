package dev.mlops.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.table.ColumnType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The persisted form of definitions ({@code registry.json}): a JSON document built field by field (no
 * reflection), compared section by section for plans. On-demand features are kept by signature only.
 */
final class Registry {

    static final String FORMAT = "dev.mlops.features.registry/v1";
    static final String[] SECTIONS = {"entities", "views", "services", "onDemand"};
    private static final String[] TYPES = {"entity", "view", "service", "on-demand"};

    private static final ObjectMapper JSON = new ObjectMapper();

    private Registry() {
    }

    static ObjectNode empty() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 0);
        for (String s : SECTIONS) {
            root.putObject(s);
        }
        root.putArray("pins");
        return root;
    }

    static ObjectNode read(Path file) {
        if (!Files.exists(file)) {
            return empty();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (!(n instanceof ObjectNode o) || !FORMAT.equals(o.path("format").asText())) {
                throw new StoreCorruptedException(file, "not a feature registry (format " + n.path("format") + ")",
                        "restore it from history/ or re-apply the definitions in a new home");
            }
            return o;
        } catch (IOException e) {
            throw new StoreCorruptedException(file, "unreadable registry: " + e.getMessage(),
                    "restore it from history/ or re-apply the definitions in a new home", e);
        }
    }

    static byte[] bytes(ObjectNode root) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the registry", e);
        }
    }

    /** The sections of {@code d} (no version, no pins). */
    static ObjectNode encode(Definitions d) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode es = root.putObject("entities");
        d.entities().values().forEach(e -> es.set(e.name(), entity(e)));
        ObjectNode vs = root.putObject("views");
        for (FeatureView v : d.views().values()) {
            ObjectNode n = vs.putObject(v.name());
            n.put("entity", v.entity().name());
            n.put("joinKey", v.entity().joinKey());
            n.put("keyType", v.entity().keyType().name());
            ObjectNode fs = n.putObject("features");
            v.features().forEach(f -> fs.put(f.name(), f.type().name()));
            n.put("ttl", v.ttl().toString());
            n.put("source", v.source().path().toString());
            n.put("format", v.source().format().name());
            n.put("eventTimestamp", v.source().eventTimestampColumn());
            n.put("createdTimestamp", v.source().createdTimestampColumn());
            n.put("online", v.online());
            ObjectNode tags = n.putObject("tags");
            v.tags().forEach(tags::put);
            n.put("owner", v.owner());
            if (!v.aggregations().isEmpty()) {
                ObjectNode ag = n.putObject("aggregations");
                for (Aggregation a : v.aggregations()) {
                    ag.putObject(a.name()).put("feature", a.feature()).put("kind", a.kind().name())
                            .put("window", a.window().toString())
                            .put("type", a.outputType(v.feature(a.feature()).type()).name());
                }
            }
        }
        ObjectNode ss = root.putObject("services");
        for (FeatureService s : d.services().values()) {
            ObjectNode n = ss.putObject(s.name() + ":" + s.version());
            ArrayNode a = n.putArray("features");
            s.features().forEach(a::add);
        }
        ObjectNode os = root.putObject("onDemand");
        for (OnDemandFeature o : d.onDemand().values()) {
            ObjectNode n = os.putObject(o.ref().toString());
            n.put("type", o.type().name());
            ArrayNode in = n.putArray("inputs");
            o.inputs().forEach(r -> in.add(r.toString()));
            ArrayNode rq = n.putArray("requestFields");
            o.requestFields().forEach(rq::add);
        }
        return root;
    }

    private static ObjectNode entity(Entity e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("joinKey", e.joinKey());
        n.put("keyType", e.keyType().name());
        return n;
    }

    /** The differences from {@code current} to {@code proposed}. */
    static List<Change> diff(ObjectNode current, ObjectNode proposed) {
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < SECTIONS.length; i++) {
            JsonNode a = current.path(SECTIONS[i]);
            JsonNode b = proposed.path(SECTIONS[i]);
            TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                JsonNode x = a.get(n);
                JsonNode y = b.get(n);
                if (x == null) {
                    out.add(new Change(Change.Kind.ADDED, TYPES[i], n, ""));
                } else if (y == null) {
                    out.add(new Change(Change.Kind.REMOVED, TYPES[i], n, ""));
                } else if (!x.equals(y)) {
                    out.add(new Change(Change.Kind.CHANGED, TYPES[i], n, detail(x, y)));
                }
            }
        }
        return out;
    }

    private static String detail(JsonNode x, JsonNode y) {
        TreeSet<String> fields = new TreeSet<>();
        x.fieldNames().forEachRemaining(fields::add);
        y.fieldNames().forEachRemaining(fields::add);
        List<String> parts = new ArrayList<>();
        for (String f : fields) {
            JsonNode a = x.get(f);
            JsonNode b = y.get(f);
            if (!Objects.equals(a, b)) {
                parts.add(f + ": " + (a == null ? "(none)" : a.isTextual() ? a.asText() : a.toString())
                        + " -> " + (b == null ? "(none)" : b.isTextual() ? b.asText() : b.toString()));
            }
        }
        return String.join("; ", parts);
    }

    /** Type of a feature reference in a registry document, or {@code null}. */
    static String typeOf(ObjectNode root, String ref) {
        FeatureRef r = FeatureRef.parse(ref);
        JsonNode v = root.path("views").get(r.view());
        if (v != null) {
            JsonNode t = v.path("features").get(r.feature());
            if (t != null) {
                return t.asText();
            }
            JsonNode a = v.path("aggregations").get(r.feature());
            return a == null ? null : a.path("type").asText();
        }
        JsonNode o = root.path("onDemand").get(ref);
        return o == null ? null : o.path("type").asText();
    }

    /** The feature views of a registry document, rebuilt. */
    static Map<String, FeatureView> views(ObjectNode root) {
        Map<String, FeatureView> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.path("views").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            Entity entity = Entity.of(n.path("entity").asText(), n.path("joinKey").asText(), ColumnType.valueOf(n.path("keyType").asText()));
            BatchSource src = new BatchSource(Path.of(n.path("source").asText()), BatchSource.Format.valueOf(n.path("format").asText()),
                    n.path("eventTimestamp").asText(), n.path("createdTimestamp").isNull() ? null : n.path("createdTimestamp").asText());
            FeatureView.Builder b = FeatureView.builder(e.getKey()).entity(entity).source(src)
                    .ttl(Duration.parse(n.path("ttl").asText())).online(n.path("online").asBoolean());
            n.path("features").fields().forEachRemaining(f -> b.feature(f.getKey(), ColumnType.valueOf(f.getValue().asText())));
            n.path("tags").fields().forEachRemaining(t -> b.tag(t.getKey(), t.getValue().asText()));
            n.path("aggregations").fields().forEachRemaining(a -> b.aggregation(a.getKey(), a.getValue().path("feature").asText(),
                    Aggregation.Kind.valueOf(a.getValue().path("kind").asText()), Duration.parse(a.getValue().path("window").asText())));
            if (!n.path("owner").isNull()) {
                b.owner(n.path("owner").asText());
            }
            out.put(e.getKey(), b.build());
        }
        return out;
    }

    static List<String> serviceFeatures(ObjectNode root, String serviceKey) {
        JsonNode s = root.path("services").get(serviceKey);
        if (s == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        s.path("features").forEach(f -> out.add(f.asText()));
        return out;
    }
}
