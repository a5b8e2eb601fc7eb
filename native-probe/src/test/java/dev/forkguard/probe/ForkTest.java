package dev.forkguard.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.probe.proc.ChildProcesses;
import dev.forkguard.probe.proc.ProcessStat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Forks the test JVM itself; every child only calls {@code _exit} and is always reaped. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForkTest {

    private static final long REAP_TIMEOUT_MS = 10_000;

    @BeforeAll
    static void bind() throws ProbeUnavailableException {
        Libc.bind();
    }

    @Test
    void forkedChildThatExitsAtOnceReportsItsExitCodeToWaitpid() throws InterruptedException {
        int pid = ForkedChildren.forkExiting(7);
        assertThat(pid).isPositive();
        int status = ForkedChildren.reap(pid, REAP_TIMEOUT_MS);
        assertThat(Libc.exited(status)).isTrue();
        assertThat(Libc.exitCode(status)).isEqualTo(7);
    }

    @Test
    void exitedChildIsAZombieWithItsWaitStatusUntilReaped() throws InterruptedException {
        int pid = ForkedChildren.forkExiting(7);
        Optional<ProcessStat> zombie;
        int[] children;
        try {
            zombie = awaitZombie(pid, 5_000);
            children = ChildProcesses.of(Libc.getpid(), Libc.gettid());
        } finally {
            int status = ForkedChildren.reap(pid, REAP_TIMEOUT_MS);
            assertThat(Libc.exitCode(status)).isEqualTo(7);
        }
        assertThat(zombie).isPresent();
        ProcessStat stat = zombie.get();
        assertThat(stat.state()).isEqualTo('Z');
        assertThat(stat.ppid()).isEqualTo(Libc.getpid());
        assertThat(stat.threads()).isEqualTo(1);
        assertThat(Libc.exited(stat.exitCode())).isTrue();
        assertThat(Libc.exitCode(stat.exitCode())).isEqualTo(7);
        assertThat(ProcessStat.executable(pid)).as("a zombie has no exe link").isEmpty();
        assertThat(stat.forkedWithoutExec()).as("a zombie keeps PF_FORKNOEXEC").isTrue();

        assertThat(children).as("children of the forking thread").contains(pid);
        assertThat(ChildProcesses.of(Libc.getpid(), Libc.gettid())).doesNotContain(pid);
        assertThat(ProcessStat.read(pid)).as("reaped").isEmpty();
    }

    @Test
    void childIsNotListedUnderAnotherThread() throws InterruptedException {
        int pid = ForkedChildren.forkExiting(0);
        try {
            awaitZombie(pid, 5_000);
            // The group leader is the launcher's primordial thread, not this one.
            assertThat(ChildProcesses.of(Libc.getpid(), Libc.getpid())).doesNotContain(pid);
        } finally {
            ForkedChildren.reap(pid, REAP_TIMEOUT_MS);
        }
    }

    private static Optional<ProcessStat> awaitZombie(int pid, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        Optional<ProcessStat> stat = ProcessStat.read(pid);
        while (!(stat.isPresent() && stat.get().state() == 'Z') && System.nanoTime() < deadline) {
            Thread.sleep(1);
            stat = ProcessStat.read(pid);
        }
        return stat;
    }
}
