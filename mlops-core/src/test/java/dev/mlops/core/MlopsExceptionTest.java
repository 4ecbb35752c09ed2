package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MlopsExceptionTest {

    @Test
    void retriable_followsTheBranchOfTheHierarchy() {
        assertThat(new RetriableException("busy").retriable()).isTrue();
        assertThat(new ResourceUnavailableException("redis://cache:6379", "connection refused").retriable())
                .isTrue();
        assertThat(new NonRetriableException("bad").retriable()).isFalse();
        assertThat(new ValidationException("failed").retriable()).isFalse();
        assertThat(new StoreCorruptedException(Path.of("x.db"), "bad magic", "delete it")).isInstanceOf(
                NonRetriableException.class);
        assertThat(new SchemaMismatchException(null, "3 columns", "2 columns", null))
                .isInstanceOf(NonRetriableException.class);
        assertThat(DataFormatException.builder("bad").build()).isInstanceOf(NonRetriableException.class);
        assertThat(new ColumnNotFoundException("a", List.of())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void resourceUnavailable_namesTheResourceAndKeepsTheCause() {
        var cause = new ConnectException("Connection refused");
        var e = new ResourceUnavailableException("redis://cache:6379", "connection refused", cause);

        assertThat(e.resource()).isEqualTo("redis://cache:6379");
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.getMessage()).startsWith("'redis://cache:6379' is unavailable: connection refused. Fix: ");
    }

    @Test
    void schemaMismatch_namesColumnExpectedFoundAndFix() {
        var e = new SchemaMismatchException("price", "DOUBLE", "STRING", "cast 'price' to DOUBLE");

        assertThat(e.getMessage())
                .isEqualTo("schema mismatch at column 'price': expected DOUBLE, found STRING. "
                        + "Fix: cast 'price' to DOUBLE");
        assertThat(e.column()).isEqualTo("price");
        assertThat(e.expected()).isEqualTo("DOUBLE");
        assertThat(e.actual()).isEqualTo("STRING");
        assertThat(new SchemaMismatchException(null, "5 columns", "4 columns", null).getMessage())
                .isEqualTo("schema mismatch: expected 5 columns, found 4 columns");
    }

    @Test
    void validation_showsSummaryAndFirstTwentyFailures() {
        List<String> failures = IntStream.range(0, 23).mapToObj(i -> "check " + i + " failed").toList();

        var e = new ValidationException("23 of 30 expectations failed", failures);

        assertThat(e.getMessage())
                .startsWith("23 of 30 expectations failed\n  - check 0 failed\n  - check 1 failed\n")
                .endsWith("  - check 19 failed\n  ... and 3 more");
        assertThat(e.summary()).isEqualTo("23 of 30 expectations failed");
        assertThat(e.failures()).isEqualTo(failures);
        assertThat(new ValidationException("all bad").getMessage()).isEqualTo("all bad");
        assertThat(new ValidationException("all bad").failures()).isEmpty();
    }

    @Test
    void storeCorrupted_namesPathProblemAndFix() {
        var cause = new IOException("short read");
        var e = new StoreCorruptedException(Path.of("registry", "models.db"), "checksum mismatch in block 7",
                "restore it from a backup", cause);

        assertThat(e.getMessage()).isEqualTo("store '" + Path.of("registry", "models.db")
                + "' is corrupted: checksum mismatch in block 7. Fix: restore it from a backup");
        assertThat(e.path()).isEqualTo(Path.of("registry", "models.db").toString());
        assertThat(e.problem()).isEqualTo("checksum mismatch in block 7");
        assertThat(e.fix()).isEqualTo("restore it from a backup");
        assertThat(e.getCause()).isSameAs(cause);
    }
}
