package dev.forkguard.probe.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessStatTest {

    /** A real zombie's line (Linux 6.x, 52 fields) with a comm made hostile. */
    private static final String HOSTILE = "4242 (a) b (c)) Z 4100 4100 1808 0 -1 4228 19 0 0 0 12 34"
            + " 0 0 20 0 1 0 98765 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0"
            + " 0 0 0 0 0 0 1792\n";

    @Test
    void parsesACommWithSpacesAndParenthesesUpToTheLastParenthesis() {
        ProcessStat stat = ProcessStat.parse(HOSTILE);
        assertThat(stat.pid()).isEqualTo(4242);
        assertThat(stat.comm()).isEqualTo("a) b (c)");
        assertThat(stat.state()).isEqualTo('Z');
        assertThat(stat.ppid()).isEqualTo(4100);
        assertThat(stat.utime()).isEqualTo(12);
        assertThat(stat.stime()).isEqualTo(34);
        assertThat(stat.cpuTicks()).isEqualTo(46);
        assertThat(stat.threads()).isEqualTo(1);
        assertThat(stat.startTime()).isEqualTo(98765);
        assertThat(stat.exitCode()).isEqualTo(7 << 8);
    }

    @Test
    void theForkWithoutExecFlagIsReadFromField9() {
        // flags 4228 = 0x1084: no PF_FORKNOEXEC (the process ran exec).
        assertThat(ProcessStat.parse(HOSTILE).forkedWithoutExec()).isFalse();
        // 4194368 = 0x400040, a forked child that has not exec'd, as read on this machine.
        ProcessStat forked = ProcessStat.parse(HOSTILE.replace(" 4228 ", " 4194368 "));
        assertThat(forked.flags()).isEqualTo(0x400040L);
        assertThat(forked.forkedWithoutExec()).isTrue();
    }

    @Test
    void exitCodeIsZeroWhenTheKernelDoesNotPrintIt() {
        // Linux before 3.5 stops at field 44.
        String old = "77 (sh) S 1 77 77 0 -1 4194304 1 0 0 0 3 4 0 0 20 0 1 0 500 0 0 0 0 0 0 0 0 0 0"
                + " 0 0 0 0 0 0 0 17 0 0 0 0\n";
        ProcessStat stat = ProcessStat.parse(old);
        assertThat(stat.comm()).isEqualTo("sh");
        assertThat(stat.exitCode()).isZero();
        assertThat(stat.startTime()).isEqualTo(500);
    }

    @Test
    void rejectsWhatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcessStat.parse("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessStat.parse("1 (x) S 0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsThisProcess() {
        ProcessHandle me = ProcessHandle.current();
        ProcessStat stat = ProcessStat.read((int) me.pid()).orElseThrow();
        assertThat((long) stat.pid()).isEqualTo(me.pid());
        assertThat((long) stat.ppid()).isEqualTo(me.parent().orElseThrow().pid());
        assertThat(stat.state()).isIn('R', 'S');
        assertThat(stat.comm()).isEqualTo("java");
        assertThat(stat.cpuTicks()).isNotNegative();
        assertThat(stat.threads()).isGreaterThan(1);
        assertThat(stat.startTime()).isPositive();
        assertThat(stat.exitCode()).isZero();
        assertThat(stat.forkedWithoutExec()).as("the java launcher ran exec").isFalse();
        assertThat(ProcessStat.bootTicksNow()).isGreaterThanOrEqualTo(stat.startTime());
    }

    @Test
    void readOfAMissingProcessIsEmpty() {
        assertThat(ProcessStat.read(Integer.MAX_VALUE)).isEmpty();
        assertThat(ProcessStat.executable(Integer.MAX_VALUE)).isEmpty();
        assertThat(ProcessStat.wchan(Integer.MAX_VALUE)).isEmpty();
        assertThat(ProcessStat.syscall(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void executableOfThisProcessIsTheJavaLauncher() {
        ProcessHandle me = ProcessHandle.current();
        assertThat(ProcessStat.executable((int) me.pid()))
                .isEqualTo(me.info().command());
    }

    @Test
    void sleepingChildShowsItsProgramAndWhereItBlocks() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            int pid = (int) sleeper.pid();
            Optional<ProcessStat> stat = ProcessStat.read(pid);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            // Wait until it has exec'd sleep and gone to sleep in the kernel.
            while (!(stat.isPresent() && stat.get().state() == 'S' && stat.get().comm().equals("sleep"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
                stat = ProcessStat.read(pid);
            }
            assertThat(stat).isPresent();
            assertThat(stat.get().state()).isEqualTo('S');
            assertThat(stat.get().comm()).isEqualTo("sleep");
            assertThat(stat.get().forkedWithoutExec()).as("it ran exec").isFalse();
            assertThat((long) stat.get().ppid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(ProcessStat.executable(pid)).hasValueSatisfying(exe -> assertThat(exe).endsWith("/sleep"));
            assertThat(ProcessStat.wchan(pid)).hasValueSatisfying(w -> assertThat(w).isNotEmpty());
            // Blocked in a system call (clock_nanosleep, 230 on x86_64), not running.
            assertThat(ProcessStat.syscall(pid)).hasValueSatisfying(s -> assertThat(s).matches("[0-9]+"));
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
