package dev.forkguard.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PidFdTest {

    @Test
    void signalsTheProcessItNamesAndNothingOnceItHasEnded() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        int fd = PidFd.open((int) sleeper.pid());
        try {
            assertThat(fd).as("pidfds need Linux 5.3+").isNotNegative();
            assertThat(PidFd.sendSignal(fd, Libc.SIGKILL)).isZero();
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sleeper.exitValue()).isEqualTo(128 + Libc.SIGKILL);
            // Reaped: the pidfd still names that process, which is gone, and signals nothing.
            assertThat(PidFd.sendSignal(fd, Libc.SIGKILL)).isNotZero();
        } finally {
            PidFd.close(fd);
            sleeper.destroyForcibly();
        }
    }

    @Test
    void aMissingProcessHasNoPidFd() {
        assertThat(PidFd.open(Integer.MAX_VALUE)).isNegative();
    }
}
