package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario: Python hosts a JVM through JPype (Debian's python3-jpype, /usr/bin/python3),
 * starts a Java pool, and multiprocessing forks. Once with the agent alone (native callers only),
 * then with forkguard's Python package ({@code python3 -m forkguard}, {@code forkguard.install()}),
 * whose report speaks Python. Installs python3-jpype itself when missing (as root, as CI runs), and
 * fails with the reason when it cannot.
 */
class PythonHostIT {

    private static final Path SCRIPT = Paths.get("src/test/python/fork_with_pool.py").toAbsolutePath();
    private static final Path HOST_APP = Paths.get("src/test/python/python_host_app.py").toAbsolutePath();
    private static final Path PYTHON_PACKAGE = Paths.get("../python").toAbsolutePath().normalize();
    private static final Path JPYPE_JAR = Paths.get("/usr/share/java/org.jpype.jar");

    /**
     * HostWork's pool in a report: a worker alone, or alike workers as one group (docs/REPORT.md); their
     * stacks vary with the work.
     */
    static final String HOST_WORK_POOL = "(\"pool-1-thread-\\d\" #\\d+ [A-Z_]+, worker of|\\d threads "
            + "\"pool-\\*-thread-\\*\" #\\d+\\.\\.#\\d+ [A-Z_]+, same stack, workers of) java\\.util\\.concurrent\\."
            + "ThreadPoolExecutor@[0-9a-f]+ created at dev\\.forkguard\\.it\\.app\\.HostWork\\.start";

    @TempDir
    Path reportDir;

    @BeforeAll
    static void jpypeInstalled() throws Exception {
        if (!Files.exists(JPYPE_JAR)) {
            run(List.of("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                    + "python3-jpype"), Map.of(), 600);
        }
        assertThat(JPYPE_JAR).as("python3-jpype is needed: apt-get install python3-jpype (as root)").exists();
    }

    /** Runs a command to its end (bounded: then it and every descendant are killed); exit code and output. */
    static String[] run(List<String> cmd, Map<String, String> env, long seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("FORKGUARD_AGENT_JAR");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.waitFor();
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }

    private static String python(String method) throws Exception {
        String[] r = run(List.of("/usr/bin/python3", SCRIPT.toString(),
                ForkedJvm.JAVA_HOME.resolve("lib/server/libjvm.so").toString(),
                "-javaagent:" + ForkedJvm.AGENT_JAR.toAbsolutePath(), ForkedJvm.APP_JAR.toAbsolutePath().toString(),
                method, "5"), Map.of(), 120);
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        return r[1];
    }

    /** python_host_app.py in {@code mode} "cli" (under python3 -m forkguard) or "install". */
    private String hostApp(String mode, String method) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3"));
        if (mode.equals("cli")) {
            cmd.addAll(List.of("-m", "forkguard", "--options", "reportDir=" + reportDir));
        }
        cmd.addAll(List.of(HOST_APP.toString(), mode, ForkedJvm.JAVA_HOME.resolve("lib/server/libjvm.so").toString(),
                ForkedJvm.APP_JAR.toAbsolutePath().toString(), method, "5"));
        Map<String, String> env = new HashMap<>();
        env.put("PYTHONPATH", PYTHON_PACKAGE.toString());
        env.put("FORKGUARD_AGENT_JAR", ForkedJvm.AGENT_JAR.toAbsolutePath().toString());
        env.put("FORKGUARD_REPORT_DIR", reportDir.toString()); // for install(), which passes no options
        String[] r = run(cmd, env, 120);
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        return r[1];
    }

    /** The line of python_host_app.py that starts the child: where the report must say it forked. */
    private static int forkLine() throws Exception {
        List<String> lines = Files.readAllLines(HOST_APP);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("# forkguard-it: the fork")) {
                return i + 1;
            }
        }
        throw new AssertionError("no fork marker in " + HOST_APP);
    }

    @Test
    void multiprocessingForkOfAJvmHostIsReportedAndTheChildCalledHung() throws Exception {
        String out = python("fork");
        assertThat(out).as(out)
                .containsPattern("WARN  fork #1 in pid (\\d+) by thread \"main\" \\(tid \\1\\)")
                // Debian links libpython into the interpreter; os.fork's own function is static, so it
                // shows as an offset. Its caller cannot be verified (its start is unknown, and the
                // interpreter calls it through a register): the list ends there, with no stale frame.
                .containsPattern("Native code that called fork\\(\\) \\(likely callers, nearest first\\):\n"
                        + "      at python3\\.\\d+\\+0x[0-9a-f]+\n"
                        + "Threads that will not exist in the child:\n")
                .containsPattern(HOST_WORK_POOL)
                .containsPattern("ReentrantLock@[0-9a-f]+ held by \"model-cache-loader\"")
                .containsPattern("ERROR fork #1 in pid \\d+: child pid \\d+ HUNG")
                .contains("  - JVM-internal: no VM Thread in the child")
                .contains("still running after 5 s: killed")
                .doesNotContain("OrphanedLockCheck.warmUp")
                .doesNotContain("Python code that forked"); // no Python package, no Python section
    }

    @Test
    void pythonMForkguardReportsTheForkInPythonsTerms() throws Exception {
        String out = hostApp("cli", "fork");
        assertPythonReport(out);
        Path json;
        try (Stream<Path> files = Files.list(reportDir)) {
            json = files.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
        JsonNode python = new ObjectMapper().readTree(json.toFile()).path("python");
        JsonNode forking = python.path("forkingThread").path("stack");
        JsonNode newestOfTheScript = null;
        for (JsonNode f : forking) {
            if (f.path("file").asText().equals(HOST_APP.toString())) {
                newestOfTheScript = f;
            }
        }
        assertThat(newestOfTheScript).as(python.toString()).isNotNull();
        assertThat(newestOfTheScript.path("function").asText()).isEqualTo("launch_workers");
        assertThat(newestOfTheScript.path("line").asInt()).isEqualTo(forkLine());
        assertThat(forking.get(forking.size() - 1).path("function").asText()).isEqualTo("_launch"); // os.fork()'s caller
        assertThat(python.path("startMethod").asText()).isEqualTo("fork");
        assertThat(python.path("vanishingThreads").findValuesAsText("name")).contains("model-loader");
        htmlViewShowsThePythonSide(json, new ObjectMapper().readTree(json.toFile()).path("forkingThread").path("id")
                .asLong());
    }

    /** The HTML view of that report, in headless Chromium: the Python thread's node, the forking traceback. */
    private void htmlViewShowsThePythonSide(Path json, long forkingId) throws Exception {
        Path chromium = Paths.get("/usr/bin/chromium");
        assertThat(chromium).as("Chromium is needed (HtmlViewIT installs it): apt-get install chromium").exists();
        Path html = reportDir.resolve("view.html");
        String[] cli = run(List.of(ForkedJvm.JAVA_HOME.resolve("bin/java").toString(), "-jar",
                ForkedJvm.AGENT_JAR.toAbsolutePath().toString(), "report", "--format", "html", json.toString(), "-o",
                html.toString()), Map.of(), 60);
        assertThat(cli[0]).as(cli[1]).isEqualTo("0");
        Path profile = Files.createTempDirectory(reportDir, "chromium-profile-");
        String[] dump = run(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,900", "--virtual-time-budget=5000", "--dump-dom",
                html.toUri() + "#select=thread:" + forkingId), Map.of(), 120);
        String dom = dump[1];
        assertThat(dom).as(dom).contains("data-graph=\"rendered\"")
                .containsPattern("data-node-id=\"python:\\d+\" data-classes=\"python vanishing\"")
                .contains("vanishing Python thread: model-loader");
        String details = dom.substring(dom.indexOf("<aside id=\"details\""), dom.indexOf("</aside>"));
        assertThat(details).contains("<dt>Python code that forked (most recent call last)</dt>")
                .contains("File \"" + HOST_APP + "\", line " + forkLine() + ", in launch_workers");
    }

    @Test
    void forkguardInstallReportsTheSame() throws Exception {
        String out = hostApp("install", "fork");
        assertPythonReport(out);
    }

    private static void assertPythonReport(String out) throws Exception {
        assertThat(out).as(out)
                .containsPattern("WARN  fork #1 in pid (\\d+) by thread \"main\" \\(tid \\1\\), child pid \\d+: "
                        + "\\d+ Java, 1 Python and \\d+ other threads vanish")
                .contains("Python code that forked (thread \"MainThread\", native id ")
                .contains("    File \"" + HOST_APP + "\", line " + forkLine() + ", in launch_workers\n"
                        + "      child.start()  # forkguard-it: the fork\n")
                .containsPattern("    File \"[^\"]+/multiprocessing/popen_fork\\.py\", line \\d+, in _launch\n"
                        + "      self\\.pid = os\\.fork\\(\\)\n")
                .containsPattern("Python threads that will not exist in the child \\(CPython 3\\.\\d+\\.\\d+; forked by "
                        + "multiprocessing, multiprocessing start method fork\\):\n"
                        + "  \"model-loader\" daemon, native id \\d+ \\(most recent call last\\):\n"
                        + "(    .*\n)*?    File \"" + Pattern.quote(HOST_APP.toString())
                        + "\", line \\d+, in wait_for_model\n")
                .containsPattern(HOST_WORK_POOL)
                .containsPattern("ERROR fork #1 in pid \\d+: child pid \\d+ HUNG")
                .contains("still running after 5 s: killed")
                .doesNotContain("forkguard: the JVM in this process was started without the forkguard agent")
                // python3 -m forkguard's own frames (runpy, the package) are not the program's.
                .doesNotContain("runpy").doesNotContain("forkguard/__main__.py")
                // The interpreter's native frames say less than the traceback: in the JSON only.
                .doesNotContain("Native code that called fork()");
        // The Python thread is not also listed as a native thread unknown to the JVM.
        Matcher m = Pattern.compile("\"model-loader\" daemon, native id (\\d+)").matcher(out);
        assertThat(m.find()).isTrue();
        Matcher nativeLine = Pattern.compile("Native threads unknown to the JVM: (.*)\n").matcher(out);
        if (nativeLine.find()) {
            assertThat(nativeLine.group(1)).doesNotContain("(tid " + m.group(1));
        }
    }

    @Test
    void aJvmStartedWithoutTheAgentGetsOneWarningLineAndTheForksGoOn() throws Exception {
        String program = String.join("\n",
                "import os, sys, jpype",
                "jpype.startJVM(sys.argv[1], classpath=['/usr/share/java/org.jpype.jar'])",
                "import forkguard",
                "forkguard.install()  # too late to add the agent: the JVM runs without it",
                "for _ in range(3):",
                "    pid = os.fork()",
                "    if pid == 0:",
                "        os._exit(7)",
                "    print('child exit code', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)");
        String[] r = run(List.of("/usr/bin/python3", "-c", program,
                ForkedJvm.JAVA_HOME.resolve("lib/server/libjvm.so").toString()),
                Map.of("PYTHONPATH", PYTHON_PACKAGE.toString(), "FORKGUARD_AGENT_JAR",
                        ForkedJvm.AGENT_JAR.toAbsolutePath().toString()), 120);
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        assertThat(r[1].split("forkguard: the JVM in this process was started without the forkguard agent", -1))
                .as(r[1]).hasSize(2);
        assertThat(r[1].split("child exit code 7", -1)).as(r[1]).hasSize(4);
        assertThat(r[1]).doesNotContain("Traceback").doesNotContain("[forkguard]");
    }

    /** The hand-over benchmark with tiny counts, only so that it keeps running; its figures are not looked at. */
    @Test
    void handOverBenchmarkRuns() throws Exception {
        Path results = reportDir.resolve("python-handover.json");
        String[] r = run(List.of("/usr/bin/python3", PYTHON_PACKAGE.resolve("benchmarks/handover.py").toString(),
                "--agent", ForkedJvm.AGENT_JAR.toAbsolutePath().toString(), "--libjvm",
                ForkedJvm.JAVA_HOME.resolve("lib/server/libjvm.so").toString(), "--rounds", "3", "--forks", "2",
                "--results", results.toString()), Map.of(), 300);
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        assertThat(r[1]).as(r[1]).contains("## Python hand-over").containsPattern("\n\\| 10 \\| ")
                .containsPattern("\n\\| 100 \\| ");
        assertThat(results).exists();
    }

    @Test
    void spawnAndForkserverRaiseNoFalseAlarm() throws Exception {
        for (String method : List.of("spawn", "forkserver")) {
            String out = python(method);
            assertThat(out).as(out).contains("child: python work done").contains("exit code 0")
                    .doesNotContain("WARN  fork #").doesNotContain("HUNG");
            String withPackage = hostApp("cli", method);
            assertThat(withPackage).as(withPackage).contains("child: python work done").contains("exit code 0")
                    .doesNotContain("fork #").doesNotContain("HUNG").doesNotContain("Python code that forked");
        }
    }
}
