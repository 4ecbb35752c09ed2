package dev.mlops.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The provenance recorded on every run as {@code mlops.*} tags: the git commit of the source checkout (read from
 * {@code .git} files, no process started), the JVM, the OS and library versions.
 */
final class Provenance {

    static final String GIT_COMMIT = "mlops.source.git.commit";
    static final String GIT_BRANCH = "mlops.source.git.branch";
    static final String JVM = "mlops.jvm";
    static final String OS = "mlops.os";
    static final String LIB_PREFIX = "mlops.lib.";

    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    private Provenance() {
    }

    /** The tags for a run started with sources in {@code sourceDirectory}. */
    static Map<String, String> tags(Path sourceDirectory, String sqliteVersion) {
        Map<String, String> tags = new LinkedHashMap<>();
        gitHead(sourceDirectory).ifPresent(h -> {
            tags.put(GIT_COMMIT, h.commit());
            if (h.branch() != null) {
                tags.put(GIT_BRANCH, h.branch());
            }
        });
        tags.put(JVM, System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.vm.name", "?") + " "
                + Runtime.version());
        tags.put(OS, System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "?") + " "
                + System.getProperty("os.arch", "?"));
        if (sqliteVersion != null) { // null when tracking is not embedded
            tags.put(LIB_PREFIX + "sqlite", sqliteVersion);
        }
        mavenVersion("dev.mlops", "mlops-registry", Provenance.class).ifPresent(v -> tags.put(LIB_PREFIX + "mlops-registry", v));
        mavenVersion("org.xerial", "sqlite-jdbc", null).ifPresent(v -> tags.put(LIB_PREFIX + "sqlite-jdbc", v));
        mavenVersion("org.tribuo", "tribuo-core", null).ifPresent(v -> tags.put(LIB_PREFIX + "tribuo", v));
        return tags;
    }

    /** A checkout's HEAD: the commit and the branch, or a null branch for a detached HEAD. */
    record GitHead(String commit, String branch) {
    }

    /** Finds the checkout containing {@code dir} and reads its HEAD commit; empty when there is none. */
    static Optional<GitHead> gitHead(Path dir) {
        try {
            for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
                Path dotGit = p.resolve(".git");
                if (Files.isDirectory(dotGit)) {
                    return readHead(dotGit, dotGit);
                }
                if (Files.isRegularFile(dotGit)) {
                    // a worktree or submodule: "gitdir: <path>"
                    String line = Files.readString(dotGit, StandardCharsets.UTF_8).trim();
                    if (!line.startsWith("gitdir:")) {
                        return Optional.empty();
                    }
                    Path gitDir = p.resolve(line.substring("gitdir:".length()).trim()).normalize();
                    Path common = gitDir;
                    Path commonFile = gitDir.resolve("commondir");
                    if (Files.isRegularFile(commonFile)) {
                        common = gitDir.resolve(Files.readString(commonFile).trim()).normalize();
                    }
                    return readHead(gitDir, common);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<GitHead> readHead(Path gitDir, Path commonDir) throws IOException {
        String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).trim();
        if (SHA1.matcher(head).matches()) {
            return Optional.of(new GitHead(head, null));
        }
        if (!head.startsWith("ref:")) {
            return Optional.empty();
        }
        String ref = head.substring(4).trim();
        String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
        for (Path base : new Path[] {gitDir, commonDir}) {
            Path refFile = base.resolve(ref).normalize();
            if (refFile.startsWith(base) && Files.isRegularFile(refFile)) {
                String sha = Files.readString(refFile, StandardCharsets.UTF_8).trim();
                if (SHA1.matcher(sha).matches()) {
                    return Optional.of(new GitHead(sha, branch));
                }
            }
        }
        Path packed = commonDir.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2 && parts[1].equals(ref) && SHA1.matcher(parts[0]).matches()) {
                    return Optional.of(new GitHead(parts[0], branch));
                }
            }
        }
        return Optional.empty(); // an unborn branch: no commit yet
    }

    private static Optional<String> mavenVersion(String group, String artifact, Class<?> fallback) {
        String res = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        ClassLoader loader = Provenance.class.getClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(res)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return Optional.ofNullable(p.getProperty("version"));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (fallback != null && fallback.getPackage() != null) {
            return Optional.ofNullable(fallback.getPackage().getImplementationVersion());
        }
        return Optional.empty();
    }
}
