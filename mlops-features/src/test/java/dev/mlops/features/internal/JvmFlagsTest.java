package dev.mlops.features.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The startup check, in child JVMs started with and without the flags Chronicle Map needs. */
class JvmFlagsTest {

    @TempDir
    Path dir;

    @Test
    void childJvmWithoutFlags_getsAnErrorNamingEveryMissingFlag_andOpensNothing() throws Exception {
        Path log = dir.resolve("child.log");
        Process p = ChildJvm.start(List.of(), FlagCheckChild.class, List.of(dir.resolve("store").toString()), log);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(out).contains("ERROR dev.mlops.core.NonRetriableException")
                .contains("--add-opens=java.base/java.lang=ALL-UNNAMED")
                .contains("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED")
                .contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")
                .contains("--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED")
                .contains("Fix:");
        assertThat(dir.resolve("store")).doesNotExist();
    }

    @Test
    void childJvmWithTheParentFlags_opensTheStore() throws Exception {
        Path log = dir.resolve("child.log");
        Process p = ChildJvm.start(ChildJvm.parentFlags(), FlagCheckChild.class, List.of(dir.resolve("store").toString()), log);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).contains("OPENED");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void thisJvm_startedWithTheParentPomFlags_missesNothing() {
        assertThat(JvmFlags.missing()).isEmpty();
    }
}
