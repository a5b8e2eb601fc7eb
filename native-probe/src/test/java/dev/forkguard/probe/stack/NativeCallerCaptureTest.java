package dev.forkguard.probe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.forkguard.probe.AtforkCallback;
import dev.forkguard.probe.AtforkRegistrar;
import dev.forkguard.probe.ForkedChildren;
import dev.forkguard.probe.Libc;
import dev.forkguard.probe.ProbeUnavailableException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fork made by native code, the C library's own {@code forkpty}, which calls {@code fork()}
 * inside: the capture in the prepare handler must name {@code forkpty} as the caller.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NativeCallerCaptureTest {

    private static final AtomicReference<CallerStack> CAPTURED = new AtomicReference<>();
    private static NativeCallerCapture capture;

    /** forkpty, direct-mapped so the child returns to Java through no proxy before it {@code _exit}s. */
    static final class Pty {
        static native int forkpty(int[] master, Pointer name, Pointer termios, Pointer winsize);

        static native int close(int fd);
    }

    @BeforeAll
    static void register() throws ProbeUnavailableException {
        capture = NativeCallerCapture.create();
        Native.register(Pty.class, NativeLibrary.getProcess());
        AtforkRegistrar.register(new AtforkCallback() {
            @Override
            public void invoke() {
                CAPTURED.set(capture.capture());
            }
        }, new AtforkCallback() {
            @Override
            public void invoke() {
            }
        });
    }

    @Test
    void namesTheNativeFunctionThatCalledFork() throws Exception {
        int[] master = new int[1];
        int pid = Pty.forkpty(master, null, null, null);
        if (pid == 0) {
            Libc._exit(0);
        }
        assertThat(pid).as("forkpty failed (no pseudo-terminal?)").isPositive();
        Pty.close(master[0]);
        ForkedChildren.reap(pid, 10_000);

        List<NativeFrame> frames = NativeFrameResolver.resolve(CAPTURED.get(), 12);

        assertThat(frames).as(frames.toString()).isNotEmpty();
        assertThat(frames.get(0).function()).as(frames.toString()).isEqualTo("forkpty");
        assertThat(frames.get(0).file()).startsWith("libc.so");
        assertThat(frames.get(0).toString()).matches("forkpty\\+0x[0-9a-f]+ \\(libc\\.so\\.6\\)");
        // forkpty's caller is JNA's dispatch, through a register: not verifiable, so the list ends.
        assertThat(frames).as(frames.toString()).hasSize(1);
    }

    @Test
    void aForkFromJavaThroughJnaHasNoNativeCallerBeforeTheJvm() throws Exception {
        int pid = ForkedChildren.forkExiting(0);
        ForkedChildren.reap(pid, 10_000);

        assertThat(CAPTURED.get()).as("fork's frame found on the stack").isNotNull();
        assertThat(NativeFrameResolver.resolve(CAPTURED.get(), 12))
                .as("the frames above fork are JNA's and the JVM's: the Java stack tells those")
                .isEmpty();
    }
}
