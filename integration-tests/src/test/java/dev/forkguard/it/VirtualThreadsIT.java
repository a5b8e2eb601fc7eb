package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkguard.it.app.ManyThreadsForkApp;
import dev.forkguard.it.app.VirtualThreadForkApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Virtual threads at a fork (JDK 21+, so these run on the JDK 25 pass; JDK 17 has none to report),
 * and a fork among thousands of threads (every JDK). Each child is bounded: the applications
 * SIGKILL a child still running after their wait, and reap it.
 */
class VirtualThreadsIT {

    @TempDir
    Path tmp;

    private static void virtualThreadsHere() {
        assumeTrue(ForkedJvm.javaFeature() >= 21, "virtual threads need JDK 21+; this pass runs " + ForkedJvm.JAVA_HOME);
    }

    private static JsonNode onlyReport(Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(f -> f.getFileName().toString().endsWith(".json")).forEach(files::add);
        }
        assertThat(files).hasSize(1);
        return new ObjectMapper().readTree(files.get(0).toFile());
    }

    private static JsonNode thread(JsonNode report, String name) {
        for (JsonNode t : report.get("vanishingThreads")) {
            if (name.equals(t.get("name").asText())) {
                return t;
            }
        }
        throw new AssertionError("no vanishing thread " + name + " in " + report.toPrettyString());
    }

    private static JsonNode lockHeldBy(JsonNode report, String holder, String kind) {
        for (JsonNode l : report.get("orphanedLocks")) {
            if (holder.equals(l.get("holderName").asText()) && kind.equals(l.get("kind").asText())) {
                return l;
            }
        }
        throw new AssertionError("no " + kind + " held by " + holder + " in " + report.toPrettyString());
    }

    @Test
    void parkedVirtualThreadsLockAndSleepingVirtualThreadsMonitorAreReportedAndTheChildHangIsExplained()
            throws Exception {
        virtualThreadsHere();
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(VirtualThreadForkApp.class).agentArgs("reportDir=" + reports)
                .args("4000").run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        String child = r.childPid();
        assertThat(r.stdout).contains("app: child " + child + " still running after 4000 ms: killed with SIGKILL");
        // The child side, childPolicy=report: the owner is a virtual thread that did not survive the fork.
        assertThat(r.stderr).as(r.toString())
                .contains("forkguard: child pid " + child + ": thread \"main\" blocks on "
                        + "java.util.concurrent.locks.ReentrantLock@")
                .containsPattern("held at fork time by virtual thread \"vt-inventory\" #\\d+ \\(not in this process\\)")
                .contains("; childPolicy=report: this acquisition blocks for ever\n")
                .containsPattern("fork #1 in pid \\d+ by thread \"main\" \\(tid \\d+\\), child pid " + child
                        + ": \\d+ Java threads, of which 2 virtual, and \\d+ other threads vanish in the child, "
                        + "\\d+ locks they hold stay locked") // 2, or 3 when a carrier holds its scheduler's monitor at the fork
                .containsPattern("\"vt-inventory\" #\\d+ virtual WAITING, started by \"main\" at ")
                .containsPattern("monitor java.lang.Object@\\p{XDigit}+ held by \"vt-ledger\" #\\d+\n")
                .containsPattern("ERROR fork #1 in pid \\d+: child pid " + child + " HUNG")
                .containsPattern("held at fork time by virtual thread \"vt-inventory\" #\\d+, which does not "
                        + "exist in the child");

        JsonNode report = onlyReport(reports);
        JsonNode inventory = thread(report, "vt-inventory");
        assertThat(inventory.get("virtual").asBoolean()).isTrue();
        assertThat(inventory.get("group").isNull()).as("a lock holder is shown alone").isTrue();
        assertThat(inventory.get("container").asText()).isEqualTo("<root>");
        assertThat(inventory.get("startedBy").asText()).isEqualTo("main");
        JsonNode lock = lockHeldBy(report, "vt-inventory", "SYNCHRONIZER");
        assertThat(lock.get("holderId").asLong()).isEqualTo(inventory.get("id").asLong());
        assertThat(lock.get("createdAt").asText()).startsWith(VirtualThreadForkApp.class.getName() + ".main(");

        JsonNode ledger = thread(report, "vt-ledger");
        assertThat(ledger.get("state").asText()).isEqualTo("TIMED_WAITING");
        assertThat(ledger.get("stack").toString()).contains("java.lang.Thread.sleep(");
        JsonNode monitor = lockHeldBy(report, "vt-ledger", "MONITOR");
        assertThat(monitor.get("type").asText()).isEqualTo("java.lang.Object");
        assertThat(monitor.get("lockedAt").asText()).startsWith(VirtualThreadForkApp.class.getName() + ".lambda$");

        assertThat(report.get("threadSummary").get("virtualThreads").asInt()).isEqualTo(2);
        assertThat(report.get("threadSummary").get("virtualThreadsAfterForkMicros").asLong()).isPositive();
        // The log above has the HUNG line and its causes; the watchdog goes on watching after HUNG, so
        // the JSON ends EXITED once the application has killed the child, which it does after 4 s.
        String verdict = report.get("outcome").get("verdict").asText();
        assertThat(verdict).isIn("HUNG", "EXITED");
        if (verdict.equals("HUNG")) {
            assertThat(report.get("outcome").get("causes").toString()).contains("virtual thread \\\"vt-inventory\\\"");
        }
    }

    @ParameterizedTest
    @CsvSource({"childPolicy=throw, 42, throwing OrphanedLockError instead of blocking for ever",
            "'childPolicy=exit,childExitCode=71', 71, exiting with code 71"})
    void childPolicyAppliesToALockOfAVanishedVirtualThread(String agentArgs, int exitCode, String said)
            throws Exception {
        virtualThreadsHere();
        ForkedJvm.Result r = ForkedJvm.app(VirtualThreadForkApp.class).agentArgs(agentArgs).args("8000").retryIfAChildCaughtJvmLocks().run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        String child = r.childPid();
        assertThat(r.stdout).as(r.toString()).contains("app: child " + child + " exited with code " + exitCode);
        assertThat(r.stderr).containsPattern("held at fork time by virtual thread \"vt-inventory\" #\\d+")
                .contains("; childPolicy=" + agentArgs.replaceAll("childPolicy=([a-z]+).*", "$1") + ": " + said)
                .doesNotContain("HUNG");
    }

    @Test
    void forkFromAVirtualThreadReportsItAsTheForkingThreadAndItsChildAppliesThePolicy() throws Exception {
        virtualThreadsHere();
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(VirtualThreadForkApp.class)
                .agentArgs("childPolicy=exit,reportDir=" + reports).args("8000", "fromVirtual").retryIfAChildCaughtJvmLocks().run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        String child = r.childPid();
        assertThat(r.stdout).contains("app: forked child " + child + " from vt-forker")
                .contains("app: child " + child + " exited with code 70");
        assertThat(r.stderr).as(r.toString())
                .contains("forkguard: child pid " + child + ": thread \"vt-forker\" blocks on ")
                .containsPattern("held at fork time by virtual thread \"vt-inventory\" #\\d+")
                .containsPattern("fork #1 in pid \\d+ by thread \"vt-forker\" \\(tid \\d+\\)")
                .containsPattern("Forking thread \\(the only thread in the child\\):\n  \"vt-forker\" #\\d+ virtual "
                        + "RUNNABLE\n      at dev.forkguard.probe.Libc.fork\\(Native Method\\)");
        JsonNode report = onlyReport(reports);
        assertThat(report.get("forkingThread").get("virtual").asBoolean()).isTrue();
        lockHeldBy(report, "vt-inventory", "SYNCHRONIZER");
        for (JsonNode t : report.get("vanishingThreads")) {
            assertThat(t.get("name").asText()).as("the forking thread does not vanish").isNotEqualTo("vt-forker");
        }
    }

    @Test
    void tenThousandVirtualThreadsOfAnExecutorFormOneGroupAndTheJsonKeepsItsCap() throws Exception {
        virtualThreadsHere();
        int tasks = 10_000;
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(VirtualThreadForkApp.class).agentArgs("reportDir=" + reports)
                .args("30000", "tasks=" + tasks, "exitAtOnce", "awaitReport=" + reports)
                .timeout(Duration.ofSeconds(240)).run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).as(r.toString()).contains("exited with code 0").contains("app: report written");

        JsonNode report = onlyReport(reports);
        JsonNode summary = report.get("threadSummary");
        assertThat(summary.get("virtualThreads").asInt()).as(summary.toPrettyString()).isEqualTo(tasks + 2);
        JsonNode group = null;
        for (JsonNode g : summary.get("groups")) {
            if (g.get("virtual").asBoolean() && g.get("container").asText().startsWith(
                    "java.util.concurrent.ThreadPerTaskExecutor@")) {
                group = g;
            }
        }
        assertThat(group).as(summary.toPrettyString()).isNotNull();
        assertThat(group.get("count").asInt()).isEqualTo(tasks);
        assertThat(group.get("startedBy").asText()).isEqualTo("main");
        assertThat(group.get("stack").toString()).contains(VirtualThreadForkApp.class.getName() + ".lambda$");
        int cap = summary.get("listCap").asInt();
        assertThat(report.get("vanishingThreads").size()).isEqualTo(summary.get("listed").asInt())
                .isLessThanOrEqualTo(cap);
        assertThat(summary.get("omitted").asInt() + summary.get("listed").asInt())
                .isEqualTo(summary.get("javaThreads").asInt() + agentThreads(report));
        // Lock holders are listed alone, within the cap.
        assertThat(thread(report, "vt-inventory").get("group").isNull()).isTrue();
        assertThat(thread(report, "vt-ledger").get("group").isNull()).isTrue();

        String block = reportBlock(r.stderr);
        assertThat(block).containsPattern("  10,000 virtual threads \"\" #\\d+\\.\\.#\\d+ WAITING, same stack, in "
                + "java.util.concurrent.ThreadPerTaskExecutor@\\p{XDigit}+, started by \"main\" at ");
        assertThat(block.split("\n").length).as(block).isLessThan(200);
        // The HTML view in headless Chromium: the 10,000 are one node, in view, and its details open on it.
        Path json;
        try (Stream<Path> s = Files.list(reports)) {
            json = s.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Path html = tmp.resolve("view.html");
        String[] cli = run(List.of(ForkedJvm.JAVA_HOME.resolve("bin/java").toString(), "-jar",
                ForkedJvm.AGENT_JAR.toString(), "report", "--format", "html", json.toString(), "-o", html.toString()),
                120);
        assertThat(cli[0]).as(cli[1] + cli[2]).isEqualTo("0");
        if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            // As HtmlViewIT does (CI runs as root): Debian's Chromium.
            run(List.of("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                    + "chromium"), 900);
        }
        assertThat(Path.of("/usr/bin/chromium")).as("headless Chromium renders the view").isExecutable();
        String node = "group:" + group.get("id").asInt();
        String[] dump = run(List.of("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--window-size=1400,900", "--dump-dom",
                html.toUri() + "#select=" + node.replace(":", "%3A")), 180);
        String dom = dump[1];
        assertThat(dom).as(dump[2]).contains("data-graph=\"rendered\"");
        Matcher count = Pattern.compile("data-node-count=\"(\\d+)\"").matcher(dom);
        assertThat(count.find()).isTrue();
        assertThat(Integer.parseInt(count.group(1))).as("one node for the group, not 10,000").isLessThan(60);
        Matcher groupNode = Pattern.compile("<li[^>]*data-node-id=\"" + node + "\"[^>]*>").matcher(dom);
        assertThat(groupNode.find()).as(dom).isTrue();
        assertThat(groupNode.group()).contains("data-in-view=\"true\"").contains("group");
        String details = dom.substring(dom.indexOf("<aside id=\"details\""), dom.indexOf("</aside>"));
        assertThat(details).contains("10,000 unnamed virtual threads").contains("Stack shared by all")
                .contains("java.util.concurrent.ThreadPerTaskExecutor@");
    }

    /** Runs a command within {@code seconds} (SIGKILL after); exit code, stdout, stderr. */
    private String[] run(List<String> cmd, long seconds) throws Exception {
        Path out = Files.createTempFile(tmp, "out-", ".txt");
        Path err = Files.createTempFile(tmp, "err-", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean finished = p.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        return new String[] {finished ? String.valueOf(p.exitValue()) : "timed out", Files.readString(out),
                Files.readString(err)};
    }

    @Test
    void twoThousandPlatformThreadsLogWithinTwoHundredLinesWithTheLockHolderAlone() throws Exception {
        int threads = 2000;
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(ManyThreadsForkApp.class).agentArgs("reportDir=" + reports)
                .jvmArg("-Xss256k").args(String.valueOf(threads), "withHolder").timeout(Duration.ofSeconds(120))
                .run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        String block = reportBlock(r.stderr);
        assertThat(block.split("\n").length).as(block).isLessThanOrEqualTo(200);
        assertThat(block).containsPattern("  2,000 threads \"parked-\\*\" #\\d+\\.\\.#\\d+ WAITING, same stack, "
                        + "started by \"main\" at dev.forkguard.it.app.ManyThreadsForkApp.main\\(")
                .containsPattern("  \"ledger-writer\" #\\d+ WAITING, started by \"main\" at ")
                .containsPattern("java.util.concurrent.locks.ReentrantLock@\\p{XDigit}+ held by \"ledger-writer\"");
        JsonNode report = onlyReport(reports);
        assertThat(thread(report, "ledger-writer").get("group").isNull()).isTrue();
        assertThat(report.get("vanishingThreads").size()).isLessThanOrEqualTo(
                report.get("threadSummary").get("listCap").asInt());
    }

    private static int agentThreads(JsonNode report) {
        int n = 0;
        for (JsonNode t : report.get("vanishingThreads")) {
            n += t.get("agentThread").asBoolean() ? 1 : 0;
        }
        return n;
    }

    /** The fork report's log entry: from its headline to its verdict. */
    private static String reportBlock(String stderr) {
        int from = stderr.indexOf("fork #1 in pid ");
        assertThat(from).as(stderr).isPositive();
        int to = stderr.indexOf("\nVerdict: ", from);
        assertThat(to).as(stderr).isPositive();
        return stderr.substring(from, stderr.indexOf('\n', to + 1) < 0 ? stderr.length()
                : stderr.indexOf('\n', to + 1));
    }
}
