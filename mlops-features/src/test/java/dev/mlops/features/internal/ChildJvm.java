package dev.mlops.features.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a child JVM on this test JVM's class path and java binary, with the flags given (and no others). */
final class ChildJvm {

    private ChildJvm() {
    }

    static Process start(List<String> jvmFlags, Class<?> main, List<String> args, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The flags of the parent pom (what Surefire gave this JVM), read back from this JVM's input arguments. */
    static List<String> parentFlags() {
        List<String> out = new ArrayList<>();
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native") || a.startsWith("--sun-misc")
                    || a.startsWith("-Dchronicle")) {
                out.add(a);
            }
        }
        return out;
    }
}
