package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against running JVMs: attach, a second attach, status, and each refusal with its exit code. */
class AttachIT {

    @TempDir
    Path tmp;

    @RegisterExtension
    final ForkedJvm.Started started = new ForkedJvm.Started();

    private Process target(Path trigger, Path stderr, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ForkedJvm.JAVA_HOME.resolve("bin/java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(Arrays.asList(jvmArgs));
        cmd.addAll(List.of("-cp", ForkedJvm.APP_JAR.toString(), "dev.forkguard.it.app.AttachTargetApp",
                trigger.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        started.add(p);
        byte[] line = new byte[64];
        int n = p.getInputStream().read(line); // "app: ready <pid>"
        assertThat(new String(line, 0, Math.max(n, 0), StandardCharsets.UTF_8)).startsWith("app: ready");
        return p;
    }

    private static String finish(Process p, Path trigger, Path stderr) throws Exception {
        Files.writeString(trigger, "fork");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Files.readString(stderr);
    }

    @Test
    void attachedAgentReportsAForkIncludingALockTakenBeforeTheAttach() throws Exception {
        Path trigger = tmp.resolve("trigger");
        Path stderr = tmp.resolve("stderr");
        Process p = target(trigger, stderr);

        String[] attach = ForkedJvm.cli("attach", String.valueOf(p.pid()), "logLevel=info");
        assertThat(attach[0]).as(attach[1]).isEqualTo("0");
        assertThat(attach[1]).contains("forkguard attached to pid " + p.pid());

        String log = finish(p, trigger, stderr);
        assertThat(log).as(log).contains(", attached): fork handlers registered via __register_atfork")
                .containsPattern("WARN  fork #1 in pid " + p.pid() + " by thread \"main\"")
                .containsPattern("java\\.util\\.concurrent\\.locks\\.ReentrantLock@[0-9a-f]+ held by \"early-holder\"")
                .contains("created at (not tracked: created before forkguard)");
    }

    @Test
    void aSecondAttachDoesNotInstallTwiceAndAppliesWhatCanChange() throws Exception {
        Path trigger = tmp.resolve("trigger");
        Path stderr = tmp.resolve("stderr");
        Process p = target(trigger, stderr);
        assertThat(ForkedJvm.cli("attach", String.valueOf(p.pid()))[0]).isEqualTo("0");
        String[] second = ForkedJvm.cli("attach", String.valueOf(p.pid()), "childPolicy=throw,reportDir=" + tmp);
        assertThat(second[0]).as(second[1]).isEqualTo("0");
        assertThat(second[1]).contains("forkguard is already active in pid " + p.pid());

        String log = finish(p, trigger, stderr);
        assertThat(log.split("fork handlers registered", -1)).as(log).hasSize(2);
        assertThat(log).contains("forkguard is already active in this JVM: now logLevel=info, childPolicy=throw, "
                + "childExitCode=70, onHung=report, hungGrace=5; not applied, they need a restart: reportDir");
    }

    @Test
    void statusNamesTheHeldLockAndItsHolder() throws Exception {
        Path trigger = tmp.resolve("trigger");
        Path stderr = tmp.resolve("stderr");
        Process p = target(trigger, stderr);

        String[] refused = ForkedJvm.cli("status", String.valueOf(p.pid()));
        assertThat(refused[0]).as(refused[1]).isEqualTo("8");
        assertThat(refused[1]).contains("not active in pid " + p.pid()).contains("--attach");

        String[] status = ForkedJvm.cli("status", String.valueOf(p.pid()), "--attach");
        assertThat(status[0]).as(status[1]).isEqualTo("0");
        assertThat(status[1]).contains("loading the forkguard agent into pid " + p.pid() + " (--attach)")
                .contains("status of pid " + p.pid() + ": if one of its threads forked now")
                .containsPattern("java\\.util\\.concurrent\\.locks\\.ReentrantLock@[0-9a-f]+ held by \"early-holder\"")
                .contains("JVM-internal threads: ").contains("\"VM Thread\"");
        finish(p, trigger, stderr);
    }

    @Test
    void eachRefusalIsOneLineWithItsOwnExitCode() throws Exception {
        String[] noSuch = ForkedJvm.cli("attach", "999999999");
        assertThat(noSuch[0]).isEqualTo("4");
        assertThat(noSuch[1].trim()).isEqualTo("forkguard: no process with pid 999999999");

        Process sleeper = new ProcessBuilder("sleep", "30").start();
        started.add(sleeper);
        String[] notJvm = ForkedJvm.cli("attach", String.valueOf(sleeper.pid()));
        assertThat(notJvm[0]).isEqualTo("5");
        assertThat(notJvm[1].trim()).isEqualTo("forkguard: pid " + sleeper.pid() + " is not a Java virtual machine");

        String[] badOption = ForkedJvm.cli("attach", String.valueOf(sleeper.pid()), "childPolicy=kill");
        assertThat(badOption[0]).isEqualTo("2");
        assertThat(badOption[1]).contains("option childPolicy='kill'").doesNotContain("\tat ");

        String[] badPid = ForkedJvm.cli("attach", "not-a-pid");
        assertThat(badPid[0]).isEqualTo("2");
    }

    @Test
    void aJvmOfAnotherUserIsRefused() throws Exception {
        long other;
        if ("0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim())) {
            // As root (as in CI): a real JVM running as nobody.
            Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    ForkedJvm.JAVA_HOME.resolve("bin/java").toString(), "-cp", ForkedJvm.APP_JAR.toString(),
                    "dev.forkguard.it.app.AttachTargetApp", "/nonexistent/trigger").start();
            started.add(p);
            assertThat(new String(p.getInputStream().readNBytes(10), StandardCharsets.UTF_8)).isEqualTo("app: ready");
            other = p.pid();
        } else {
            other = 1; // init: another user's process for anyone but root
        }
        String[] refused = ForkedJvm.cli("attach", String.valueOf(other));
        assertThat(refused[0]).as(refused[1]).isEqualTo("6");
        assertThat(refused[1].trim()).startsWith("forkguard: pid " + other + " belongs to user ")
                .endsWith("; attach as its own user");
    }

    @Test
    void aJvmThatRefusesDynamicAgentsIsNamedAsSuch() throws Exception {
        Path jdk25 = Path.of(System.getProperty("forkguard.it.jdk25Home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (ForkedJvm.javaFeature() < 21) {
            // -XX:-EnableDynamicAgentLoading exists from JDK 21: on the JDK 17 run, aim at JDK 25.
            assertThat(jdk25.resolve("bin/java")).as("JDK 25 needed for this case").exists();
        }
        Path trigger = tmp.resolve("trigger");
        Path stderr = tmp.resolve("stderr");
        Path java = ForkedJvm.javaFeature() >= 21 ? ForkedJvm.JAVA_HOME.resolve("bin/java") : jdk25.resolve("bin/java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:-EnableDynamicAgentLoading", "-cp", ForkedJvm.APP_JAR.toString(),
                "dev.forkguard.it.app.AttachTargetApp", trigger.toString()).redirectError(stderr.toFile()).start();
        started.add(p);
        p.getInputStream().read(new byte[64]);
        String[] refused = ForkedJvm.cli("attach", String.valueOf(p.pid()));
        assertThat(refused[0]).as(refused[1]).isEqualTo("7");
        assertThat(refused[1]).contains("refuses agents loaded at run time").contains("-javaagent:");
        finish(p, trigger, stderr);
    }

}
