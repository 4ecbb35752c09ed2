package dev.mlops.core.io;

import com.fasterxml.jackson.core.io.NumberInput;
import dev.mlops.core.table.TimestampColumn;

import java.io.Serial;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Text to cell values, the same rules for reading with a schema and for inferring one. A failure is a
 * {@link BadCell} carrying the problem and the fix; the caller adds where it happened.
 *
 * <ul>
 *   <li>LONG: {@link Long#parseLong}, an optional sign and decimal digits.</li>
 *   <li>DOUBLE: a decimal number ({@code 1}, {@code -2.5}, {@code 1e-3}, {@code .5}) or {@code NaN},
 *       {@code Infinity}, {@code -Infinity}. Java's extra forms ({@code 1d}, {@code 0x1p3}, surrounding
 *       spaces) are refused. Parsed by Jackson's {@link NumberInput#parseDouble(String, boolean)} with its
 *       fast parser (FastDoubleParser, shipped inside jackson-core), which rounds correctly and so gives
 *       exactly {@link Double#parseDouble}'s result at several times its speed on long digit strings.</li>
 *   <li>BOOLEAN: {@code true} or {@code false}, any case.</li>
 *   <li>TIMESTAMP: ISO-8601 {@code 2024-03-01T12:00:00.123456Z}, {@code T} or a space between date and
 *       time, seconds and fraction optional, offset {@code Z}, {@code +01}, {@code +0100} or {@code +01:00};
 *       a date alone is midnight. Values without an offset need a zone.</li>
 * </ul>
 */
final class Cells {

    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss")
            .optionalStart().appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').append(TIME).optionalEnd()
            .optionalStart().appendLiteral(' ').append(TIME).optionalEnd()
            .optionalStart().parseLenient().appendOffset("+HH", "Z").parseStrict().optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    private static final List<String> NON_FINITE = List.of("NaN", "Infinity", "+Infinity", "-Infinity");

    /** What {@link #fastEpochMicros} returns when the general parser must decide. */
    private static final long NOT_FAST = Long.MIN_VALUE;

    private Cells() {
    }

    /** A cell that does not parse as its column's type. */
    static final class BadCell extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;

        final String fix;

        BadCell(String problem, String fix) {
            super(problem, null, false, false);
            this.fix = fix;
        }
    }

    static long toLong(String s) throws BadCell {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            boolean integral = isDecimal(s) && s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0;
            throw new BadCell(integral ? "integer out of the 64-bit range" : "not an integer",
                    integral ? "declare the column DOUBLE or STRING"
                            : "write whole numbers only, or declare the column DOUBLE");
        }
    }

    static double toDouble(String s) throws BadCell {
        if (isDecimal(s)) {
            try {
                return NumberInput.parseDouble(s, true);
            } catch (NumberFormatException e) {
                // a decimal-looking string that is not a number, such as "1e" or "-"; fall through
            }
        } else if (NON_FINITE.contains(s)) {
            return Double.parseDouble(s);
        }
        throw new BadCell("not a number",
                s.indexOf(',') >= 0 ? "use '.' as the decimal separator and no thousands separator"
                        : "write a decimal number such as -1.5e3, or NaN, Infinity, -Infinity; "
                        + "or list this marker in CsvReader.Builder.nullValues");
    }

    static boolean toBoolean(String s) throws BadCell {
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new BadCell("not a boolean", "write true or false, or declare the column LONG or STRING");
    }

    /**
     * Epoch microseconds of an ISO-8601 timestamp; {@code zone} (may be {@code null}) places values that
     * carry no offset.
     */
    static long toEpochMicros(String s, ZoneId zone) throws BadCell {
        long micros = fastEpochMicros(s, zone);
        return micros != NOT_FAST ? micros : slowEpochMicros(s, zone);
    }

    /**
     * The common forms, {@code yyyy-MM-dd[T ]HH:mm[:ss[.f{1,9}]]} then {@code Z}, {@code ±HH[[:]MM]} or (with
     * a fixed-offset zone) nothing, parsed without the allocations of {@link DateTimeFormatter}; anything
     * else, including every value in error, returns {@link #NOT_FAST} and goes to the general parser.
     */
    private static long fastEpochMicros(String s, ZoneId zone) {
        int n = s.length();
        if (n < 16 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':') {
            return NOT_FAST;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = 0;
        long fraction = 0; // in nanoseconds
        int i = 16;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, 17, 2);
            i = 19;
            if (i < n && s.charAt(i) == '.') {
                int start = ++i;
                while (i < n && isDigit(s.charAt(i)) && i - start < 9) {
                    fraction = fraction * 10 + (s.charAt(i++) - '0');
                }
                if (i == start || (i < n && isDigit(s.charAt(i)))) {
                    return NOT_FAST;
                }
                for (int k = i - start; k < 9; k++) {
                    fraction *= 10;
                }
            }
        }
        int offsetSeconds;
        if (i == n) {
            if (!(zone instanceof ZoneOffset fixed)) {
                return NOT_FAST;
            }
            offsetSeconds = fixed.getTotalSeconds();
        } else if (s.charAt(i) == 'Z' && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((s.charAt(i) == '+' || s.charAt(i) == '-') && (n - i == 3 || n - i == 5 || n - i == 6)) {
            int oh = digits(s, i + 1, 2);
            int om = n - i == 3 ? 0 : n - i == 5 ? digits(s, i + 3, 2) : s.charAt(i + 3) == ':' ? digits(s, i + 4, 2) : -1;
            if (oh < 0 || om < 0 || om > 59 || oh * 3600 + om * 60 > 18 * 3600) {
                return NOT_FAST;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return NOT_FAST;
        }
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                || day > Month.of(month).length(Year.isLeap(year)) || hour > 23 || minute > 59 || second > 59
                || fraction % 1_000 != 0) {
            return NOT_FAST;
        }
        long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second
                - offsetSeconds;
        return seconds * 1_000_000L + fraction / 1_000;
    }

    /** The non-negative value of {@code count} decimal digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static long slowEpochMicros(String s, ZoneId zone) throws BadCell {
        TemporalAccessor t;
        try {
            t = TIMESTAMP.parse(s);
        } catch (DateTimeException e) {
            throw new BadCell("not an ISO-8601 timestamp",
                    "write it like 2024-03-01T12:00:00Z or 2024-03-01T13:00:00.123456+01:00");
        }
        LocalDate date = t.query(TemporalQueries.localDate());
        LocalTime time = t.query(TemporalQueries.localTime());
        ZoneOffset offset = t.query(TemporalQueries.offset());
        LocalDateTime local = date.atTime(time == null ? LocalTime.MIDNIGHT : time);
        if (offset == null) {
            if (zone == null) {
                throw new BadCell("timestamp has no zone offset",
                        "add Z or an offset such as +01:00 to the values, or say which zone they are in with "
                                + "CsvReader.Builder.assumeZone(ZoneOffset.UTC) (or another zone)");
            }
            List<ZoneOffset> valid = zone.getRules().getValidOffsets(local);
            if (valid.size() != 1) {
                throw new BadCell("local time " + (valid.isEmpty() ? "does not exist" : "is ambiguous")
                        + " in zone " + zone + " (daylight-saving change)",
                        "write the values with an offset, or assume a fixed offset such as ZoneOffset.UTC");
            }
            offset = valid.get(0);
        }
        Instant instant = local.toInstant(offset);
        try {
            return TimestampColumn.toEpochMicros(instant);
        } catch (IllegalArgumentException e) {
            throw new BadCell(instant.getNano() % 1_000 != 0 ? "timestamp has digits below a microsecond"
                    : "timestamp is outside the supported range",
                    "timestamps are stored in microseconds: round the values to at most 6 fractional digits");
        }
    }

    /**
     * Whether {@code s} is written as a timestamp, with or without an offset. Whether its value can be stored
     * (a zone is known, no sub-microsecond digits) is left to {@link #toEpochMicros}, so that a column of
     * such values is still inferred as TIMESTAMP and reading it says what is wrong.
     */
    static boolean isTimestamp(String s) {
        if (s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-' || !isDigit(s.charAt(0))) {
            return false; // cheap test first: most strings that are not timestamps fail here
        }
        if (fastEpochMicros(s, ZoneOffset.UTC) != NOT_FAST) {
            return true;
        }
        try {
            TIMESTAMP.parse(s);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    static boolean isLong(String s) {
        try {
            toLong(s);
            return true;
        } catch (BadCell e) {
            return false;
        }
    }

    static boolean isDouble(String s) {
        try {
            toDouble(s);
            return true;
        } catch (BadCell e) {
            return false;
        }
    }

    static boolean isBoolean(String s) {
        return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
    }

    /** The null rule: an empty unquoted field ({@code null} from the parser) or one of {@code markers}. */
    static boolean isNull(String s, Set<String> markers) {
        return s == null || (!markers.isEmpty() && markers.contains(s));
    }

    /** Whether {@code s} uses only the characters of a decimal number: digits, sign, '.', 'e'. */
    private static boolean isDecimal(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isDigit(c) && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
