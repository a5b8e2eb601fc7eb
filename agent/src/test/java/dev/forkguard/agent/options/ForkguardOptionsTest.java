package dev.forkguard.agent.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForkguardOptionsTest {

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        ForkguardOptions o = ForkguardOptions.defaults();
        assertThat(o.get(ForkguardOptions.REPORT_DIR)).isNull();
        assertThat(o.get(ForkguardOptions.WATCHDOG)).isEqualTo(5);
        assertThat(o.get(ForkguardOptions.CHILD_POLICY)).isEqualTo("report");
        assertThat(o.problems()).isEmpty();
    }

    @Test
    void agentArgumentsWinOverPropertiesWhichWinOverEnvironment() {
        ForkguardOptions o = ForkguardOptions.resolve("watchdog=7",
                Map.of("forkguard.watchdog", "8", "forkguard.childPolicy", "throw"),
                Map.of("FORKGUARD_WATCHDOG", "9", "FORKGUARD_CHILD_POLICY", "exit", "FORKGUARD_CHILD_EXIT_CODE", "71"));
        assertThat(o.get(ForkguardOptions.WATCHDOG)).isEqualTo(7);
        assertThat(o.get(ForkguardOptions.CHILD_POLICY)).isEqualTo("throw");
        assertThat(o.get(ForkguardOptions.CHILD_EXIT_CODE)).isEqualTo(71);
        assertThat(o.problems()).isEmpty();
    }

    @Test
    void badValueIsOneProblemNamingOptionAndValueAndTheDefaultIsUsed() {
        ForkguardOptions o = ForkguardOptions.resolve("watchdog=soon", Map.of(), Map.of());
        assertThat(o.get(ForkguardOptions.WATCHDOG)).isEqualTo(5);
        assertThat(o.problems()).containsExactly("forkguard: option watchdog='soon' (agent argument) is invalid: "
                + "must be a whole number from 0 to 3600; using the default 5");
    }

    @Test
    void unknownKeysFromEverySourceAreReportedAndIgnored() {
        ForkguardOptions o = ForkguardOptions.resolve("nope=1,novalue", Map.of("forkguard.alsoNope", "x"),
                Map.of("FORKGUARD_NOPE_EITHER", "y", "PATH", "/bin"));
        assertThat(o.problems()).hasSize(4).anySatisfy(p -> assertThat(p).contains("unknown option 'nope'"))
                .anySatisfy(p -> assertThat(p).contains("'novalue' is not key=value"))
                .anySatisfy(p -> assertThat(p).contains("unknown option 'alsoNope' (system property"))
                .anySatisfy(p -> assertThat(p).contains("unknown environment variable FORKGUARD_NOPE_EITHER"));
    }

    @Test
    void thePythonPackagesJarVariableIsNotTakenForAnOption() {
        ForkguardOptions o = ForkguardOptions.resolve("", Map.of(),
                Map.of("FORKGUARD_AGENT_JAR", "/opt/forkguard-agent.jar", "FORKGUARD_WATCHDOG", "7"));
        assertThat(o.problems()).isEmpty();
        assertThat(o.get(ForkguardOptions.WATCHDOG)).isEqualTo(7);
    }

    @Test
    void pathsAreMadeAbsoluteAndChoicesCaseInsensitive() {
        ForkguardOptions o = ForkguardOptions.resolve("reportDir=rel/dir,childPolicy=THROW", Map.of(), Map.of());
        assertThat(o.get(ForkguardOptions.REPORT_DIR)).isEqualTo(Paths.get("rel/dir").toAbsolutePath());
        assertThat(o.get(ForkguardOptions.CHILD_POLICY)).isEqualTo("throw");
    }

    @Test
    void environmentNamesDeriveFromOptionNames() {
        assertThat(ForkguardOptions.REPORT_DIR.environmentVariable()).isEqualTo("FORKGUARD_REPORT_DIR");
        assertThat(ForkguardOptions.CHILD_EXIT_CODE.environmentVariable()).isEqualTo("FORKGUARD_CHILD_EXIT_CODE");
        assertThat(ForkguardOptions.LOG.systemProperty()).isEqualTo("forkguard.log");
    }
}
