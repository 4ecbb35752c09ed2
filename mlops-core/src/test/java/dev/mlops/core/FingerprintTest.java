package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digests are checked against the SHA-256 examples of FIPS 180-2 (appendix B) and NIST's test vectors;
 * each was also reproduced with coreutils, e.g. {@code printf 'abc' | sha256sum}.
 */
class FingerprintTest {

    static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String MSG_448_BITS = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    static final String MSG_448_BITS_SHA256 = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    /** {@code head -c 1000000 /dev/zero | tr '\0' a | sha256sum} (FIPS 180-2 B.3). */
    static final String MILLION_A = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

    @TempDir
    Path dir;

    @Test
    void of_matchesFipsVectors() {
        assertThat(Fingerprint.of("").hex()).isEqualTo(EMPTY);
        assertThat(Fingerprint.of("abc").hex()).isEqualTo(ABC);
        assertThat(Fingerprint.of(MSG_448_BITS).hex()).isEqualTo(MSG_448_BITS_SHA256);
        assertThat(Fingerprint.of("abc".getBytes(StandardCharsets.US_ASCII)).hex()).isEqualTo(ABC);
    }

    @Test
    void ofInputStream_readsAcrossBuffers_andLeavesTheStreamOpen() throws Exception {
        byte[] millionA = new byte[1_000_000];
        Arrays.fill(millionA, (byte) 'a');
        var in = new ByteArrayInputStream(millionA) {
            boolean closed;

            @Override
            public void close() {
                closed = true;
            }
        };

        assertThat(Fingerprint.of((InputStream) in).hex()).isEqualTo(MILLION_A);
        assertThat(in.closed).isFalse();
    }

    @Test
    void ofPath_hashesContentOnly() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), MSG_448_BITS);
        Path b = Files.writeString(dir.resolve("other-name.bin"), MSG_448_BITS);
        Files.setLastModifiedTime(b, java.nio.file.attribute.FileTime.fromMillis(0));

        assertThat(Fingerprint.of(a).hex()).isEqualTo(MSG_448_BITS_SHA256);
        assertThat(Fingerprint.of(b)).isEqualTo(Fingerprint.of(a));
        assertThat(Fingerprint.of(Files.createFile(dir.resolve("empty"))).hex()).isEqualTo(EMPTY);
    }

    @Test
    void ofPath_missingFile_namesThePath_andSuggestsASibling() throws Exception {
        Files.writeString(dir.resolve("train.csv"), "x");
        Path missing = dir.resolve("trian.csv");

        assertThatThrownBy(() -> Fingerprint.of(missing))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("file '" + missing + "' not found; did you mean '"
                        + dir.resolve("train.csv") + "'?");
    }

    @Test
    void ofPath_directory_isRejectedWithAFix() {
        assertThatThrownBy(() -> Fingerprint.of(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("is a directory")
                .hasMessageContaining("Fix: ");
    }

    @Test
    void toString_hex_shortHex_bytes() {
        Fingerprint f = Fingerprint.of("abc");

        assertThat(f).hasToString("sha256:" + ABC);
        assertThat(f.shortHex()).isEqualTo("ba7816bf8f01");
        assertThat(f.bytes()).hasSize(32).startsWith((byte) 0xba, (byte) 0x78);
        f.bytes()[0] = 0;
        assertThat(f.hex()).isEqualTo(ABC);
    }

    @Test
    void parse_acceptsPrefixedBareAndUpperCase() {
        Fingerprint f = Fingerprint.of("abc");

        assertThat(Fingerprint.parse("sha256:" + ABC)).isEqualTo(f).hasSameHashCodeAs(f);
        assertThat(Fingerprint.parse(ABC)).isEqualTo(f);
        assertThat(Fingerprint.parse("SHA256:" + ABC.toUpperCase())).isEqualTo(f);
        assertThat(Fingerprint.parse(f.toString()).toString()).isEqualTo(f.toString());
        assertThat(f).isNotEqualTo(Fingerprint.of("abd"));
    }

    @Test
    void parse_wrongLength_saysHowManyCharactersItFound() {
        assertThatThrownBy(() -> Fingerprint.parse("sha256:abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot parse fingerprint \"sha256:abc\": expected 64 hex digits, found 3 characters. "
                        + "Fix: pass the text Fingerprint.toString() printed, 'sha256:' and 64 hex digits");
        assertThatThrownBy(() -> Fingerprint.parse(ABC + "\n"))
                .hasMessageContaining("\\n\": expected 64 hex digits, found 65 characters");
    }

    @Test
    void parse_nonHexCharacter_isNamedWithItsIndex() {
        String text = "sha256:" + ABC.substring(0, 10) + "g" + ABC.substring(11);

        assertThatThrownBy(() -> Fingerprint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'g' at index 17 is not a hex digit");
    }

    @Test
    void parse_otherAlgorithm_isNamed() {
        assertThatThrownBy(() -> Fingerprint.parse("md5:900150983cd24fb0d6963f7d28e17f72"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported algorithm 'md5'");
    }

    @Test
    void parse_hugeInput_isCutInTheMessage() {
        assertThatThrownBy(() -> Fingerprint.parse("f".repeat(100_000)))
                .hasMessageContaining("\"... (100000 chars)")
                .hasMessageContaining("found 100000 characters");
    }

    @Test
    void combine_isOrderSensitive_andEqualsPuttingEachFingerprint() {
        Fingerprint a = Fingerprint.of("abc");
        Fingerprint b = Fingerprint.of("");

        assertThat(Fingerprint.combine(a, b)).isEqualTo(Fingerprint.hasher().putFingerprint(a).putFingerprint(b)
                .finish());
        assertThat(Fingerprint.combine(a, b)).isNotEqualTo(Fingerprint.combine(b, a));
        // printf '07%s07%s' <abc digest> <empty digest> | xxd -r -p | sha256sum
        assertThat(Fingerprint.combine(a, b).hex())
                .isEqualTo("7076c904d16614aa34ab915c741e6b5e39fa2232d3f916eddb14f4d37356a099");
    }

    @Test
    void combine_namesTheNullPart() {
        assertThatThrownBy(() -> Fingerprint.combine(Fingerprint.of("a"), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("fingerprints[1] is null");
    }
}
