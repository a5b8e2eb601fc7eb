package dev.forkguard.probe.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskSyscallTest {

    /** A forked JVM child hung on an orphaned lock (docs/DESIGN.md, Watching a child through /proc): futex, FUTEX_WAIT_BITSET|PRIVATE|CLOCK_REALTIME, no time-out. */
    private static final String HUNG = "202 0x7f3a5c0a1b58 0x189 0x0 0x0 0x0 0xffffffff 0x7ffd1e2c8a40 0x7f3a5d5e4a3c\n";

    @Test
    void parsesTheNumberAndTheSixArguments() {
        TaskSyscall s = TaskSyscall.parse(42, HUNG);
        assertThat(s.tid()).isEqualTo(42);
        assertThat(s.number()).isEqualTo(202);
        assertThat(s.arg(0)).isEqualTo(0x7f3a5c0a1b58L);
        assertThat(s.arg(1)).isEqualTo(0x189);
        assertThat(s.arg(3)).isZero();
        assertThat(s.arg(5)).isEqualTo(0xffffffffL);
        assertThat(s.stackPointer()).isEqualTo(0x7ffd1e2c8a40L);
    }

    @Test
    void findsALibrarysExecutableMapping() {
        List<String> maps = List.of(
                "7f3a5c000000-7f3a5c200000 r--p 00000000 fe:01 42  /usr/lib/jvm/x/lib/server/libjvm.so",
                "7f3a5c200000-7f3a5d000000 r-xp 00200000 fe:01 42  /usr/lib/jvm/x/lib/server/libjvm.so",
                "7f3a5e000000-7f3a5e100000 r-xp 00000000 fe:01 43  /usr/lib/x86_64-linux-gnu/libc.so.6");
        assertThat(ProcessMemory.executableMapping(maps, "/libjvm.so")).containsExactly(0x7f3a5c200000L, 0x7f3a5d000000L);
        assertThat(ProcessMemory.executableMapping(maps, "/libnone.so")).isNull();
        // This JVM maps libjvm, and its own stack can be read.
        int self = (int) ProcessHandle.current().pid();
        assertThat(ProcessMemory.executableMapping(self, "/libjvm.so")).isNotNull();
        assertThat(ProcessMemory.words(self, 0, 4)).as("address 0 is not mapped").isEmpty();
    }

    @Test
    void argumentsWithTheTopBitSetAreRead() {
        TaskSyscall s = TaskSyscall.parse(1, "0 0xffffffffffffff9c 0x1 0x2 0x3 0x4 0x5 0x6 0x7");
        assertThat(s.arg(0)).isEqualTo(-100L);
    }

    @Test
    void runningAndBlockedOutsideASystemCallHaveNoNumber() {
        assertThat(TaskSyscall.parse(1, "running\n").number()).isEqualTo(TaskSyscall.NONE);
        assertThat(TaskSyscall.parse(1, "-1 0x7ffd1e2c8a40 0x7f3a5d5e4a3c\n").number()).isEqualTo(TaskSyscall.NONE);
        assertThat(TaskSyscall.parse(1, "running").arg(0)).isZero();
    }

    @Test
    void rejectsWhatIsNotASyscallLine() {
        assertThatThrownBy(() -> TaskSyscall.parse(1, "hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskSyscall.parse(1, "202 0x1 0x2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskSyscall.parse(1, "202 1 2 3 4 5 6 7 8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsEveryTaskOfASleepingChild() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            int pid = (int) sleeper.pid();
            List<TaskSyscall> tasks = TaskSyscall.ofProcess(pid);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // Wait until it has exec'd sleep and blocks in the kernel.
            while ((tasks.isEmpty() || tasks.get(0).number() == TaskSyscall.NONE
                    || !ProcessStat.read(pid).map(ProcessStat::comm).orElse("").equals("sleep"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
                tasks = TaskSyscall.ofProcess(pid);
            }
            assertThat(tasks).hasSize(1);
            assertThat(tasks.get(0).tid()).isEqualTo(pid);
            // clock_nanosleep: 230 on x86_64, 115 on the generic table.
            assertThat(tasks.get(0).number()).isIn(230, 115);
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMissingProcessHasNoTasks() {
        assertThat(TaskSyscall.ofProcess(Integer.MAX_VALUE)).isEmpty();
        assertThat(TaskSyscall.descriptor(Integer.MAX_VALUE, 0)).isNull();
    }

    @Test
    void namesAFileDescriptor() throws Exception {
        Process cat = new ProcessBuilder("cat").start();
        try {
            // The child's standard input is the pipe this JVM writes to.
            assertThat(TaskSyscall.descriptor((int) cat.pid(), 0)).startsWith("pipe:[");
        } finally {
            cat.destroyForcibly();
            cat.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
