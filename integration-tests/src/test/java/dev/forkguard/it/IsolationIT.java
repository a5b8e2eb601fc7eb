package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** An application's own SLF4J and Logback, at the very versions the agent packs, never meet the agent's. */
class IsolationIT {

    private static ForkedJvm ownLoggingApp() {
        return ForkedJvm.app("dev.forkguard.it.app.OwnLoggingApp")
                .classpath(System.getProperty("forkguard.it.appLogging"), System.getProperty("forkguard.it.testClasses"),
                        System.getProperty("forkguard.it.slf4jJar"), System.getProperty("forkguard.it.logbackClassicJar"),
                        System.getProperty("forkguard.it.logbackCoreJar"));
    }

    @Test
    void applicationWithItsOwnSlf4jAndLogbackLogsExactlyAsWithoutTheAgent() throws Exception {
        ForkedJvm.Result without = ownLoggingApp().withoutAgent().run();
        ForkedJvm.Result with = ownLoggingApp().run();

        assertThat(without.exitCode).as(without.toString()).isZero();
        assertThat(with.exitCode).as(with.toString()).isZero();
        assertThat(with.stdout).as(with.toString())
                .isEqualTo(without.stdout)
                .isEqualTo("APPLOG INFO OwnLoggingApp the application's own logback speaks\n"
                        + "binding ch.qos.logback.classic.LoggerContext from the application\n"
                        + "APPLOG WARN OwnLoggingApp forked and reaped a child\n");
        // No "multiple bindings" or other SLF4J/Logback chatter, and the agent still reports the fork
        // (at INFO: the application holds no lock when it forks).
        assertThat(with.stderr).doesNotContain("SLF4J").doesNotContain("logback").contains("INFO  fork #1 in pid")
                .contains("[forkguard]");
        assertThat(without.stderr).isEmpty();
        assertThat(Paths.get(System.getProperty("forkguard.it.slf4jJar"))).exists();
    }
}
