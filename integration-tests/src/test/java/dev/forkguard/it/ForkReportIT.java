package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkguard.demo.ForkDemo;
import dev.forkguard.it.app.PlantedReportLinkApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JVM under -javaagent forks without exec; the parent's report says what the child loses. */
class ForkReportIT {

    private static final String CREATED_IN_DEMO = "created at dev.forkguard.demo.ForkDemo.main(ForkDemo.java:";

    @TempDir
    Path tmp;

    @Test
    void reportNamesForkingThreadLockHolderCreationSitesPoolWorkersAndJvmThreads() throws Exception {
        ForkedJvm.Result r = ForkedJvm.app(ForkDemo.class).run();

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stderrLines("[forkguard] INFO  forkguard ")).as(r.toString()).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("fork handlers registered via __register_atfork"));
        assertThat(r.stderr).as(r.toString())
                .containsPattern("WARN  fork #1 in pid \\d+ by thread \"main\" \\(tid \\d+\\), child pid \\d+")
                .contains("Forking thread (the only thread in the child):\n  \"main\" #")
                .contains("      at dev.forkguard.probe.Libc.fork(Native Method)\n"
                        + "      at dev.forkguard.demo.ForkDemo.main(ForkDemo.java:")
                .containsPattern("\"cache-refresher\" #\\d+ WAITING, started by \"main\" at "
                        + "dev\\.forkguard\\.demo\\.ForkDemo\\.main\\(ForkDemo\\.java:\\d+\\)")
                .containsPattern("- holds java\\.util\\.concurrent\\.locks\\.ReentrantLock@[0-9a-f]+, "
                        + Pattern.quote(CREATED_IN_DEMO))
                // The pool's two idle workers share state, stack and pool: one group (docs/REPORT.md); a
                // worker not yet parked at the fork (a loaded machine) is shown alone.
                .containsPattern("(  2 threads \"pool-\\*-thread-\\*\" #\\d+\\.\\.#\\d+ [A-Z_]+, same stack, workers of "
                        + "|  \"pool-1-thread-\\d\" #\\d+ [A-Z_]+, worker of )"
                        + "java\\.util\\.concurrent\\.ThreadPoolExecutor@[0-9a-f]+ " + Pattern.quote(CREATED_IN_DEMO))
                .containsPattern("monitor java\\.lang\\.Object@[0-9a-f]+ held by \"registry-writer\"")
                .containsPattern("locked at dev\\.forkguard\\.demo\\.ForkDemo\\.lambda\\$main\\$\\d+\\(ForkDemo\\.java:\\d+\\)")
                .containsPattern("JVM-internal threads: .*\"VM Thread\" \\(tid \\d+\\)")
                .containsPattern("JVM-internal threads: .*\"GC Thread#0\"")
                // The launcher's first thread vanishes too; the JDK's own idle threads share one line.
                .containsPattern("Native threads unknown to the JVM: \"java\" \\(tid (\\d+), the process's first thread\\)")
                .containsPattern("JDK threads holding no lock: .*\"Reference Handler\" #\\d+")
                .contains("Verdict: Unless the child calls exec at once")
                .contains("Without the VM Thread the child's first garbage collection or safepoint never completes.");
        // Nothing from the agent's own machinery: no handler frames, no JVM warnings of its making.
        assertThat(r.stderr).doesNotContain("SnapshotRecorder").doesNotContain("WARNING:")
                .doesNotContain("Sharing is only supported");
    }

    @Test
    void withStacksAfterTheForkTheReportSaysHowLateAndStillNamesHoldersAndTheForkingThread() throws Exception {
        Path dir = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(ForkDemo.class).agentArgs("stacks=after,reportDir=" + dir).run();

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stderr).as(r.toString())
                .containsPattern("WARN  fork #1 in pid \\d+ by thread \"main\" \\(tid \\d+\\), child pid \\d+")
                .contains("      at dev.forkguard.probe.Libc.fork(Native Method)\n"
                        + "      at dev.forkguard.demo.ForkDemo.main(ForkDemo.java:")
                .containsPattern("Threads that will not exist in the child \\(stacks and monitors as [0-9.]+ ms after"
                        + " the fork\\):")
                // Owners of java.util.concurrent locks are read inside the fork either way.
                .containsPattern("- holds java\\.util\\.concurrent\\.locks\\.ReentrantLock@[0-9a-f]+, "
                        + Pattern.quote(CREATED_IN_DEMO))
                .containsPattern("monitor java\\.lang\\.Object@[0-9a-f]+ held by \"registry-writer\"");
        JsonNode json;
        try (Stream<Path> s = Files.list(dir)) {
            json = new ObjectMapper().readTree(s.findFirst().orElseThrow().toFile());
        }
        assertThat(json.get("stacksAfterForkMicros").asLong()).isPositive();
        assertThat(json.get("forkingThread").get("name").asText()).isEqualTo("main");
    }

    @Test
    void jsonReportIsWrittenOwnerOnlyInANewOwnerOnlyDirectory() throws Exception {
        Path dir = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(ForkDemo.class).agentArgs("reportDir=" + dir).run();
        assertThat(r.exitCode).as(r.toString()).isZero();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        assertThat(files).as(r.toString()).hasSize(1);
        Path report = files.get(0);
        assertThat(report.getFileName().toString()).matches("forkguard-\\d+-\\d+-1\\.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report))).isEqualTo("rw-------");

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("schema").asText()).isEqualTo("forkguard.fork-report/1");
        assertThat(json.get("severity").asText()).isEqualTo("WARN");
        assertThat(json.get("forkingThread").get("name").asText()).isEqualTo("main");
        assertThat(json.get("stacksAfterForkMicros").asLong()).as("stacks taken inside the fork").isZero();
        Matcher child = Pattern.compile("demo: child (\\d+) exited").matcher(r.stdout);
        assertThat(child.find()).as(r.stdout).isTrue();
        assertThat(json.get("childPid").asInt()).isEqualTo(Integer.parseInt(child.group(1)));
        JsonNode lock = null;
        for (JsonNode l : json.get("orphanedLocks")) {
            if ("java.util.concurrent.locks.ReentrantLock".equals(l.get("type").asText())) {
                lock = l;
            }
        }
        assertThat(lock).as(json.toPrettyString()).isNotNull();
        assertThat(lock.get("holderName").asText()).isEqualTo("cache-refresher");
        assertThat(lock.get("createdAt").asText()).startsWith("dev.forkguard.demo.ForkDemo.main(ForkDemo.java:");
        boolean vmThread = false;
        for (JsonNode t : json.get("osThreads")) {
            vmThread |= "VM Thread".equals(t.get("name").asText()) && "JVM_INTERNAL".equals(t.get("kind").asText());
        }
        assertThat(vmThread).as("VM Thread listed as JVM_INTERNAL").isTrue();
    }

    @Test
    void savedReportRendersWithTheCli() throws Exception {
        Path dir = tmp.resolve("reports");
        assertThat(ForkedJvm.app(ForkDemo.class).agentArgs("reportDir=" + dir).run().exitCode).isZero();
        Path report;
        try (Stream<Path> s = Files.list(dir)) {
            report = s.findFirst().orElseThrow();
        }
        Process cli = new ProcessBuilder(ForkedJvm.JAVA_HOME.resolve("bin/java").toString(), "-jar",
                ForkedJvm.AGENT_JAR.toString(), "report", report.toString()).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes());
        assertThat(cli.waitFor()).as(out).isZero();
        assertThat(out).contains("fork #1 in pid").contains("\"cache-refresher\"").contains(CREATED_IN_DEMO)
                .contains("Verdict:");
    }

    @Test
    void aSymlinkPlantedAtTheReportNameIsRefusedAndReportedAndItsTargetUntouched() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("reports"));
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious");
        ForkedJvm.Result r = ForkedJvm.app(PlantedReportLinkApp.class).agentArgs("reportDir=" + dir)
                .args(dir.toString(), victim.toString()).run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(Files.readString(victim)).isEqualTo("precious");
        Matcher planted = Pattern.compile("app: planted (\\S+) and forked").matcher(r.stdout);
        assertThat(planted.find()).as(r.toString()).isTrue();
        Path link = Path.of(planted.group(1));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        List<String> warnings = r.agentLines("WARN  forkguard");
        assertThat(warnings).as(r.toString()).hasSize(1);
        // The report goes to a name of its own beside the link, never through it.
        assertThat(warnings.get(0)).matches(Pattern.quote("WARN  forkguard: " + link
                + " already exists; not overwritten, report for fork #1 written to ") + "forkguard-\\d+-\\d+-1-[0-9a-f]+\\.json");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> !Files.isSymbolicLink(f)).toList()).hasSize(1);
        }
        assertThat(r.stderr).contains("fork #1 in pid").doesNotContain("\tat ");
    }

    /** Reports hold threads, states and stacks: not the environment, system properties or arguments. */
    @Test
    void reportsHoldNoEnvironmentSystemPropertiesOrArguments() throws Exception {
        Path dir = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(ForkDemo.class).agentArgs("reportDir=" + dir)
                .env("APP_SECRET", "env-secret-4f1c").jvmArg("-Dapp.secret=property-secret-9b2e")
                .args("argument-secret-77ad").run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        Path report;
        try (Stream<Path> s = Files.list(dir)) {
            report = s.findFirst().orElseThrow();
        }
        String json = Files.readString(report);
        assertThat(json).contains("\"forkingThread\"").contains("cache-refresher");
        for (String secret : new String[] {"env-secret-4f1c", "property-secret-9b2e", "argument-secret-77ad",
                "APP_SECRET", "app.secret"}) {
            assertThat(json).as("JSON report").doesNotContain(secret);
            assertThat(r.stderr).as("log").doesNotContain(secret);
        }
    }
}
