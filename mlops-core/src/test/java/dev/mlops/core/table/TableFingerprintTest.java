package dev.mlops.core.table;

import dev.mlops.core.Fingerprint;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class TableFingerprintTest {

    @Test
    void fingerprint_isSha256OfTheDocumentedLayout() throws Exception {
        Table t = Table.of(
                DoubleColumn.ofBoxed("x", 1.5, null),
                StringColumn.of("s", "é", "b"),
                TimestampColumn.of("t", Instant.parse("1970-01-01T00:00:01Z"), Instant.parse("1970-01-01T00:00:00.000002Z")));

        // The layout written out by hand, hashed with the JDK's SHA-256: an independent reference.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        string(out, "dev.mlops.table/v1");
        out.writeByte(0x02);
        out.writeInt(3);
        string(out, "x");
        string(out, "DOUBLE");
        string(out, "s");
        string(out, "STRING");
        string(out, "t");
        string(out, "TIMESTAMP");
        out.writeByte(0x03);
        out.writeLong(2);
        out.writeByte(0x04);
        out.writeLong(Double.doubleToLongBits(1.5));
        out.writeByte(0x00);
        string(out, "é");
        string(out, "b");
        out.writeByte(0x03);
        out.writeLong(1_000_000L);
        out.writeByte(0x03);
        out.writeLong(2L);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));

        assertThat(t.fingerprint().hex()).isEqualTo(expected);
    }

    @Test
    void fingerprint_followsContentNotRepresentation() {
        Table a = Table.of(StringColumn.of("s", "x", "y", "x"), DoubleColumn.of("d", 1, 2, 3));
        Table b = Table.of(StringColumn.of("s", "y", "x", "x", "y").slice(1, 4).take(new int[] {0, 0, 1}), DoubleColumn.of("d", 1, 2, 3));
        assertThat(b.stringColumn("s").toStringArray()).containsExactly("x", "x", "x");
        Table c = Table.of(StringColumn.of("s", "y", "x", "x").take(new int[] {1, 0, 2}), DoubleColumn.of("d", 1, 2, 3));
        assertThat(c.fingerprint()).isEqualTo(a.fingerprint());

        Fingerprint base = a.fingerprint();
        assertThat(a.withColumn(DoubleColumn.of("d", 1, 2, 3.0000000001)).fingerprint()).isNotEqualTo(base);
        assertThat(a.withColumn(DoubleColumn.of("d", 1, 2, 3)).fingerprint()).isEqualTo(base);
        assertThat(Table.of(StringColumn.of("s", "x", "y", "x"), DoubleColumn.of("e", 1, 2, 3)).fingerprint()).isNotEqualTo(base);
        assertThat(Table.of(StringColumn.of("s", "x", "y", "x"), LongColumn.of("d", 1, 2, 3)).fingerprint()).isNotEqualTo(base);
        assertThat(a.slice(0, 2).fingerprint()).isNotEqualTo(base);
        // "ab","c" vs "a","bc" must differ: strings are length-prefixed
        assertThat(Table.of(StringColumn.of("s", "ab", "c")).fingerprint())
                .isNotEqualTo(Table.of(StringColumn.of("s", "a", "bc")).fingerprint());
        // null differs from empty string and from NaN
        assertThat(Table.of(StringColumn.of("s", (String) null)).fingerprint())
                .isNotEqualTo(Table.of(StringColumn.of("s", "")).fingerprint());
        assertThat(Table.of(DoubleColumn.ofBoxed("d", (Double) null)).fingerprint())
                .isNotEqualTo(Table.of(DoubleColumn.of("d", Double.NaN)).fingerprint());
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeByte(0x05);
        out.writeInt(b.length);
        out.write(b);
    }
}
