package dev.forkguard.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The C handlers, built by this module's Maven build, registered in the test JVM for real. Their Java
 * handlers only count; they stay registered for the rest of the test JVM.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AtforkLibraryTest {

    private static final AtomicInteger PREPARES = new AtomicInteger();
    private static final AtomicInteger PARENTS = new AtomicInteger();
    /** Allocated in the parent: the child below must allocate nothing. */
    private static final int[] CHILD_WAIT = new int[1];

    static final class CountingPrepare implements AtforkCallback {
        @Override
        public void invoke() {
            PREPARES.incrementAndGet();
        }
    }

    static final class CountingParent implements AtforkCallback {
        @Override
        public void invoke() {
            PARENTS.incrementAndGet();
        }
    }

    @BeforeAll
    static void register() throws Exception {
        String resource = AtforkLibrary.resourceName();
        assertThat(resource).as("this module builds the library for this platform").isNotNull();
        URL url = AtforkLibraryTest.class.getClassLoader().getResource(resource);
        assertThat(url).as(resource + " on the class path").isNotNull();
        Path file = Paths.get(url.toURI());
        Libc.bind();
        AtforkLibrary.bind(file);
        assertThat(AtforkLibrary.register(Libc.getpid(), new CountingPrepare(), new CountingParent()))
                .isIn("__register_atfork", "pthread_atfork");
    }

    @Test
    void aForkOfTheJvmCallsTheJavaHandlersOnce() throws InterruptedException {
        int prepares = PREPARES.get();
        int parents = PARENTS.get();
        long javaForks = AtforkLibrary.javaForks();

        int status = ForkedChildren.reap(ForkedChildren.forkExiting(3), 10_000);

        assertThat(Libc.exitCode(status)).isEqualTo(3);
        assertThat(PREPARES.get()).isEqualTo(prepares + 1);
        assertThat(PARENTS.get()).isEqualTo(parents + 1);
        assertThat(AtforkLibrary.javaForks()).isEqualTo(javaForks + 1);
    }

    @Test
    void aForkInsideAJdkLaunchStaysOutOfJava() throws InterruptedException {
        int prepares = PREPARES.get();
        int parents = PARENTS.get();
        long skipped = AtforkLibrary.launchesSkipped();

        AtforkLibrary.launchEntered();
        AtforkLibrary.launchEntered();
        int status;
        try {
            assertThat(AtforkLibrary.launchDepth()).isEqualTo(2);
            status = ForkedChildren.reap(ForkedChildren.forkExiting(4), 10_000);
        } finally {
            AtforkLibrary.launchLeft();
            AtforkLibrary.launchLeft();
        }

        assertThat(Libc.exitCode(status)).isEqualTo(4);
        assertThat(PREPARES.get()).isEqualTo(prepares);
        assertThat(PARENTS.get()).isEqualTo(parents);
        assertThat(AtforkLibrary.launchesSkipped()).isEqualTo(skipped + 1);
        assertThat(AtforkLibrary.launchDepth()).isZero();
        AtforkLibrary.launchLeft();
        assertThat(AtforkLibrary.launchDepth()).as("never below zero").isZero();
    }

    @Test
    void theLaunchDepthBelongsToTheThread() throws InterruptedException {
        int prepares = PREPARES.get();
        AtforkLibrary.launchEntered();
        try {
            AtomicInteger childPid = new AtomicInteger();
            Thread other = new Thread(new Runnable() {
                @Override
                public void run() {
                    childPid.set(ForkedChildren.forkExiting(0));
                }
            }, "not-launching");
            other.start();
            other.join(10_000);
            ForkedChildren.reap(childPid.get(), 10_000);
        } finally {
            AtforkLibrary.launchLeft();
        }
        assertThat(PREPARES.get()).isEqualTo(prepares + 1);
    }

    @Test
    void aChildThatForksAgainRunsNoJavaHandler() throws InterruptedException {
        int prepares = PREPARES.get();
        int parents = PARENTS.get();
        int pid = Libc.fork();
        if (pid == 0) {
            // The child: fork a grandchild, reap it, and say through the exit code whether the C
            // handlers called Java (bound natives and int arithmetic only).
            long before = AtforkLibrary.javaForks();
            int grandchild = Libc.fork();
            if (grandchild == 0) {
                Libc._exit(7);
            }
            int reaped = Libc.waitpid(grandchild, CHILD_WAIT, 0);
            int code = reaped != grandchild ? 10 : (CHILD_WAIT[0] >> 8) & 0xff;
            Libc._exit(AtforkLibrary.javaForks() != before ? 11 : code);
        }
        int status = ForkedChildren.reap(pid, 20_000);

        assertThat(Libc.exited(status)).isTrue();
        assertThat(Libc.exitCode(status)).as("the grandchild's own code, no Java handler in the child")
                .isEqualTo(7);
        assertThat(PREPARES.get()).isEqualTo(prepares + 1);
        assertThat(PARENTS.get()).isEqualTo(parents + 1);
    }
}
