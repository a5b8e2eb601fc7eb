package dev.forkguard.agent.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.probe.proc.TaskSyscall;
import org.junit.jupiter.api.Test;

/** Which waits can end without the child's help, from /proc/<pid>/task/<tid>/syscall lines seen on this machine. */
class TaskWaitTest {

    private static final SyscallTable X86 = SyscallTable.of("amd64");
    private static final SyscallTable ARM = SyscallTable.of("aarch64");

    private static TaskWait x86(String line) {
        return TaskWait.of(Integer.MAX_VALUE, TaskSyscall.parse(7, line), X86);
    }

    @Test
    void aPrivateFutexWithNoTimeOutIsStuck() {
        // A forked JVM child blocked on an orphaned lock or its first safepoint (docs/DESIGN.md, Watching a child through /proc).
        TaskWait w = x86("202 0x7f3a5c0a1b58 0x189 0x0 0x0 0x0 0xffffffff 0x7ffd1e2c8a40 0x7f3a5d5e4a3c");
        assertThat(w.stuck()).isTrue();
        assertThat(w.address()).isEqualTo(0x7f3a5c0a1b58L);
        assertThat(w.description()).isEqualTo("a private futex at 0x7f3a5c0a1b58 with no time-out");
        // FUTEX_WAIT|PRIVATE (0x80) and FUTEX_LOCK_PI|PRIVATE (0x86) too.
        assertThat(x86("202 0x1000 0x80 0x2 0x0 0x0 0x0 0x1 0x2").stuck()).isTrue();
        assertThat(x86("202 0x1000 0x86 0x0 0x0 0x0 0x0 0x1 0x2").stuck()).isTrue();
    }

    @Test
    void aTimedWaitCanEndByItself() {
        // Thread.sleep and timed parks: the same futex wait with a time-out argument.
        TaskWait w = x86("202 0x7f3a5c0a1b58 0x189 0x0 0x7ffd1e2c8a00 0x0 0xffffffff 0x7ffd1e2c8a40 0x7f3a5d5e4a3c");
        assertThat(w.stuck()).isFalse();
        assertThat(w.description()).startsWith("a timed futex wait");
    }

    @Test
    void aFutexSharedWithOtherProcessesCanBeWokenByThem() {
        // An idle multiprocessing.Pool worker on the pool's semaphore: no private flag (docs/DESIGN.md, Watching a child through /proc).
        TaskWait w = x86("202 0x7f90c4a1e000 0x109 0x0 0x0 0x0 0xffffffff 0x7ffc5a3b1c20 0x7f90c4d1e7c6");
        assertThat(w.stuck()).isFalse();
        assertThat(w.description()).startsWith("a futex shared with other processes at 0x7f90c4a1e000");
    }

    @Test
    void aWakeOrRequeueIsNoWait() {
        assertThat(x86("202 0x1000 0x81 0x1 0x0 0x0 0x0 0x1 0x2").stuck()).isFalse(); // FUTEX_WAKE|PRIVATE
    }

    @Test
    void readsSleepsAndPollsAreNamed() {
        assertThat(x86("0 0x5 0x7f00 0x1000 0x0 0x0 0x0 0x1 0x2").description())
                .isEqualTo("a read on file descriptor 5");
        assertThat(x86("230 0x0 0x0 0x7ffd 0x7ffe 0x0 0x0 0x1 0x2").description()).isEqualTo("a sleep");
        assertThat(x86("7 0x7f00 0x1 0xffffffff 0x0 0x0 0x0 0x1 0x2").description()).isEqualTo("poll, select or epoll");
        assertThat(x86("61 0xffffffff 0x0 0x0 0x0 0x0 0x0 0x1 0x2").description()).isEqualTo("a wait for a child process");
        assertThat(x86("999 0x0 0x0 0x0 0x0 0x0 0x0 0x1 0x2").description()).isEqualTo("system call 999");
        assertThat(x86("running").description()).isEqualTo("running");
        assertThat(x86("running").stuck()).isFalse();
    }

    @Test
    void theGenericTableIsUsedOnAarch64() {
        TaskWait w = TaskWait.of(1, TaskSyscall.parse(7, "98 0xffff8000 0x189 0x0 0x0 0x0 0x0 0x1 0x2"), ARM);
        assertThat(w.stuck()).isTrue();
        assertThat(TaskWait.of(1, TaskSyscall.parse(7, "202 0xffff8000 0x189 0x0 0x0 0x0 0x0 0x1 0x2"), ARM).stuck())
                .as("202 is accept on aarch64").isFalse();
    }
}
