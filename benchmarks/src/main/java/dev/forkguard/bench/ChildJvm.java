package dev.forkguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one harness target in a fresh JVM, with or without the agent, and collects the {@code RESULT}
 * lines it prints. Bounded: on time-out the JVM and every process below it get SIGKILL (a hung
 * forked JVM ignores SIGTERM), and nothing it started outlives the call.
 */
final class ChildJvm {

    /** Prefix of the lines a target prints for the harness: {@code RESULT <name> <values...>}. */
    static final String RESULT = "RESULT ";

    private final Path java;
    private final Path classpath;
    private final String mainClass;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private Path agentJar;
    private String agentArgs;
    private long timeoutSeconds = 300;

    private boolean separateCache;

    ChildJvm(Path javaHome, Path classpath, Class<?> main) {
        this.java = javaHome.resolve("bin/java");
        this.classpath = classpath;
        this.mainClass = main.getName();
        // The targets' own JNA forks on JDK 22+ without a warning; the same flag with and without the agent.
        jvmArgs.add("--enable-native-access=ALL-UNNAMED");
    }

    ChildJvm agent(Path jar, String options) {
        this.agentJar = jar;
        this.agentArgs = options;
        return this;
    }

    /** For a second agent jar beside the measured one (the baseline): its own user cache. */
    ChildJvm separateCache() {
        this.separateCache = true;
        return this;
    }

    ChildJvm jvmArgs(String... more) {
        jvmArgs.addAll(Arrays.asList(more));
        return this;
    }

    ChildJvm args(Object... more) {
        for (Object a : more) {
            args.add(String.valueOf(a));
        }
        return this;
    }

    ChildJvm timeoutSeconds(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmArgs);
        if (agentJar != null) {
            cmd.add("-javaagent:" + agentJar.toAbsolutePath() + (agentArgs == null || agentArgs.isEmpty() ? "" : "=" + agentArgs));
        }
        cmd.add("-cp");
        cmd.add(classpath.toString());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    private static Path cacheHomeOf(Path agentJar) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "forkguard-bench-cache-"
                + Integer.toHexString(agentJar.toAbsolutePath().normalize().toString().hashCode()));
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        return dir;
    }

    /** Starts the JVM; {@code startNanos} of the result is {@link System#nanoTime()} just before the start. */
    Result run() throws IOException, InterruptedException {
        List<String> cmd = command();
        Path dir = Files.createTempDirectory("forkguard-bench-");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FORKGUARD_") || k.equals("JAVA_TOOL_OPTIONS"));
        if (agentJar != null && separateCache) {
            // A user cache of its own: one shared by two builds would have each rewrite the other's woven
            // classes at every start, so a side-by-side run would weave (Byte Buddy) each time.
            pb.environment().put("XDG_CACHE_HOME", cacheHomeOf(agentJar).toString());
        }
        long start = System.nanoTime();
        Process p = pb.start();
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        long end = System.nanoTime();
        killTree(p.toHandle());
        p.waitFor(10, TimeUnit.SECONDS);
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        Files.deleteIfExists(dir);
        if (!finished || p.exitValue() != 0) {
            throw new IOException((finished ? "exit code " + p.exitValue() : "timed out after " + timeoutSeconds + " s")
                    + ": " + String.join(" ", cmd) + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr);
        }
        return new Result(stdout, start, end);
    }

    static void killTree(ProcessHandle root) {
        root.descendants().forEach(ProcessHandle::destroyForcibly);
        root.destroyForcibly();
    }

    /** What a target printed. */
    static final class Result {
        final String stdout;
        final long startNanos;
        final long endNanos;

        Result(String stdout, long startNanos, long endNanos) {
            this.stdout = stdout;
            this.startNanos = startNanos;
            this.endNanos = endNanos;
        }

        String text(String name) {
            for (String line : stdout.split("\n")) {
                if (line.startsWith(RESULT + name + " ")) {
                    return line.substring(RESULT.length() + name.length() + 1).trim();
                }
            }
            throw new IllegalStateException("no " + name + " in the target's output:\n" + stdout);
        }

        long[] longs(String name) {
            String t = text(name);
            return t.isEmpty() ? new long[0] : Arrays.stream(t.split(" ")).mapToLong(Long::parseLong).toArray();
        }

        long one(String name) {
            return Long.parseLong(text(name));
        }
    }
}
