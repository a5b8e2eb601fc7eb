package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forkguard.it.app.MonitorHangApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * onHung=kill: a child blocked on a monitor held by a vanished thread (which the child-side check does
 * not cover) is ended by the parent's watchdog, and the application's waitpid sees signal 9. The
 * policy can be switched on in a running JVM. Children that can wake by themselves are covered in
 * WatchdogVerdictIT and PoolHostsIT.
 */
class HungPolicyIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final ForkedJvm.Started started = new ForkedJvm.Started();

    @Test
    void aChildBlockedOnAMonitorOfAVanishedThreadIsEndedAndWaitpidSeesSignal9() throws Exception {
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(MonitorHangApp.class).agentArgs("reportDir=" + reports + ",onHung=kill")
                .args("40000").run();
        String child = r.childPid();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).as(r.toString()).containsPattern("app: child " + child + " ended by signal 9 \\d+ ms after the fork");
        assertThat(r.stderr).as(r.toString())
                .containsPattern("ERROR fork #1 in pid \\d+: child pid " + child + " HUNG \\(no CPU progress")
                .contains("monitor java.lang.Object@")
                .contains("held at fork time by \"ledger-writer\", which does not exist in the child");
        List<String> killed = r.agentLines("ERROR fork #1 in pid");
        killed.removeIf(line -> !line.contains(" KILLED "));
        assertThat(killed).as(r.toString()).hasSize(1);
        assertThat(killed.get(0)).containsPattern("child pid " + child + " KILLED \\(no progress for \\d+ ms, HUNG for "
                + "\\d+ ms; forkguard ended it with SIGKILL \\(onHung=kill, hungGrace=5 s; 1 child ended in this JVM\\)\\)"
                + "\\. Causes: orphaned lock: monitor java\\.lang\\.Object@");
        JsonNode outcome = WatchdogVerdictIT.onlyReport(reports, r).get("outcome");
        assertThat(outcome.get("verdict").asText()).isEqualTo("KILLED");
        assertThat(outcome.get("signal").asInt()).isEqualTo(9);
        assertThat(outcome.get("detail").asText()).contains("forkguard ended it with SIGKILL");
    }

    @Test
    void underTheDefaultPolicyTheHungChildIsLeftToTheApplication() throws Exception {
        ForkedJvm.Result r = ForkedJvm.app(MonitorHangApp.class).args("9000").run();
        String child = r.childPid();
        assertThat(r.stdout).as(r.toString())
                .contains("app: child " + child + " still running after 9000 ms: killed with SIGKILL");
        assertThat(r.stderr).contains("child pid " + child + " HUNG").doesNotContain("KILLED");
    }

    /** A JVM started with the default policy; once its child is HUNG, attach switches onHung=kill on. */
    @Test
    void attachSwitchesThePolicyOnWhileTheChildIsAlreadyHung() throws Exception {
        Path stderr = tmp.resolve("stderr");
        List<String> cmd = List.of(ForkedJvm.JAVA_HOME.resolve("bin/java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-javaagent:" + ForkedJvm.AGENT_JAR.toAbsolutePath(),
                "-cp", ForkedJvm.APP_JAR.toString(), MonitorHangApp.class.getName(), "60000");
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        started.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(stderr).contains(" HUNG (") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(stderr)).contains(" HUNG (");

        String[] attach = ForkedJvm.cli("attach", String.valueOf(p.pid()), "onHung=kill,hungGrace=1");
        assertThat(attach[0]).as(attach[1]).isEqualTo("0");

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String log = Files.readString(stderr);
        assertThat(out).as(out + log).containsPattern("app: child \\d+ ended by signal 9");
        assertThat(log).contains("now logLevel=info, childPolicy=report, childExitCode=70, onHung=kill, hungGrace=1")
                .containsPattern("KILLED \\(no progress for \\d+ ms, HUNG for \\d+ ms; forkguard ended it with "
                        + "SIGKILL \\(onHung=kill, hungGrace=1 s; 1 child ended in this JVM\\)\\)");
    }
}
