package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.demo.ForkDemo;
import dev.forkguard.it.app.ClassVisibilityApp;
import dev.forkguard.it.app.HelloApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent starts, says so once, and never stops the application from running. */
class AgentStartIT {

    @TempDir
    Path tmp;

    @Test
    void badOptionsWarnOnceEachAndTheApplicationRuns() throws Exception {
        ForkedJvm.Result r = ForkedJvm.app(HelloApp.class).agentArgs("childPolicy=kill,watchdog=-3,bogus=1").run();

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).contains("hello: application ran");
        assertThat(r.agentLines("WARN")).as(r.toString()).containsExactlyInAnyOrder(
                line("option childPolicy='kill' (agent argument) is invalid: must be one of report, throw, exit; "
                        + "using the default report"),
                line("option watchdog='-3' (agent argument) is invalid: must be a whole number from 0 to 3600; "
                        + "using the default 5"),
                line("unknown option 'bogus' (agent argument); known options: reportDir, log, logLevel, watchdog, onHung, hungGrace, "
                        + "childPolicy, childExitCode, stackDepth, maxTracked, trackRate, heldLocks, stacks, forkHandlers, maxReports, logRate; ignored"));
        assertThat(r.stderr).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.stderrLines("fork handlers registered")).hasSize(1);
    }

    private static String line(String warning) {
        return "WARN  forkguard: " + warning;
    }

    @Test
    void optionsComeFromAgentArgumentsThenSystemPropertiesThenEnvironment() throws Exception {
        Path fromArgs = tmp.resolve("args");
        Path fromProperty = tmp.resolve("property");
        Path fromEnv = tmp.resolve("env");
        ForkedJvm.Result all = ForkedJvm.app(ForkDemo.class).agentArgs("reportDir=" + fromArgs)
                .jvmArg("-Dforkguard.reportDir=" + fromProperty).env("FORKGUARD_REPORT_DIR", fromEnv.toString()).run();
        assertThat(all.exitCode).as(all.toString()).isZero();
        assertThat(fromArgs).isDirectory();
        assertThat(fromProperty).doesNotExist();
        assertThat(fromEnv).doesNotExist();

        ForkedJvm.Result propertyAndEnv = ForkedJvm.app(ForkDemo.class).jvmArg("-Dforkguard.reportDir=" + fromProperty)
                .env("FORKGUARD_REPORT_DIR", fromEnv.toString()).run();
        assertThat(propertyAndEnv.exitCode).as(propertyAndEnv.toString()).isZero();
        assertThat(fromProperty).isDirectory();
        assertThat(fromEnv).doesNotExist();

        ForkedJvm.Result env = ForkedJvm.app(ForkDemo.class).env("FORKGUARD_REPORT_DIR", fromEnv.toString()).run();
        assertThat(env.exitCode).as(env.toString()).isZero();
        assertThat(fromEnv).isDirectory();
    }

    @Test
    void logOptionSendsTheReportToAFile() throws Exception {
        Path log = tmp.resolve("forkguard.log");
        ForkedJvm.Result r = ForkedJvm.app(ForkDemo.class).agentArgs("log=" + log).run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stderr).doesNotContain("[forkguard]");
        assertThat(Files.readString(log)).contains("fork handlers registered").contains("fork #1 in pid")
                .contains("\"cache-refresher\"");
    }

    @Test
    void agentLibrariesAreInvisibleToTheApplication() throws Exception {
        String[] internals = {
            "org.slf4j.LoggerFactory", "ch.qos.logback.classic.Logger", "net.bytebuddy.ByteBuddy",
            "com.fasterxml.jackson.databind.ObjectMapper", "picocli.CommandLine",
            "dev.forkguard.agent.startup.AgentInstaller", "dev.forkguard.agent.report.ReportBuilder"
        };
        ForkedJvm.Result r = ForkedJvm.app(ClassVisibilityApp.class).args(internals).run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        for (String name : internals) {
            assertThat(r.stdout).as(r.toString()).contains("ClassNotFoundException " + name);
        }
        assertThat(r.stderr).contains("fork handlers registered");
    }

    @Test
    void withoutItsNativeLibraryTheAgentWarnsOnceAndTheApplicationRuns() throws Exception {
        // JNA may neither use a system copy nor unpack its own: its native library cannot load.
        ForkedJvm.Result r = ForkedJvm.app(HelloApp.class).jvmArg("-Djna.nosys=true", "-Djna.nounpack=true").run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).contains("hello: application ran");
        assertThat(r.stderrLines("WARN")).as(r.toString()).hasSize(1).allSatisfy(line -> assertThat(line)
                .contains("fork handlers are not registered and the application continues unmonitored"));
        assertThat(r.stderr).doesNotContain("fork handlers registered via").doesNotContain("\tat ");
    }

    @Test
    void hostileReportDirsAndLogPathsGiveOneLineEachAndTheApplicationRuns() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Path realDir = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), realDir);
        // Not creatable even by root (CI runs as root, for whom permission bits do not stop a write).
        String unwritable = "/proc/self/forkguard-reports";
        Path missingLogDir = tmp.resolve("no-such-dir");
        List<String[]> cases = List.of(
                new String[] {"reportDir=" + file, "option reportDir='" + file + "' is not a directory; JSON reports are off"},
                new String[] {"reportDir=" + link, "option reportDir='" + link + "' is a symbolic link; JSON reports are off"},
                new String[] {"reportDir=" + unwritable, "option reportDir='" + unwritable + "' cannot be created ("},
                new String[] {"log=" + missingLogDir.resolve("forkguard.log"), "option log='"
                        + missingLogDir.resolve("forkguard.log") + "' is unusable: directory " + missingLogDir
                        + " does not exist; logging to standard error"});
        for (String[] c : cases) {
            ForkedJvm.Result r = ForkedJvm.app(ForkDemo.class).agentArgs(c[0]).run();
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.stdout).as(r.toString()).contains("demo: child");
            assertThat(r.agentLines("WARN  forkguard")).as(r.toString()).singleElement()
                    .satisfies(line -> assertThat(line).contains(c[1]));
            assertThat(r.stderr).doesNotContain("\tat ").doesNotContain("Exception in");
            // The feature is off, not the agent: the fork is still reported in the log.
            assertThat(r.stderr).as(r.toString()).contains("fork #1 in pid");
        }
        try (var s = Files.list(realDir)) {
            assertThat(s.count()).as("nothing written through the symbolic link").isZero();
        }
        assertThat(missingLogDir).doesNotExist();
    }

    @Test
    void onAnotherOperatingSystemTheAgentWarnsOnceAndLoadsNothingNative() throws Exception {
        // os.name is what the agent checks, before it binds any native code.
        ForkedJvm.Result r = ForkedJvm.app(HelloApp.class).jvmArg("-Dos.name=SunOS").run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).isEqualTo("hello: application ran\n");
        assertThat(r.stderrLines("[forkguard]")).as(r.toString()).singleElement().satisfies(line -> assertThat(line)
                .contains("WARN  forkguard ").contains(": fork handlers need Linux, this is SunOS; fork handlers are "
                        + "not registered and the application continues unmonitored"));
        assertThat(r.stderr).doesNotContain("\tat ");
    }

    /**
     * A lock registry that throws on every call (test-only switch): every lock the application
     * creates and the fork's snapshot hit it. The application runs exactly as without the agent, and
     * the agent says once of each kind of fault that it happened.
     */
    @Test
    void aRegistryThatThrowsNeverReachesTheApplicationAndIsLoggedOnce() throws Exception {
        ForkedJvm.Result plain = ForkedJvm.app(ForkDemo.class).withoutAgent().run();
        ForkedJvm.Result faulty = ForkedJvm.app(ForkDemo.class).jvmArg("-DforkguardTest.faultInjection=registry").run();
        assertThat(plain.exitCode).isZero();
        assertThat(faulty.exitCode).as(faulty.toString()).isZero();
        assertThat(faulty.stdout.replaceAll("\\d+", "N")).isEqualTo(plain.stdout.replaceAll("\\d+", "N"));
        assertThat(faulty.stderr).doesNotContain("\tat ").doesNotContain("Exception in");
        assertThat(faulty.agentLines("WARN")).as(faulty.toString()).containsExactly(
                "WARN  forkguard: 1 fork went unreported: the snapshot failed inside the agent "
                        + "(java.lang.IllegalStateException: injected fault: forkguardTest.faultInjection=registry); "
                        + "the fork itself went ahead; further failures are counted, not logged",
                faulty.agentLines("WARN").get(1));
        assertThat(faulty.agentLines("WARN").get(1)).matches("WARN  forkguard: \\d+ calls into the agent from "
                + "instrumented code failed inside the agent \\(java.lang.IllegalStateException: injected fault: "
                + "forkguardTest.faultInjection=registry\\); the application's calls went ahead untracked; further "
                + "failures are counted, not logged");
        assertThat(faulty.stderr).doesNotContain("fork #1 in pid");
    }
}
