package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkguard.it.app.OrphanedLockChildApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM under the agent and a flight recording forks, and its child hangs on a lock a vanished thread
 * holds: the recording has one forkguard.Fork event and the child's outcomes, read back with the JDK's
 * own {@code jfr} tool (the recording's JDK, which may be newer than the test's).
 */
class FlightRecorderIT {

    @TempDir
    Path tmp;

    @Test
    void forkAndChildOutcomesAreRecordedAndPrintedByJfr() throws Exception {
        Path recording = tmp.resolve("fork.jfr");
        ForkedJvm.Result r = ForkedJvm.app(OrphanedLockChildApp.class)
                .jvmArg("-XX:StartFlightRecording=filename=" + recording + ",settings=default")
                .args("4000").run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        int childPid = Integer.parseInt(r.childPid());
        assertThat(recording).as(r.toString()).exists();

        List<JsonNode> forks = events(recording, "forkguard.Fork");
        assertThat(forks).as(r.toString()).hasSize(1);
        JsonNode fork = forks.get(0).get("values");
        assertThat(fork.get("sequence").asLong()).isEqualTo(1);
        assertThat(fork.get("forkingThread").asText()).isEqualTo("main");
        assertThat(fork.get("childPid").asInt()).isEqualTo(childPid);
        assertThat(fork.get("orphanedLocks").asInt()).isEqualTo(1);
        assertThat(fork.get("vanishingJavaThreads").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(fork.get("vanishingOsThreads").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(fork.get("severity").asText()).isEqualTo("WARN");
        assertThat(fork.get("childVerdict").asText()).isEqualTo("RUNNING");
        assertThat(fork.get("verdict").asText()).contains("held by \"inventory-writer\"");

        List<JsonNode> outcomes = events(recording, "forkguard.ChildOutcome");
        List<String> verdicts = new ArrayList<>();
        for (JsonNode o : outcomes) {
            assertThat(o.get("values").get("sequence").asLong()).isEqualTo(1);
            assertThat(o.get("values").get("childPid").asInt()).isEqualTo(childPid);
            verdicts.add(o.get("values").get("verdict").asText());
        }
        // After HUNG the watchdog watches on: the application's SIGKILL shows as EXITED when it is seen
        // before the recording is dumped at exit (the two shutdown hooks run in no fixed order).
        assertThat(verdicts.subList(0, Math.min(2, verdicts.size()))).as(r.toString()).containsExactly("RUNNING", "HUNG");
        assertThat(verdicts.subList(2, verdicts.size())).as(r.toString()).isSubsetOf("EXITED");
        assertThat(outcomes.get(1).get("values").get("endedByForkguard").asBoolean()).isFalse();
        JsonNode hung = outcomes.get(1).get("values");
        assertThat(hung.get("causes").asText()).contains("orphaned lock: java.util.concurrent.locks.ReentrantLock@")
                .contains("\"inventory-writer\"");
        assertThat(hung.get("detail").asText()).contains("blocked in a futex");

        String printed = jfr("print", "--events", "forkguard.Fork", recording.toString());
        assertThat(printed).contains("forkguard.Fork {").contains("forkingThread = \"main\"")
                .contains("childPid = " + childPid).contains("orphanedLocks = 1").contains("childVerdict = \"RUNNING\"");
    }

    @Test
    void virtualThreadHoldersAreCountedInTheForkEventAndNamedInTheHangCauses() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ForkedJvm.javaFeature() >= 21,
                "virtual threads need JDK 21+; this pass runs " + ForkedJvm.JAVA_HOME);
        Path recording = tmp.resolve("fork.jfr");
        ForkedJvm.Result r = ForkedJvm.app(dev.forkguard.it.app.VirtualThreadForkApp.class)
                .jvmArg("-XX:StartFlightRecording=filename=" + recording + ",settings=default")
                .args("4000").run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        List<JsonNode> forks = events(recording, "forkguard.Fork");
        assertThat(forks).as(r.toString()).hasSize(1);
        JsonNode fork = forks.get(0).get("values");
        assertThat(fork.get("orphanedLocks").asInt()).isGreaterThanOrEqualTo(2); // a carrier may hold its scheduler's monitor too
        assertThat(fork.get("vanishingVirtualThreads").asInt()).isEqualTo(2);
        assertThat(fork.get("vanishingJavaThreads").asInt()).isGreaterThan(2);
        List<JsonNode> outcomes = events(recording, "forkguard.ChildOutcome");
        assertThat(outcomes).as(r.toString()).isNotEmpty();
        // After HUNG the watchdog goes on watching: the application's kill may follow as a later event.
        JsonNode hung = null;
        for (JsonNode o : outcomes) {
            if ("HUNG".equals(o.get("values").get("verdict").asText())) {
                hung = o.get("values");
            }
        }
        assertThat(hung).as(r.toString()).isNotNull();
        assertThat(hung.get("causes").asText()).containsPattern("held at fork time by virtual thread \"vt-inventory\" #\\d+")
                .containsPattern("monitor java.lang.Object@\\p{XDigit}+, held at fork time by virtual thread \"vt-ledger\"");
    }

    /** onHung=kill: the kill is a ChildOutcome event with verdict KILLED, signal 9, endedByForkguard. */
    @Test
    void aChildEndedByForkguardIsRecordedAsKilled() throws Exception {
        Path recording = tmp.resolve("kill.jfr");
        ForkedJvm.Result r = ForkedJvm.app(dev.forkguard.it.app.MonitorHangApp.class)
                .jvmArg("-XX:StartFlightRecording=filename=" + recording + ",settings=default")
                .agentArgs("onHung=kill,hungGrace=1").args("40000").run();
        assertThat(r.stdout).as(r.toString()).containsPattern("ended by signal 9");
        List<String> verdicts = new ArrayList<>();
        JsonNode killed = null;
        for (JsonNode o : events(recording, "forkguard.ChildOutcome")) {
            verdicts.add(o.get("values").get("verdict").asText());
            if ("KILLED".equals(o.get("values").get("verdict").asText())) {
                killed = o.get("values");
            }
        }
        assertThat(verdicts).as(r.toString()).containsExactly("RUNNING", "HUNG", "KILLED");
        assertThat(killed.get("signal").asInt()).isEqualTo(9);
        assertThat(killed.get("endedByForkguard").asBoolean()).isTrue();
        assertThat(killed.get("detail").asText()).contains("forkguard ended it with SIGKILL");
    }

    private static List<JsonNode> events(Path recording, String name) throws Exception {
        JsonNode json = new ObjectMapper().readTree(jfr("print", "--json", "--events", name, recording.toString()));
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : json.get("recording").get("events")) {
            assertThat(e.get("type").asText()).isEqualTo(name);
            out.add(e);
        }
        return out;
    }

    private static String jfr(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ForkedJvm.JAVA_HOME.resolve("bin/jfr").toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("forkguard-jfr-", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + text).isZero();
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
