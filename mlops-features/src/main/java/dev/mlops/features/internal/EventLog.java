package dev.mlops.features.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The recent events of one entity kept online for windowed aggregations: a count, then per event its
 * event and created micros and its values (encoded by a {@link ValueCodec} over the aggregated features).
 */
public final class EventLog {

    /** One event: times and encoded values. */
    public record Event(long eventMicros, long createdMicros, byte[] values) {}

    private EventLog() {
    }

    public static byte[] encode(List<Event> events) {
        int size = 4;
        for (Event e : events) {
            size += 20 + e.values().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(events.size());
        for (Event e : events) {
            b.putLong(e.eventMicros()).putLong(e.createdMicros()).putInt(e.values().length).put(e.values());
        }
        return b.array();
    }

    public static List<Event> decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int n = b.getInt();
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long ev = b.getLong();
            long cr = b.getLong();
            byte[] v = new byte[b.getInt()];
            b.get(v);
            out.add(new Event(ev, cr, v));
        }
        return out;
    }

    /**
     * {@code a} and {@code b} merged (an event with the same times in both is kept once, from {@code b}),
     * sorted by (event, created), keeping only events newer than {@code newest - window}.
     */
    public static List<Event> merge(List<Event> a, List<Event> b, long windowMicros) {
        java.util.TreeMap<long[], Event> m = new java.util.TreeMap<>(Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1]));
        for (Event e : a) {
            m.put(new long[] {e.eventMicros(), e.createdMicros()}, e);
        }
        for (Event e : b) {
            m.put(new long[] {e.eventMicros(), e.createdMicros()}, e);
        }
        if (m.isEmpty()) {
            return List.of();
        }
        long newest = m.lastKey()[0];
        List<Event> out = new ArrayList<>(m.size());
        for (Event e : m.values()) {
            if (e.eventMicros() > newest - windowMicros) {
                out.add(e);
            }
        }
        return out;
    }
}
