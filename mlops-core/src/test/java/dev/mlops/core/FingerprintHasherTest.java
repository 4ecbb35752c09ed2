package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Checks the documented byte layout of {@link Fingerprint.Hasher} against digests computed independently. */
class FingerprintHasherTest {

    @Test
    void encoding_matchesTheDocumentedByteLayout() throws Exception {
        Fingerprint abc = Fingerprint.of("abc");
        String layout = String.join("",
                "00",                                     // putNull
                "01" + "01",                              // putBoolean(true)
                "02" + "00000001",                        // putInt(1)
                "03" + "fffffffffffffffe",                // putLong(-2)
                "04" + "3ff8000000000000",                // putDouble(1.5)
                "05" + "00000002" + "c3a9",               // putString("\u00e9"): UTF-8 length 2
                "06" + "00000002" + "0102",               // putBytes({1, 2})
                "07" + FingerprintTest.ABC,               // putFingerprint(sha256("abc"))
                "08" + "0000000000000001" + "00000005");  // putInstant(1 s + 5 ns)

        Fingerprint hashed = Fingerprint.hasher()
                .putNull()
                .putBoolean(true)
                .putInt(1)
                .putLong(-2)
                .putDouble(1.5)
                .putString("\u00e9")
                .putBytes(new byte[] {1, 2})
                .putFingerprint(abc)
                .putInstant(Instant.ofEpochSecond(1, 5))
                .finish();

        byte[] expected = MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(layout));
        assertThat(hashed.hex()).isEqualTo(HexFormat.of().formatHex(expected));
        // echo <layout> | xxd -r -p | sha256sum
        assertThat(hashed.hex()).isEqualTo("753cfbb8a37182e5887c426b22b154c624a2404a3b3120879e0fe9d09cde57ce");
    }

    @Test
    void stringsAreLengthPrefixed_soSplitsDiffer() {
        Fingerprint abC = Fingerprint.hasher().putString("ab").putString("c").finish();
        Fingerprint aBc = Fingerprint.hasher().putString("a").putString("bc").finish();

        assertThat(abC).isNotEqualTo(aBc);
        // echo 05000000026162050000000163 | xxd -r -p | sha256sum
        assertThat(abC.hex()).isEqualTo("b43e769bfa3880013574a4f3cd156dad20cf77316d05b1b4d417f3d877390146");
        // echo 05000000016105000000026263 | xxd -r -p | sha256sum
        assertThat(aBc.hex()).isEqualTo("742d6f0ed72d96d0ccd55a9390753ffc1885416573efc11823f18b64e232d805");
    }

    @Test
    void samePuts_giveTheSameFingerprint() {
        assertThat(sample().hex()).isEqualTo(sample().hex());
    }

    private static Fingerprint sample() {
        return Fingerprint.hasher().putString("churn").putLong(7).putDouble(0.25).putNull()
                .putInstant(Instant.parse("2024-01-02T03:04:05.123456789Z")).finish();
    }

    @Test
    void typeTags_keepEqualBitsOfDifferentTypesApart() {
        assertThat(Fingerprint.hasher().putInt(1).finish()).isNotEqualTo(Fingerprint.hasher().putLong(1).finish());
        assertThat(Fingerprint.hasher().putString("").finish()).isNotEqualTo(Fingerprint.hasher().putNull().finish());
        assertThat(Fingerprint.hasher().putBytes(new byte[] {'a'}).finish())
                .isNotEqualTo(Fingerprint.hasher().putString("a").finish());
    }

    @Test
    void doubles_allNaNsAreOne_butNegativeZeroIsNotZero() {
        double otherNaN = Double.longBitsToDouble(0x7ff8_0000_0000_0001L);

        assertThat(Fingerprint.hasher().putDouble(otherNaN).finish())
                .isEqualTo(Fingerprint.hasher().putDouble(Double.NaN).finish());
        assertThat(Fingerprint.hasher().putDouble(-0.0).finish())
                .isNotEqualTo(Fingerprint.hasher().putDouble(0.0).finish());
    }

    @Test
    void nullObjects_writeTheNullMarker() {
        Fingerprint nulls = Fingerprint.hasher().putNull().putNull().putNull().putNull().finish();

        assertThat(Fingerprint.hasher().putString(null).putBytes(null).putFingerprint(null).putInstant(null)
                .finish()).isEqualTo(nulls);
    }

    @Test
    void finish_spendsTheHasher() {
        Fingerprint.Hasher hasher = Fingerprint.hasher().putLong(1);
        hasher.finish();

        assertThatThrownBy(() -> hasher.putLong(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Fingerprint.hasher()");
        assertThatThrownBy(hasher::finish).isInstanceOf(IllegalStateException.class);
    }
}
