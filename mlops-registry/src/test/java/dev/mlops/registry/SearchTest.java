package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.spi.RunStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search semantics against a brute-force evaluator written here: random runs are logged and remembered, random
 * filters are generated as small trees that both render to filter text and evaluate themselves on the remembered
 * runs, and the registry's answer must equal the brute-force answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchTest {

    /** The ground truth of one logged run. */
    record Truth(String id, int order, String experiment, RunStatus status, long start, Long end,
                 Map<String, String> params, Map<String, String> tags, Map<String, Double> metrics,
                 Map<String, String> datasets) {
    }

    /** A filter tree that renders itself and evaluates itself on a {@link Truth}. */
    record Node(String text, Predicate<Truth> eval) {
    }

    ModelRegistry registry;
    final List<Truth> truths = new ArrayList<>();
    final Random rnd = new Random(20261127);
    static final String[] MODELS = {"rf", "lr", "gbm", "RF", "r_f"};
    static final String[] TEAMS = {"ml-core", "ML-core", "mlx", "data", "ml%lit", "team a"};
    static final Fingerprint[] DATA = {Fingerprint.of("d1"), Fingerprint.of("d2")};

    @BeforeAll
    void logRandomRuns(@TempDir Path home) {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        registry = ModelRegistry.builder().home(home).clock(clock).build();
        for (int i = 0; i < 300; i++) {
            clock.advanceMillis(1000);
            String exp = i % 3 == 0 ? "b" : "a";
            long start = clock.millis();
            Map<String, String> params = new HashMap<>();
            Map<String, String> tags = new HashMap<>();
            Map<String, Double> metrics = new HashMap<>();
            Map<String, String> datasets = new HashMap<>();
            RegistryRun run = registry.startRun(exp, "run" + i);
            RunBatch.Builder b = RunBatch.builder();
            if (rnd.nextInt(5) > 0) {
                params.put("model", MODELS[rnd.nextInt(MODELS.length)]);
            }
            params.put("depth", Integer.toString(1 + rnd.nextInt(5)));
            if (rnd.nextBoolean()) {
                tags.put("team", TEAMS[rnd.nextInt(TEAMS.length)]);
            }
            if (rnd.nextInt(6) > 0) {
                double acc = rnd.nextInt(8) == 0 ? Double.NaN : Math.round(rnd.nextDouble() * 100) / 100.0;
                b.metric("accuracy", 0.01, 0); // an earlier step, superseded
                b.metric("accuracy", acc, 3);
                metrics.put("accuracy", acc);
            }
            double loss = rnd.nextInt(10) / 10.0;
            b.metric("val loss", loss, 0);
            metrics.put("val loss", loss);
            b.params(params);
            tags.forEach(b::tag);
            run.logBatch(b.build());
            if (rnd.nextBoolean()) {
                Fingerprint d = DATA[rnd.nextInt(2)];
                run.logDataset("train", d);
                datasets.put("train", d.toString());
            }
            RunStatus status = RunStatus.values()[rnd.nextInt(4)];
            Long end = null;
            if (status != RunStatus.RUNNING) {
                clock.advanceMillis(rnd.nextInt(500));
                end = clock.millis();
                run.end(status);
            }
            truths.add(new Truth(run.runId(), i, exp, status, start, end, params, tags, metrics, datasets));
        }
    }

    @AfterAll
    void close() {
        registry.close();
    }

    // ------------------------------------------------------------------------------------------ brute force

    static boolean like(String value, String pattern, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (char c : (ignoreCase ? asciiLower(pattern) : pattern).toCharArray()) {
            re.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
        }
        String v = ignoreCase ? asciiLower(value) : value;
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(v).matches();
    }

    static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    String kw(String word) {
        return rnd.nextBoolean() ? word : word.toUpperCase(Locale.ROOT);
    }

    Node numeric(String ref, java.util.function.Function<Truth, Double> get) {
        double x = Math.round(rnd.nextDouble() * 10) / 10.0;
        int k = rnd.nextInt(9);
        return switch (k) {
            case 0 -> new Node(ref + " > " + x, t -> get.apply(t) != null && get.apply(t) > x);
            case 1 -> new Node(ref + " >= " + x, t -> get.apply(t) != null && get.apply(t) >= x);
            case 2 -> new Node(ref + " < " + x, t -> get.apply(t) != null && get.apply(t) < x);
            case 3 -> new Node(ref + " <= " + x, t -> get.apply(t) != null && get.apply(t) <= x);
            case 4 -> new Node(ref + " = " + x, t -> get.apply(t) != null && get.apply(t) == x);
            case 5 -> new Node(ref + " != " + x, t -> get.apply(t) != null && !get.apply(t).isNaN() && get.apply(t) != x);
            case 6 -> {
                double y = Math.round(rnd.nextDouble() * 10) / 10.0;
                yield new Node(ref + " " + kw("in") + " (" + x + ", " + y + ")",
                        t -> get.apply(t) != null && (get.apply(t) == x || get.apply(t) == y));
            }
            case 7 -> new Node(ref + " " + kw("not in") + " (" + x + ")",
                    t -> get.apply(t) != null && !get.apply(t).isNaN() && get.apply(t) != x);
            default -> rnd.nextBoolean() ? new Node(ref + " " + kw("is null"), t -> get.apply(t) == null)
                    : new Node(ref + " " + kw("is not null"), t -> get.apply(t) != null);
        };
    }

    Node text(String ref, java.util.function.Function<Truth, String> get, String[] pool) {
        String v = pool[rnd.nextInt(pool.length)];
        int k = rnd.nextInt(9);
        return switch (k) {
            case 0, 1 -> new Node(ref + " = " + quote(v), t -> v.equals(get.apply(t)));
            case 8 -> {
                String p = rnd.nextBoolean() ? v.substring(0, 1) + "%" : "%" + v.substring(v.length() - 1);
                boolean ci = rnd.nextBoolean();
                // negation over runs that have the key: an absent key is false, as for != and not in
                yield new Node(ref + " " + kw(ci ? "not ilike" : "not like") + " " + quote(p),
                        t -> get.apply(t) != null && !like(get.apply(t), p, ci));
            }
            case 2 -> new Node(ref + " != " + quote(v), t -> get.apply(t) != null && !v.equals(get.apply(t)));
            case 3 -> {
                String p = switch (rnd.nextInt(4)) {
                    case 0 -> v.substring(0, 1) + "%";
                    case 1 -> "%" + v.substring(v.length() - 1);
                    case 2 -> "_" + v.substring(1);
                    default -> "%" + "l%";
                };
                boolean ci = rnd.nextBoolean();
                yield new Node(ref + " " + kw(ci ? "ilike" : "like") + " " + quote(p),
                        t -> get.apply(t) != null && like(get.apply(t), p, ci));
            }
            case 4 -> {
                String w = pool[rnd.nextInt(pool.length)];
                yield new Node(ref + " " + kw("in") + " (" + quote(v) + ", " + quote(w) + ")",
                        t -> v.equals(get.apply(t)) || w.equals(get.apply(t)));
            }
            case 5 -> new Node(ref + " " + kw("not in") + " (" + quote(v) + ")",
                    t -> get.apply(t) != null && !v.equals(get.apply(t)));
            case 6 -> new Node(ref + " " + kw("is null"), t -> get.apply(t) == null);
            default -> new Node(ref + " " + kw("is not null"), t -> get.apply(t) != null);
        };
    }

    Node leaf() {
        return switch (rnd.nextInt(9)) {
            case 0, 1 -> numeric("metrics.accuracy", t -> t.metrics().get("accuracy"));
            case 2 -> numeric("metrics.`val loss`", t -> t.metrics().get("val loss"));
            case 3, 4 -> text("params.model", t -> t.params().get("model"), MODELS);
            case 5 -> text("tags.team", t -> t.tags().get("team"), TEAMS);
            case 6 -> {
                String s = RunStatus.values()[rnd.nextInt(4)].name();
                yield new Node("attributes.status = " + quote(s), t -> t.status().name().equals(s));
            }
            case 7 -> {
                long x = truths.get(rnd.nextInt(truths.size())).start();
                yield rnd.nextBoolean() ? new Node("attributes.start_time >= " + x, t -> t.start() >= x)
                        : new Node("attributes.end_time < " + x, t -> t.end() != null && t.end() < x);
            }
            default -> text("datasets.train", t -> t.datasets().get("train"),
                    new String[] {DATA[0].toString(), DATA[1].toString()});
        };
    }

    Node tree(int depth) {
        if (depth == 0 || rnd.nextInt(3) == 0) {
            Node leaf = leaf();
            return rnd.nextInt(5) == 0 ? new Node("(" + leaf.text() + ")", leaf.eval()) : leaf;
        }
        Node a = tree(depth - 1);
        Node b = tree(depth - 1);
        boolean and = rnd.nextBoolean();
        // parenthesize children always: the brute force evaluates the tree, the text must say the same thing
        String text = "(" + a.text() + ") " + kw(and ? "and" : "or") + " (" + b.text() + ")";
        return new Node(text, and ? t -> a.eval().test(t) && b.eval().test(t) : t -> a.eval().test(t) || b.eval().test(t));
    }

    List<String> expected(Predicate<Truth> p) {
        return truths.stream().filter(p)
                .sorted(Comparator.comparingLong(Truth::start).thenComparingInt(Truth::order).reversed())
                .map(Truth::id).toList();
    }

    List<String> search(String filter) {
        return registry.searchRuns(RunQuery.builder().filter(filter).maxResults(1000).build()).runs().stream()
                .map(RunInfo::runId).toList();
    }

    @Test
    void randomFiltersMatchTheBruteForceEvaluator() {
        int nonTrivial = 0;
        for (int i = 0; i < 400; i++) {
            Node n = tree(3);
            List<String> want = expected(n.eval());
            assertThat(search(n.text())).as(n.text()).containsExactlyElementsOf(want);
            if (!want.isEmpty() && want.size() < truths.size()) {
                nonTrivial++;
            }
        }
        assertThat(nonTrivial).as("filters that split the runs").isGreaterThan(200);
    }

    @Test
    void precedenceAndBindsTighterThanOr() {
        Predicate<Truth> rf = t -> "rf".equals(t.params().get("model"));
        Predicate<Truth> lr = t -> "lr".equals(t.params().get("model"));
        Predicate<Truth> d1 = t -> "1".equals(t.params().get("depth"));
        assertThat(search("params.model = 'rf' or params.model = 'lr' and params.depth = '1'"))
                .containsExactlyElementsOf(expected(rf.or(lr.and(d1))));
        assertThat(search("(params.model = 'rf' or params.model = 'lr') and params.depth = '1'"))
                .containsExactlyElementsOf(expected(rf.or(lr).and(d1)));
    }

    @Test
    void experimentsRestrictTheSearch() {
        List<String> got = registry.searchRuns(RunQuery.builder().experiments("b").maxResults(1000).build()).runs()
                .stream().map(RunInfo::runId).toList();
        assertThat(got).containsExactlyElementsOf(expected(t -> t.experiment().equals("b")));
        assertThat(registry.searchRuns(RunQuery.builder().experiments("nope").build()).runs()).isEmpty();
    }

    @Test
    void orderByMetricPutsMissingAndNaNLastAndPagesCoverEverythingOnce() {
        Comparator<Truth> byAcc = Comparator.comparing((Truth t) -> {
            Double a = t.metrics().get("accuracy");
            return a == null || a.isNaN();
        }).thenComparing((Truth t) -> {
            Double a = t.metrics().get("accuracy");
            return a == null || a.isNaN() ? 0.0 : -a;
        }).thenComparing(Comparator.comparingLong(Truth::start).thenComparingInt(Truth::order).reversed());
        List<String> want = truths.stream().sorted(byAcc).map(Truth::id).toList();
        List<String> got = new ArrayList<>();
        RunQuery q = RunQuery.builder().orderBy("metrics.accuracy DESC").maxResults(7).build();
        String token = null;
        int pages = 0;
        do {
            RunPage page = registry.searchRuns(q.toBuilder().pageToken(token).build());
            got.addAll(page.runs().stream().map(RunInfo::runId).toList());
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertThat(got).containsExactlyElementsOf(want);
        assertThat(pages).isEqualTo((truths.size() + 6) / 7);
    }

    @Test
    void orderByParamAscending() {
        Comparator<Truth> byModel = Comparator.comparing((Truth t) -> t.params().get("model") == null)
                .thenComparing(t -> t.params().getOrDefault("model", ""))
                .thenComparing(Comparator.comparingLong(Truth::start).thenComparingInt(Truth::order).reversed());
        List<String> want = truths.stream().sorted(byModel).map(Truth::id).toList();
        assertThat(registry.searchRuns(RunQuery.builder().orderBy("params.model").maxResults(1000).build()).runs())
                .extracting(RunInfo::runId).containsExactlyElementsOf(want);
    }

    @Test
    void aPageTokenFromAnotherQueryIsRefused() {
        String token = registry.searchRuns(RunQuery.builder().maxResults(5).build()).nextPageToken();
        assertThatThrownBy(() -> registry.searchRuns(RunQuery.builder().filter("params.depth = '1'").pageToken(token)
                .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another query");
        assertThatThrownBy(() -> registry.searchRuns(RunQuery.builder().pageToken("%%%").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
    }

    @Test
    void searchResultsCarryTheRunData() {
        Truth t = truths.get(17);
        RunInfo info = registry.searchRuns(RunQuery.of("attributes.run_id = '" + t.id() + "'")).runs().get(0);
        assertThat(info.params()).isEqualTo(t.params());
        assertThat(info.tags()).containsAllEntriesOf(t.tags());
        assertThat(info.status()).isEqualTo(t.status());
    }
}
