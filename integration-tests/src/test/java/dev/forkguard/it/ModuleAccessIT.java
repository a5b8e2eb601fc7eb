package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent grants itself JDK internals (Unsafe to define the bridge, java.lang for native access on
 * JDK 22+, java.util.concurrent.locks to read lock owners): the application's class path must gain
 * none of them. The same probe application runs without the agent, under -javaagent and with the
 * agent attached before the probes run; each probe must end the same way in all three.
 */
class ModuleAccessIT {

    private static final String APP = "dev.forkguard.it.app.ModuleAccessProbeApp";

    @TempDir
    Path tmp;

    @Test
    void classPathCodeHasExactlyTheAccessItHasWithoutTheAgent() throws Exception {
        ForkedJvm.Result plain = ForkedJvm.app(APP).withoutAgent().run();
        assertThat(plain.exitCode).as(plain.toString()).isZero();
        // The probes must be meaningful: without the agent the JDK denies each of them.
        assertThat(plain.stdout).as(plain.toString())
                .contains("jdk.internal.misc.Unsafe.getUnsafe(): denied (java.lang.IllegalAccessException)")
                .contains("setAccessible java.lang.String.value: denied (java.lang.reflect.InaccessibleObjectException)")
                .contains("privateLookupIn AbstractQueuedSynchronizer: denied (java.lang.IllegalAccessException)")
                .containsPattern("exported to the class path \\(not open\\): [0-9]+ \\[[^\\]]*java.base/java.lang,");
        assertThat(plain.stdout.substring(plain.stdout.indexOf("open to the class path:"))).as(plain.toString())
                .doesNotContain("java.base/");

        ForkedJvm.Result premain = ForkedJvm.app(APP).agentArgs("logLevel=info").run();
        assertThat(premain.exitCode).as(premain.toString()).isZero();
        assertThat(premain.stderr).as(premain.toString()).contains("fork handlers registered via");
        assertThat(premain.stdout).as(premain.toString()).isEqualTo(plain.stdout);

        String attached = runAttached();
        assertThat(attached).isEqualTo("app: ready PID\n" + plain.stdout);
    }

    /** The probe application, with the agent attached through the CLI before its probes run. */
    private String runAttached() throws Exception {
        Path trigger = tmp.resolve("trigger");
        Path stdout = tmp.resolve("stdout");
        Path stderr = tmp.resolve("stderr");
        Process app = new ProcessBuilder(ForkedJvm.JAVA_HOME.resolve("bin/java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", ForkedJvm.APP_JAR.toString(), APP, trigger.toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(stdout).contains("app: ready") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Process cli = new ProcessBuilder(ForkedJvm.JAVA_HOME.resolve("bin/java").toString(), "-jar",
                    ForkedJvm.AGENT_JAR.toAbsolutePath().toString(), "attach", String.valueOf(app.pid()))
                    .redirectErrorStream(true).start();
            String cliOut = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cli.waitFor(60, TimeUnit.SECONDS)).as(cliOut).isTrue();
            assertThat(cli.exitValue()).as(cliOut).isZero();
            Files.writeString(trigger, "go");
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(app.exitValue()).as(Files.readString(stderr)).isZero();
            assertThat(Files.readString(stderr)).contains(", attached): fork handlers registered via");
            return Files.readString(stdout).replace("app: ready " + app.pid(), "app: ready PID");
        } finally {
            for (ProcessHandle p : List.copyOf(app.descendants().toList())) {
                p.destroyForcibly();
            }
            app.destroyForcibly();
        }
    }
}
