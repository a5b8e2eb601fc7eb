package dev.forkguard.agent.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtualThreadDumpTest {

    @TempDir
    Path tmp;

    /** The shape HotSpot's dumpThreads(JSON) writes (JDK 25.0.3, abridged). */
    @Test
    void parsesVirtualThreadsWithStacksMonitorsAndContainersAndSkipsPlatformOnes() throws Exception {
        Path file = tmp.resolve("threads.json");
        Files.writeString(file, "{\"threadDump\": {\"processId\": \"42\", \"threadContainers\": ["
                + "{\"container\": \"<root>\", \"parent\": null, \"owner\": null, \"threads\": ["
                + "{\"tid\": \"1\", \"name\": \"main\", \"stack\": [\"java.base/java.lang.Thread.sleep(Thread.java:1)\"]},"
                + "{\"tid\": \"24\", \"time\": \"t\", \"virtual\": true, \"name\": \"vt-mon\", \"state\": \"TIMED_WAITING\","
                + " \"stack\": [\"java.base/java.lang.VirtualThread.parkNanos(VirtualThread.java:784)\","
                + " \"Exp.lambda$main$1(Exp.java:13)\"], \"monitorsOwned\": [{\"depth\": 1, \"locks\": "
                + "[\"java.lang.Object@2e817b38\"]}], \"carrier\": {\"tid\": \"30\"}}], \"threadCount\": \"2\"},"
                + "{\"container\": \"java.util.concurrent.ThreadPerTaskExecutor@49c2faae\", \"parent\": \"<root>\","
                + " \"threads\": [{\"tid\": \"32\", \"virtual\": true, \"name\": \"\", \"state\": \"WAITING\", "
                + "\"stack\": []}]}]}}");
        List<VirtualThreadInfo> threads = VirtualThreadDump.parse(file);
        assertThat(threads).hasSize(2);
        VirtualThreadInfo mon = threads.get(0);
        assertThat(mon.id()).isEqualTo(24);
        assertThat(mon.name()).isEqualTo("vt-mon");
        assertThat(mon.state()).isEqualTo("TIMED_WAITING");
        assertThat(mon.stack()).containsExactly("java.lang.VirtualThread.parkNanos(VirtualThread.java:784)",
                "Exp.lambda$main$1(Exp.java:13)");
        assertThat(mon.monitors()).containsExactly(new VirtualThreadInfo.Monitor("java.lang.Object@2e817b38", 1));
        assertThat(mon.container()).isEqualTo("<root>");
        assertThat(threads.get(1).container()).isEqualTo("java.util.concurrent.ThreadPerTaskExecutor@49c2faae");
        assertThat(threads.get(1).name()).isEmpty();
    }

    @Test
    void framesLoseModuleAndLoaderButHiddenClassesKeepTheirSuffix() {
        assertThat(VirtualThreadDump.withoutModule("java.base/java.lang.Thread.sleep(Thread.java:540)"))
                .isEqualTo("java.lang.Thread.sleep(Thread.java:540)");
        assertThat(VirtualThreadDump.withoutModule("app//com.acme.Main.run(Main.java:5)"))
                .isEqualTo("com.acme.Main.run(Main.java:5)");
        assertThat(VirtualThreadDump.withoutModule("com.foo@9.0/com.foo.Main.run(Main.java:1)"))
                .isEqualTo("com.foo.Main.run(Main.java:1)");
        assertThat(VirtualThreadDump.withoutModule("Exp$$Lambda/0x0000000801001234.run(Unknown Source)"))
                .isEqualTo("Exp$$Lambda/0x0000000801001234.run(Unknown Source)");
        assertThat(VirtualThreadDump.withoutModule("Exp.main(Exp.java:3)")).isEqualTo("Exp.main(Exp.java:3)");
    }
}
