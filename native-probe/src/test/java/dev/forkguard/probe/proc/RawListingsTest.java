package dev.forkguard.probe.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.probe.Libc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RawListingsTest {

    @BeforeAll
    static void bind() throws Exception {
        Libc.bind();
    }

    @Test
    void rawTaskListingHoldsTheSameThreadsAsTheJavaListing() {
        assertThat(RawProcNatives.BOUND).as("glibc 2.30+ exports getdents64").isTrue();
        TaskListing listing = TaskListing.now();
        int[] java = ProcTasks.tids();
        assertThat(listing.tids()).contains(Libc.gettid(), Libc.getpid()).containsExactlyInAnyOrder(java);
    }

    @Test
    void manyThreadsNeedSeveralDirectoryReadsAndNoneIsLost() throws Exception {
        // 300 threads take about 7 KB of directory entries: more than one 4 KB getdents64 call.
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Thread t = new Thread(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            int[] raw = TaskListing.now().tids();
            assertThat(raw.length).isGreaterThan(300);
            assertThat(raw).doesNotHaveDuplicates().containsExactlyInAnyOrder(ProcTasks.tids());
        } finally {
            release.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    @Test
    void parseSkipsDotEntriesAndStopsAtATruncatedRecord() {
        byte[] dirents = new byte[24 * 3 + 5];
        record(dirents, 0, ".");
        record(dirents, 24, "..");
        record(dirents, 48, "4242");
        assertThat(TaskListing.parse(dirents)).containsExactly(4242);
    }

    private static void record(byte[] buf, int at, String name) {
        buf[at + 16] = 24; // d_reclen, little-endian
        byte[] n = name.getBytes();
        System.arraycopy(n, 0, buf, at + 19, n.length);
    }

    @Test
    void rawChildrenListingFindsAChildOfTheCallingThread() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(ChildrenListing.ofCallingThread(Libc.getpid(), Libc.gettid()).pids())
                    .contains((int) sleeper.pid());
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
