package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.table.Column;
import dev.mlops.core.table.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The join's parallel path (65,536 entity rows or more: half the lookups on the executor) and its key index
 * for many integer keys and large per-key groups, against the same rule as {@link BruteForcePit} written
 * here as a scan of every feature row of the entity's key (the full cross scan of {@code BruteForcePit}
 * would take minutes at this size), and against the same join kept on the calling thread.
 */
class PointInTimeJoinParallelTest {

    @Test
    void parallelJoin_equalsSequentialJoin_andBruteForce_forManyKeysAndLargeGroups() {
        Random rnd = new Random(11);
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            // 2,000 integer keys (more than the key index's first capacity), then 3 keys with ~130 rows each
            // (sorted by merge, not insertion), integer and text keys
            int[][] shapes = {{2_000, 3_000}, {3, 400}};
            for (int[] shape : shapes) {
                for (boolean stringKeys : new boolean[] {false, true}) {
                    Table features = BruteForcePit.randomFeatures(rnd, shape[0], shape[1], stringKeys);
                    Table entities = BruteForcePit.randomEntities(rnd, shape[0] + 1, 70_000, stringKeys, features);
                    for (long ttlMicros : new long[] {0, 5_000_000L}) {
                        for (boolean asKnownAt : new boolean[] {false, true}) {
                            PointInTimeJoin.Builder b = PointInTimeJoin.builder().entityKey("k")
                                    .view("v", features, Duration.ofNanos(ttlMicros * 1000)).asKnownAt(asKnownAt);
                            Table parallel = b.executor(pool).build().join(entities);
                            Table sequential = b.executor(Runnable::run).build().join(entities);
                            int[] expected = keyedBruteForce(entities, features, ttlMicros, asKnownAt);
                            String what = "keys " + shape[0] + " string " + stringKeys + " ttl " + ttlMicros + " asKnownAt " + asKnownAt;
                            int matched = 0;
                            for (int r = 0; r < entities.rowCount(); r++) {
                                Object ex = expected[r] < 0 ? null : features.value(expected[r], "x");
                                Object el = expected[r] < 0 ? null : features.value(expected[r], "label");
                                assertThat(parallel.value(r, "v__x")).as("%s row %d", what, r).isEqualTo(ex);
                                assertThat(parallel.value(r, "v__label")).as("%s row %d", what, r).isEqualTo(el);
                                assertThat(sequential.value(r, "v__x")).as("%s row %d", what, r).isEqualTo(ex);
                                assertThat(sequential.value(r, "v__label")).as("%s row %d", what, r).isEqualTo(el);
                                matched += expected[r] >= 0 ? 1 : 0;
                            }
                            // the data must exercise both outcomes, or the comparison proves little
                            assertThat(matched).as(what).isBetween(1, entities.rowCount() - 1);
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nullExecutor_isRefused() {
        assertThatThrownBy(() -> PointInTimeJoin.builder().executor(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("Runnable::run");
    }

    /** {@link BruteForcePit#match}'s rule, scanning only the feature rows with the entity row's key. */
    private static int[] keyedBruteForce(Table entities, Table features, long ttlMicros, boolean asKnownAt) {
        Map<Object, List<Integer>> rowsOfKey = new HashMap<>();
        Column fk = features.column("k");
        for (int f = 0; f < features.rowCount(); f++) {
            rowsOfKey.computeIfAbsent(fk.value(f), k -> new ArrayList<>()).add(f);
        }
        var et = entities.timestampColumn("event_timestamp");
        var fe = features.timestampColumn("event_timestamp");
        var fc = features.timestampColumn("created_timestamp");
        Column ek = entities.column("k");
        int[] out = new int[entities.rowCount()];
        for (int r = 0; r < out.length; r++) {
            long t = et.epochMicros(r);
            int best = -1;
            for (int f : rowsOfKey.getOrDefault(ek.value(r), List.of())) {
                long ev = fe.epochMicros(f);
                long cr = fc.epochMicros(f);
                if (ev > t || (ttlMicros > 0 && ev < t - ttlMicros) || (asKnownAt && cr > t)) {
                    continue;
                }
                if (best < 0 || ev > fe.epochMicros(best) || (ev == fe.epochMicros(best) && cr > fc.epochMicros(best))) {
                    best = f;
                }
            }
            out[r] = best;
        }
        return out;
    }
}
