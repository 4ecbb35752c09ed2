package dev.mlops.core.validation;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LongIntHashMapTest {

    @Test
    void putIfAbsent_agreesWithHashMap_onCollidingKeys() {
        LongIntHashMap map = new LongIntHashMap(10_000);
        Map<Long, Integer> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            // keys from a small range plus multiples of 2^32, which collide in a naive hash
            long key = random.nextBoolean() ? random.nextInt(3000) : (long) random.nextInt(3000) << 32;
            Integer prior = reference.putIfAbsent(key, i);
            assertEquals(prior == null ? -1 : prior, map.putIfAbsent(key, i));
        }
        for (Map.Entry<Long, Integer> e : reference.entrySet()) {
            assertEquals(e.getValue(), map.get(e.getKey()));
        }
        assertEquals(-1, map.get(1L << 50)); // 2^18 << 32: beyond both key ranges
    }

    @Test
    void aFullMap_refusesMoreKeys_insteadOfLoopingForever() {
        LongIntHashMap map = new LongIntHashMap(0); // 8 slots, holds up to 7 keys
        for (int i = 0; i < 7; i++) {
            assertEquals(-1, map.putIfAbsent(i, i));
        }
        assertEquals(3, map.putIfAbsent(3, 99));
        assertThrows(IllegalStateException.class, () -> map.putIfAbsent(100, 100));
    }
}
