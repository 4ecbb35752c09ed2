package dev.mlops.core.flow;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Objects;

/**
 * When a scheduled flow runs: at a fixed interval or on a cron expression, with a policy for runs that
 * would overlap and for ticks missed while the process was busy or the clock jumped. Immutable.
 *
 * <p><b>Cron</b>: five fields {@code minute hour day-of-month month day-of-week} (0-59, 0-23, 1-31, 1-12,
 * 0-7 with 0 and 7 Sunday), each {@code *}, a number, a range {@code a-b}, a list {@code a,b}, or a step
 * {@code * /n} / {@code a-b/n}. As in Vixie cron, when both day fields are restricted a day matches if
 * <em>either</em> does. Evaluated in the given zone (default UTC); a local time skipped by a daylight-saving
 * change does not fire.
 *
 * <p><b>Overlap</b> (default: not allowed): a tick that comes while the previous run of this schedule is
 * still going is skipped (counted by {@link ScheduledFlow#skipped()}) under {@link CatchUp#SKIP_MISSED}, or
 * queued and run when the previous run ends under {@link CatchUp#RUN_ALL}.
 *
 * <p><b>Catch-up</b> (default {@link CatchUp#SKIP_MISSED}): when the schedule wakes up and several ticks
 * have passed since the last one it handled, SKIP_MISSED starts one run (for the latest tick) and RUN_ALL
 * one run per missed tick (at most {@value #MAX_CATCH_UP}).
 */
public final class Schedule {

    /** Most missed ticks RUN_ALL starts in one wake-up. */
    public static final int MAX_CATCH_UP = 1000;

    /** What to do with ticks missed since the last wake-up. */
    public enum CatchUp {
        /** One run for the latest missed tick; the others are skipped. */
        SKIP_MISSED,
        /** One run per missed tick, in order. */
        RUN_ALL
    }

    private final Duration interval;
    private final Cron cron;
    private final boolean allowOverlap;
    private final CatchUp catchUp;

    private Schedule(Duration interval, Cron cron, boolean allowOverlap, CatchUp catchUp) {
        this.interval = interval;
        this.cron = cron;
        this.allowOverlap = allowOverlap;
        this.catchUp = catchUp;
    }

    /** Every {@code interval}, counted from the moment the schedule starts. */
    public static Schedule every(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("schedule interval must be positive, got " + interval);
        }
        return new Schedule(interval, null, false, CatchUp.SKIP_MISSED);
    }

    /** On a five-field cron expression, in UTC. */
    public static Schedule cron(String expression) {
        return cron(expression, ZoneOffset.UTC);
    }

    /** On a five-field cron expression, in {@code zone}. */
    public static Schedule cron(String expression, ZoneId zone) {
        return new Schedule(null, Cron.parse(expression, Objects.requireNonNull(zone, "zone")), false,
                CatchUp.SKIP_MISSED);
    }

    /** Whether a tick may start a run while the previous run of this schedule is still going. */
    public Schedule allowOverlap(boolean allow) {
        return new Schedule(interval, cron, allow, catchUp);
    }

    /** The catch-up policy. */
    public Schedule catchUp(CatchUp policy) {
        return new Schedule(interval, cron, allowOverlap, Objects.requireNonNull(policy, "policy"));
    }

    public boolean overlapAllowed() {
        return allowOverlap;
    }

    public CatchUp catchUpPolicy() {
        return catchUp;
    }

    /**
     * The first tick strictly after {@code after}; {@code anchor} is when the schedule started (intervals
     * count from it; cron ignores it).
     */
    public Instant next(Instant anchor, Instant after) {
        if (interval != null) {
            long step = interval.toNanos();
            long elapsed = Duration.between(anchor, after).toNanos();
            long k = elapsed < 0 ? 1 : elapsed / step + 1;
            return anchor.plusNanos(Math.multiplyExact(k, step));
        }
        return cron.next(after);
    }

    @Override
    public String toString() {
        return timing() + (allowOverlap ? ", overlap allowed" : "") + ", " + catchUp;
    }

    /** When it ticks, without the overlap and catch-up policies: what a persisted anchor belongs to. */
    String timing() {
        return interval != null ? "every " + interval : "cron '" + cron.text + "' " + cron.zone;
    }

    /** A parsed cron expression. */
    static final class Cron {
        final String text;
        final ZoneId zone;
        final BitSet minutes;
        final BitSet hours;
        final BitSet days;
        final BitSet months;
        final BitSet weekdays;
        final boolean dayRestricted;
        final boolean weekdayRestricted;

        private Cron(String text, ZoneId zone, BitSet[] f, boolean dayRestricted, boolean weekdayRestricted) {
            this.text = text;
            this.zone = zone;
            this.minutes = f[0];
            this.hours = f[1];
            this.days = f[2];
            this.months = f[3];
            this.weekdays = f[4];
            this.dayRestricted = dayRestricted;
            this.weekdayRestricted = weekdayRestricted;
        }

        static Cron parse(String text, ZoneId zone) {
            Objects.requireNonNull(text, "expression");
            String[] parts = text.trim().split("\\s+");
            if (parts.length != 5) {
                throw new IllegalArgumentException("cron expression \"" + text + "\" has " + parts.length
                        + " fields; expected 5: minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\"");
            }
            String[] names = {"minute", "hour", "day-of-month", "month", "day-of-week"};
            int[] min = {0, 0, 1, 1, 0};
            int[] max = {59, 23, 31, 12, 7};
            BitSet[] fields = new BitSet[5];
            for (int i = 0; i < 5; i++) {
                fields[i] = field(text, names[i], parts[i], min[i], max[i]);
            }
            if (fields[4].get(7)) {
                fields[4].set(0);
                fields[4].clear(7);
            }
            return new Cron(text, zone, fields, !parts[2].equals("*"), !parts[4].equals("*"));
        }

        private static BitSet field(String text, String name, String spec, int min, int max) {
            BitSet bits = new BitSet(max + 1);
            for (String item : spec.split(",", -1)) {
                int step = 1;
                String range = item;
                int slash = item.indexOf('/');
                if (slash >= 0) {
                    step = number(text, name, item.substring(slash + 1), 1, Integer.MAX_VALUE);
                    range = item.substring(0, slash);
                }
                int lo;
                int hi;
                if (range.equals("*")) {
                    lo = min;
                    hi = max;
                } else if (range.contains("-")) {
                    String[] ab = range.split("-", -1);
                    if (ab.length != 2) {
                        throw bad(text, name, item, "a range is a-b");
                    }
                    lo = number(text, name, ab[0], min, max);
                    hi = number(text, name, ab[1], min, max);
                    if (lo > hi) {
                        throw bad(text, name, item, "the range runs backwards");
                    }
                } else {
                    lo = number(text, name, range, min, max);
                    hi = slash >= 0 ? max : lo;
                }
                for (int v = lo; v <= hi; v += step) {
                    bits.set(v);
                }
            }
            return bits;
        }

        private static int number(String text, String name, String s, int min, int max) {
            try {
                int v = Integer.parseInt(s);
                if (v < min || v > max) {
                    throw bad(text, name, s, "must be in " + min + ".." + max);
                }
                return v;
            } catch (NumberFormatException e) {
                throw bad(text, name, s, "not a number");
            }
        }

        private static IllegalArgumentException bad(String text, String name, String item, String why) {
            return new IllegalArgumentException("cron expression \"" + text + "\": " + name + " \"" + item + "\" "
                    + why);
        }

        private boolean dayMatches(ZonedDateTime t) {
            boolean dom = days.get(t.getDayOfMonth());
            boolean dow = weekdays.get(t.getDayOfWeek().getValue() % 7);
            if (dayRestricted && weekdayRestricted) {
                return dom || dow;
            }
            return dom && dow;
        }

        /** The first matching minute strictly after {@code after}. */
        Instant next(Instant after) {
            ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            ZonedDateTime limit = t.plusYears(8);
            while (t.isBefore(limit)) {
                if (!months.get(t.getMonthValue())) {
                    t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
                } else if (!dayMatches(t)) {
                    t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                } else if (!hours.get(t.getHour())) {
                    t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                } else if (!minutes.get(t.getMinute())) {
                    t = t.plusMinutes(1);
                } else {
                    return t.toInstant();
                }
            }
            throw new IllegalArgumentException("cron expression \"" + text + "\" never fires (e.g. February 30)");
        }
    }
}
