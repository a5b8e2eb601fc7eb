package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs an application in a real JVM, with or without the agent, and waits for it within a bound.
 * On time-out the JVM and every process below it get SIGKILL (a hung forked JVM ignores SIGTERM);
 * no process a test starts outlives it.
 */
final class ForkedJvm {

    static final Path AGENT_JAR = Paths.get(System.getProperty("forkguard.it.agentJar", "../agent/target/forkguard-agent.jar"));
    static final Path APP_JAR = Paths.get(System.getProperty("forkguard.it.appJar", "target/forkguard-demo.jar"));
    static final Path JAVA_HOME = Paths.get(System.getProperty("forkguard.it.javaHome", System.getProperty("java.home")));

    private final String mainClass;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> appArgs = new ArrayList<>();
    private final List<String> classpath = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> launcher = new ArrayList<>();
    private String agentArgs;
    private boolean agent = true;
    private Duration timeout = Duration.ofSeconds(60);
    private boolean retryJvmLocks;

    private ForkedJvm(String mainClass) {
        this.mainClass = mainClass;
        classpath.add(APP_JAR.toString());
        // The application's own JNA must not be what warns on JDK 22+; the agent's must not warn at all.
        jvmArgs.add("--enable-native-access=ALL-UNNAMED");
    }

    static ForkedJvm app(Class<?> main) {
        return new ForkedJvm(main.getName());
    }

    static ForkedJvm app(String mainClass) {
        return new ForkedJvm(mainClass);
    }

    ForkedJvm agentArgs(String args) {
        this.agentArgs = args;
        return this;
    }

    ForkedJvm withoutAgent() {
        this.agent = false;
        return this;
    }

    ForkedJvm jvmArg(String... args) {
        jvmArgs.addAll(Arrays.asList(args));
        return this;
    }

    ForkedJvm args(String... args) {
        appArgs.addAll(Arrays.asList(args));
        return this;
    }

    /** Adds entries to the application's class path, after the demo jar. */
    ForkedJvm classpath(String... entries) {
        classpath.addAll(Arrays.asList(entries));
        return this;
    }

    /** Leaves the demo jar (with its JNA) off the class path: the application brings its own. */
    ForkedJvm withoutDemoJar() {
        classpath.remove(APP_JAR.toString());
        return this;
    }

    ForkedJvm env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Runs the JVM under a command, e.g. {@code unshare -p -f --mount-proc} for a pid namespace. */
    ForkedJvm launcher(String... command) {
        launcher.addAll(Arrays.asList(command));
        return this;
    }

    ForkedJvm timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    static int javaFeature() {
        try {
            Process p = new ProcessBuilder(JAVA_HOME.resolve("bin/java").toString(), "-version").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            String v = out.replaceAll("(?s).*version \"([0-9]+).*", "$1");
            return Integer.parseInt(v);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the version of " + JAVA_HOME, e);
        }
    }

    /**
     * Runs once more if a child the application killed was blocked in a JVM-internal mutex: its clone
     * caught one of the JVM's own locks (the JIT's queue, a safepoint) held by a thread the child does not
     * have. The agent keeps its own background work out of clones, but the forking thread's snapshot is
     * Java run just before the clone, and under load such a child was still seen (docs/DESIGN.md, Agent
     * work and clones kept apart). The retry is printed. Only for applications whose children should
     * end, and only for this cause: a child blocked anywhere else fails the test.
     */
    ForkedJvm retryIfAChildCaughtJvmLocks() {
        this.retryJvmLocks = true;
        return this;
    }

    Result run() throws IOException, InterruptedException {
        Result r = runOnce();
        if (retryJvmLocks && r.stdout.contains(" was blocked in a JVM-internal mutex")) {
            System.out.println("[ForkedJvm] a child caught the JVM's own locks at its clone; once more: " + r.stdout);
            clearReportDir();
            r = runOnce();
        }
        return r;
    }

    /** The first run's reports must not be taken for the second's. */
    private void clearReportDir() throws IOException {
        Matcher m = Pattern.compile("(?:^|,)reportDir=([^,]+)").matcher(agentArgs == null ? "" : agentArgs);
        if (m.find() && Files.isDirectory(Paths.get(m.group(1)))) {
            try (Stream<Path> files = Files.list(Paths.get(m.group(1)))) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private Result runOnce() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(JAVA_HOME.resolve("bin/java").toString());
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmArgs);
        if (agent) {
            cmd.add("-javaagent:" + AGENT_JAR.toAbsolutePath() + (agentArgs == null ? "" : "=" + agentArgs));
        }
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, classpath));
        cmd.add(mainClass);
        cmd.addAll(appArgs);
        Path dir = Files.createTempDirectory("forkguard-it-");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FORKGUARD_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            killTree(p.toHandle());
            p.waitFor(10, TimeUnit.SECONDS);
        }
        // Children the application forked and did not reap are killed too.
        killTree(p.toHandle());
        return new Result(cmd, finished ? p.exitValue() : -1, !finished, Files.readString(out), Files.readString(err));
    }

    private static void killTree(ProcessHandle root) {
        root.descendants().forEach(ProcessHandle::destroyForcibly);
        root.destroyForcibly();
    }

    /** Runs forkguard's CLI ({@code java -jar forkguard-agent.jar …}) to its end, within 60 s; exit code, then output. */
    static String[] cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA_HOME.resolve("bin/java").toString(), "-jar",
                AGENT_JAR.toAbsolutePath().toString()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            killTree(p.toHandle());
            throw new AssertionError("CLI did not end: " + out);
        }
        return new String[] {String.valueOf(p.exitValue()), out};
    }

    /** The pid in the application's first {@code app: forked child <pid>} line; fails the test, showing {@code context}, without one. */
    static String childPid(String stdout, String context) {
        Matcher m = Pattern.compile("app: forked child (\\d+)").matcher(stdout);
        assertThat(m.find()).as(context).isTrue();
        return m.group(1);
    }

    /**
     * The processes a test starts itself, outside {@link #run()}: after each test they and every process
     * below them get SIGKILL. Registered with {@code @RegisterExtension}.
     */
    static final class Started implements AfterEachCallback {
        private final List<Process> processes = new ArrayList<>();

        Process add(Process p) {
            processes.add(p);
            return p;
        }

        @Override
        public void afterEach(ExtensionContext context) {
            for (Process p : processes) {
                killTree(p.toHandle());
            }
            processes.clear();
        }
    }

    /** What the JVM printed and how it ended. */
    static final class Result {
        final List<String> command;
        final int exitCode;
        final boolean timedOut;
        final String stdout;
        final String stderr;

        Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr) {
            this.command = command;
            this.exitCode = exitCode;
            this.timedOut = timedOut;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** Lines of standard error that contain {@code text}. */
        List<String> stderrLines(String text) {
            List<String> out = new ArrayList<>();
            for (String line : stderr.split("\n")) {
                if (line.contains(text)) {
                    out.add(line);
                }
            }
            return out;
        }

        /** The pid in the application's first {@code app: forked child <pid>} line; fails the test without one. */
        String childPid() {
            return ForkedJvm.childPid(stdout, toString());
        }

        /**
         * Only the fork without exec was reported, not the JDK's launches: one WARN headline, that of
         * fork #1, no ERROR, and one file in {@code reports}, its JSON report.
         */
        void assertOnlyFork1Reported(Path reports) throws IOException {
            assertThat(agentLines("WARN")).as(toString()).hasSize(1)
                    .allSatisfy(line -> assertThat(line).startsWith("WARN  fork #1 in pid "));
            assertThat(agentLines("ERROR")).isEmpty();
            List<Path> files;
            try (Stream<Path> s = Files.list(reports)) {
                files = s.toList();
            }
            assertThat(files).hasSize(1);
            assertThat(files.get(0).getFileName().toString()).endsWith("-1.json");
        }

        /** The agent's log lines at {@code level}, from the level on (no timestamp). */
        List<String> agentLines(String level) {
            List<String> out = new ArrayList<>();
            for (String line : stderr.split("\n")) {
                int at = line.indexOf("[forkguard] " + level);
                if (at >= 0) {
                    out.add(line.substring(at + "[forkguard] ".length()));
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "command: " + String.join(" ", command) + "\nexit: " + exitCode + (timedOut ? " (timed out)" : "")
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }
}
