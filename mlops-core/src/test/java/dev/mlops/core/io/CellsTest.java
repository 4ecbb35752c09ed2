package dev.mlops.core.io;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The cell parsers against independent references: {@link Double#parseDouble} and {@code java.time}. */
class CellsTest {

    private static final String[] TIMESTAMP_PATTERNS = {
            "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd HH:mm:ssXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
            "yyyy-MM-dd'T'HH:mm:ss.SSSXX", "yyyy-MM-dd HH:mmX", "yyyy-MM-dd'T'HH:mm:ss.SXXX",
            "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX", "yyyy-MM-dd'T'HH:mmXXX",
    };

    @Test
    void toDouble_agreesWithDoubleParseDouble_onRandomValuesAndSpellings() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 40_000; i++) {
            double v = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                case 2 -> random.nextInt(1_000_000) / 1000.0;
                default -> random.nextDouble();
            };
            if (Double.isNaN(v)) {
                continue;
            }
            String[] forms = {Double.toString(v), String.format(Locale.ROOT, "%.17g", v),
                    String.format(Locale.ROOT, "%.3e", v), new java.math.BigDecimal(v).toPlainString()};
            for (String s : forms) {
                assertThat(Double.doubleToRawLongBits(Cells.toDouble(s))).as(s)
                        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
            }
        }
    }

    @Test
    void toDouble_acceptsExactlyTheDecimalStringsThatDoubleParseDoubleAccepts() {
        Random random = new Random(11);
        String alphabet = "0123456789.+-eE";
        for (int i = 0; i < 100_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 1 + random.nextInt(8); k > 0; k--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            Double expected;
            try {
                expected = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                expected = null;
            }
            Double actual;
            try {
                actual = Cells.toDouble(s);
            } catch (Cells.BadCell e) {
                actual = null;
            }
            assertThat(actual).as(s).isEqualTo(expected);
        }
    }

    @Test
    void toEpochMicros_agreesWithJavaTime_onRandomInstantsOffsetsAndSpellings() throws Exception {
        Random random = new Random(13);
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-30T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)),
                    random.nextInt(1_000_000) * 1_000L);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800);
            String pattern = TIMESTAMP_PATTERNS[random.nextInt(TIMESTAMP_PATTERNS.length)];
            String text = OffsetDateTime.ofInstant(instant, offset).format(DateTimeFormatter.ofPattern(pattern, Locale.ROOT));
            Instant expected = OffsetDateTime.parse(text, DateTimeFormatter.ofPattern(pattern, Locale.ROOT)).toInstant();

            assertThat(Cells.toEpochMicros(text, null)).as(text)
                    .isEqualTo(expected.getEpochSecond() * 1_000_000L + expected.getNano() / 1_000);
        }
    }

    @Test
    void toEpochMicros_withoutOffset_usesTheZone_fixedOrRegion() throws Exception {
        Random random = new Random(17);
        ZoneId paris = ZoneId.of("Europe/Paris");
        ZoneOffset plus530 = ZoneOffset.ofHoursMinutes(5, 30);
        for (int i = 0; i < 20_000; i++) {
            LocalDateTime local = LocalDateTime.of(1900 + random.nextInt(200), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000) * 1_000);
            String text = local.toString().replace('T', i % 2 == 0 ? 'T' : ' ');
            Instant fixed = local.toInstant(plus530);
            assertThat(Cells.toEpochMicros(text, plus530)).as(text)
                    .isEqualTo(fixed.getEpochSecond() * 1_000_000L + fixed.getNano() / 1_000);
            if (paris.getRules().getValidOffsets(local).size() == 1) {
                Instant region = local.atZone(paris).toInstant();
                assertThat(Cells.toEpochMicros(text, paris)).as(text)
                        .isEqualTo(region.getEpochSecond() * 1_000_000L + region.getNano() / 1_000);
            }
        }
    }

    @Test
    void toEpochMicros_refusesInvalidDatesAndTimes() {
        for (String bad : new String[] {"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z",
                "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z", "2024-01-01T00:00:00+19:00", "2024-01-01T00:00:00.Z",
                "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00:00 Z", "2024-1-01T00:00:00Z"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cells.toEpochMicros(bad, ZoneOffset.UTC))
                    .as(bad).isInstanceOf(Cells.BadCell.class);
        }
    }
}
