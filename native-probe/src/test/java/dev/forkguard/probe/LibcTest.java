package dev.forkguard.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.probe.proc.ProcTask;
import dev.forkguard.probe.proc.ProcTasks;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LibcTest {

    @BeforeAll
    static void bind() throws ProbeUnavailableException {
        Libc.bind();
    }

    @Test
    void bindIsIdempotent() throws ProbeUnavailableException {
        Libc.bind();
        Libc.bind();
        assertThat(Libc.getpid()).isPositive();
    }

    @Test
    void isLinuxOnThisMachine() {
        assertThat(Libc.isLinux()).isTrue();
    }

    @Test
    void getpidEqualsTheJvmsPid() {
        assertThat((long) Libc.getpid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void gettidOfTheCallingThreadIsListedAmongThisProcessesTasks() {
        int tid = Libc.gettid();
        boolean found = false;
        for (ProcTask task : ProcTasks.list()) {
            if (task.tid() == tid) {
                found = true;
            }
        }
        assertThat(found).as("tid %d in /proc/self/task", tid).isTrue();
    }

    @Test
    void gettidDiffersBetweenThreadsAndIsNotThePidForAJavaThread() throws InterruptedException {
        AtomicInteger otherTid = new AtomicInteger();
        Thread other = new Thread(new Runnable() {
            @Override
            public void run() {
                otherTid.set(Libc.gettid());
            }
        }, "probe-gettid");
        other.start();
        other.join(10_000);
        int mine = Libc.gettid();
        assertThat(otherTid.get()).isPositive().isNotEqualTo(mine);
        // The java launcher runs main() in a new thread, so no Java thread is the group leader.
        assertThat(mine).isNotEqualTo(Libc.getpid());
    }

    @Test
    void gettidThroughTheSystemCallAgreesWithTheLibraryWrapper() {
        assertThat(Libc.sysGettidForArch(System.getProperty("os.arch"))).isPositive();
        assertThat(Libc.gettidViaSyscall()).isEqualTo(Libc.gettid());
    }

    @Test
    void systemCallNumbersAreKnownForX8664AndAarch64Only() {
        assertThat(Libc.sysGettidForArch("amd64")).isEqualTo(186);
        assertThat(Libc.sysGettidForArch("aarch64")).isEqualTo(178);
        assertThat(Libc.sysGettidForArch("sparcv9")).isEqualTo(-1);
    }

    @Test
    void waitStatusOfANormalExitDecodesToItsExitCode() {
        int status = 7 << 8;
        assertThat(Libc.exited(status)).isTrue();
        assertThat(Libc.signaled(status)).isFalse();
        assertThat(Libc.exitCode(status)).isEqualTo(7);
    }

    @Test
    void waitStatusOfAKillDecodesToItsSignal() {
        int status = 9;
        assertThat(Libc.exited(status)).isFalse();
        assertThat(Libc.signaled(status)).isTrue();
        assertThat(Libc.termSignal(status)).isEqualTo(9);
        // SIGSEGV with a core dump sets bit 7.
        assertThat(Libc.termSignal(11 | 0x80)).isEqualTo(11);
        assertThat(Libc.signaled(11 | 0x80)).isTrue();
    }

    @Test
    void waitStatusOfAStoppedProcessIsNeitherExitNorSignal() {
        int stoppedBySigstop = (19 << 8) | 0x7f;
        assertThat(Libc.exited(stoppedBySigstop)).isFalse();
        assertThat(Libc.signaled(stoppedBySigstop)).isFalse();
    }

    @Test
    void killWithSigkillEndsAProcessBySignal() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(Libc.kill((int) sleeper.pid(), Libc.SIGKILL)).isZero();
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sleeper.exitValue()).isEqualTo(128 + Libc.SIGKILL);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void killOfAMissingProcessFails() {
        assertThat(Libc.kill(Integer.MAX_VALUE, 0)).isEqualTo(-1);
    }
}
