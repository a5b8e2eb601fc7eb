package dev.forkguard.probe.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.probe.Libc;
import dev.forkguard.probe.ProbeUnavailableException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChildProcessesTest {

    @BeforeAll
    static void bind() throws ProbeUnavailableException {
        Libc.bind();
    }

    @Test
    void kernelProvidesChildrenFiles() {
        assertThat(ChildProcesses.supported()).isTrue();
    }

    @Test
    void parsesTheKernelsSpaceSeparatedList() {
        assertThat(ChildProcesses.parsePids("4321 98765 ")).containsExactly(4321, 98765);
        assertThat(ChildProcesses.parsePids("1 2 3 4 5 6 7 8 9 10")).hasSize(10);
        assertThat(ChildProcesses.parsePids("")).isEmpty();
    }

    @Test
    void missingProcessHasNoChildren() {
        assertThat(ChildProcesses.of(Integer.MAX_VALUE, Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void spawnedProcessIsListedUnderTheThreadThatStartedIt() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(ChildProcesses.of(Libc.getpid(), Libc.gettid())).contains((int) sleeper.pid());
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
