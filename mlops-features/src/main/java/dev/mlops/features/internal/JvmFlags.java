package dev.mlops.features.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags Chronicle Map needs, checked before any Chronicle class loads, so a host that forgot one
 * gets a list of what is missing instead of a stack trace from inside Chronicle.
 */
public final class JvmFlags {

    private JvmFlags() {
    }

    /** The flags missing from this JVM, as they must be written on the java command line. */
    public static List<String> missing() {
        Module target = ClassLoader.getSystemClassLoader().getUnnamedModule();
        Module base = Object.class.getModule();
        List<String> out = new ArrayList<>();
        if (!base.isOpen("java.lang", target)) {
            out.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        }
        if (!base.isOpen("java.lang.reflect", target)) {
            out.add("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED");
        }
        if (!base.isExported("sun.nio.ch", target)) {
            out.add("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
        }
        Optional<Module> compiler = ModuleLayer.boot().findModule("jdk.compiler");
        if (compiler.isEmpty()) {
            out.add("(a full JDK with the jdk.compiler module, not a jlink runtime)");
        } else if (!compiler.get().isExported("com.sun.tools.javac.file", target)) {
            out.add("--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED");
        }
        return out;
    }

    /** Throws when a flag is missing, naming every missing flag and the fix. */
    public static void require() {
        List<String> m = missing();
        if (!m.isEmpty()) {
            throw new dev.mlops.core.NonRetriableException("the Chronicle Map online store cannot start: this JVM lacks "
                    + String.join(" ", m) + ". Fix: add them to the java command line (JDK 24+ also wants "
                    + "--sun-misc-unsafe-memory-access=allow), or start through ./mlops, which passes them");
        }
    }
}
