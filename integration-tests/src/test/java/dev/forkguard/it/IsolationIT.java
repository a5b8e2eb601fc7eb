package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Applications that bring their own SLF4J, Logback, JNA or Byte Buddy, at the agent's versions or at
 * others, never meet the agent's copies: their output is byte for byte what it is without the agent,
 * nothing warns about bindings or versions, and the agent still reports the fork.
 */
class IsolationIT {

    private static final String TEST_CLASSES = System.getProperty("forkguard.it.testClasses");
    /** The test applications' shared helpers (no JNA in there: the demo jar shades it). */
    private static final String MAIN_CLASSES =
            java.nio.file.Path.of(TEST_CLASSES).resolveSibling("classes").toString();
    private static final String APP_LOGGING = System.getProperty("forkguard.it.appLogging");

    private static ForkedJvm ownLoggingApp() {
        return ForkedJvm.app("dev.forkguard.it.app.OwnLoggingApp")
                .classpath(APP_LOGGING, TEST_CLASSES,
                        System.getProperty("forkguard.it.slf4jJar"), System.getProperty("forkguard.it.logbackClassicJar"),
                        System.getProperty("forkguard.it.logbackCoreJar"));
    }

    /** The jars of one clash set (see the pom), in a stable order. */
    private static String[] clashSet(String name) throws IOException {
        Path dir = Paths.get(System.getProperty("forkguard.it.clashDir"), name);
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.map(Path::toString).sorted().toArray(String[]::new);
        }
    }

    /** Runs without and with the agent; both must succeed with the same standard output. */
    private static ForkedJvm.Result sameOutputWithAndWithoutAgent(ForkedJvm without, ForkedJvm with)
            throws Exception {
        ForkedJvm.Result plain = without.withoutAgent().run();
        ForkedJvm.Result agent = with.run();
        assertThat(plain.exitCode).as(plain.toString()).isZero();
        assertThat(agent.exitCode).as(agent.toString()).isZero();
        assertThat(agent.stdout).as(agent.toString()).isEqualTo(plain.stdout);
        // Without the agent the application writes nothing to standard error, so anything there is the agent's.
        assertThat(plain.stderr).as(plain.toString()).isEmpty();
        assertThat(agent.stderr).as(agent.toString()).doesNotContain("SLF4J").doesNotContain("logback")
                .doesNotContain("WARNING").doesNotContain("Exception").contains("INFO  fork #1 in pid");
        assertThat(agent.agentLines("WARN")).as(agent.toString()).isEmpty();
        return agent;
    }

    @Test
    void applicationWithItsOwnSlf4jAndLogbackLogsExactlyAsWithoutTheAgent() throws Exception {
        ForkedJvm.Result with = sameOutputWithAndWithoutAgent(ownLoggingApp(), ownLoggingApp());
        assertThat(with.stdout).isEqualTo("APPLOG INFO OwnLoggingApp the application's own logback speaks\n"
                + "binding ch.qos.logback.classic.LoggerContext from the application\n"
                + "APPLOG WARN OwnLoggingApp forked and reaped a child, exit code 0\n");
        assertThat(Paths.get(System.getProperty("forkguard.it.slf4jJar"))).exists();
    }

    @Test
    void applicationWithSlf4j17AndLogback12LogsExactlyAsWithoutTheAgent() throws Exception {
        String[] jars = clashSet("slf4j1-logback12");
        assertThat(jars).hasSize(3).anySatisfy(j -> assertThat(j).endsWith("slf4j-api-1.7.36.jar"))
                .anySatisfy(j -> assertThat(j).endsWith("logback-classic-1.2.13.jar"));
        ForkedJvm.Result with = sameOutputWithAndWithoutAgent(
                ForkedJvm.app("dev.forkguard.it.app.OwnLoggingApp").classpath(APP_LOGGING, TEST_CLASSES).classpath(jars),
                ForkedJvm.app("dev.forkguard.it.app.OwnLoggingApp").classpath(APP_LOGGING, TEST_CLASSES).classpath(jars));
        assertThat(with.stdout).isEqualTo("APPLOG INFO OwnLoggingApp the application's own logback speaks\n"
                + "binding ch.qos.logback.classic.LoggerContext from the application\n"
                + "APPLOG WARN OwnLoggingApp forked and reaped a child, exit code 0\n");
    }

    @Test
    void applicationWithAnotherJnaRunsWithItAndIsStillMonitored() throws Exception {
        String[] jars = clashSet("jna");
        assertThat(jars).singleElement().satisfies(j -> assertThat(j).endsWith("jna-5.13.0.jar"));
        String probe = System.getProperty("forkguard.it.probeJar");
        ForkedJvm.Result with = sameOutputWithAndWithoutAgent(
                ForkedJvm.app("dev.forkguard.it.app.OwnJnaApp").withoutDemoJar()
                        .classpath(TEST_CLASSES, MAIN_CLASSES, probe)
                        .classpath(jars),
                ForkedJvm.app("dev.forkguard.it.app.OwnJnaApp").withoutDemoJar()
                        .classpath(TEST_CLASSES, MAIN_CLASSES, probe)
                        .classpath(jars));
        assertThat(with.stdout).isEqualTo("jna from jna-5.13.0.jar, loaded by the application: true\n"
                + "forked and reaped a child, exit code 0\n");
    }

    @Test
    void applicationWithAnotherByteBuddyGeneratesItsClassesAndIsStillMonitored() throws Exception {
        String[] jars = clashSet("bytebuddy");
        assertThat(jars).singleElement().satisfies(j -> assertThat(j).endsWith("byte-buddy-1.14.18.jar"));
        ForkedJvm.Result with = sameOutputWithAndWithoutAgent(
                ForkedJvm.app("dev.forkguard.it.app.OwnByteBuddyApp").classpath(TEST_CLASSES).classpath(jars),
                ForkedJvm.app("dev.forkguard.it.app.OwnByteBuddyApp").classpath(TEST_CLASSES).classpath(jars));
        assertThat(with.stdout).isEqualTo("generated by the application with byte buddy from byte-buddy-1.14.18.jar\n"
                + "forked and reaped a child, exit code 0\n");
    }
}
