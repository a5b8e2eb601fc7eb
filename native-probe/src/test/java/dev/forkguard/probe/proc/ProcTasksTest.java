package dev.forkguard.probe.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.probe.Libc;
import dev.forkguard.probe.ProbeUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcTasksTest {

    @BeforeAll
    static void bind() throws ProbeUnavailableException {
        Libc.bind();
    }

    @Test
    void callingThreadIsListedAsRunning() {
        ProcTask me = find(ProcTasks.list(), Libc.gettid());
        assertThat(me).isNotNull();
        // It is reading its own stat, so it is on a CPU.
        assertThat(me.state()).isEqualTo('R');
    }

    @Test
    void startedJavaThreadIsListedUnderItsName() throws InterruptedException {
        assertNamedThreadListed("probe-worker-1", "probe-worker-1");
    }

    @Test
    void longThreadNamesAreTruncatedTo15Bytes() throws InterruptedException {
        assertNamedThreadListed("probe-worker-with-a-long-name", "probe-worker-wi");
    }

    @Test
    void jvmInternalThreadsAreListedToo() {
        boolean sawVmThread = false;
        for (ProcTask task : ProcTasks.list()) {
            if (task.name().equals("VM Thread")) {
                sawVmThread = true;
            }
        }
        assertThat(sawVmThread).isTrue();
    }

    @Test
    void anInterruptedThreadStillReadsEveryNameAndKeepsItsInterrupt() {
        int[] tids = ProcTasks.tids();
        Thread.currentThread().interrupt();
        List<ProcTask> read;
        boolean stillInterrupted;
        try {
            read = ProcTasks.read(tids);
        } finally {
            stillInterrupted = Thread.interrupted();
        }
        assertThat(stillInterrupted).isTrue();
        assertThat(find(read, Libc.gettid())).isNotNull();
        assertThat(read).extracting(ProcTask::name).contains("VM Thread");
    }

    @Test
    void listingByPidSeesTheSameProcess() {
        assertThat(find(ProcTasks.list(Libc.getpid()), Libc.gettid())).isNotNull();
    }

    @Test
    void listingAMissingProcessIsEmpty() {
        assertThat(ProcTasks.list(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void namesReadFromStatMatchTheCommFiles() throws IOException {
        int compared = 0;
        for (ProcTask task : ProcTasks.list()) {
            String comm;
            try {
                comm = new String(Files.readAllBytes(Paths.get("/proc/self/task/" + task.tid() + "/comm")),
                        StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                continue;
            }
            assertThat(task.name()).isEqualTo(comm.substring(0, comm.length() - 1));
            compared++;
        }
        assertThat(compared).isGreaterThan(5);
    }

    @Test
    void onlyPlainNumbersAreTaskIds() {
        assertThat(ProcTasks.parseTid("1234")).isEqualTo(1234);
        assertThat(ProcTasks.parseTid("")).isEqualTo(-1);
        assertThat(ProcTasks.parseTid("12a")).isEqualTo(-1);
        assertThat(ProcTasks.parseTid("99999999999")).isEqualTo(-1);
    }

    private static void assertNamedThreadListed(String javaName, String comm) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger tid = new AtomicInteger();
        Thread worker = new Thread(() -> {
            tid.set(Libc.gettid());
            started.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, javaName);
        worker.start();
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            ProcTask task = find(ProcTasks.list(), tid.get());
            assertThat(task).isNotNull();
            assertThat(task.name()).isEqualTo(comm);
            assertThat(javaName).startsWith(task.name());
        } finally {
            release.countDown();
            worker.join(10_000);
        }
        assertThat(worker.isAlive()).isFalse();
        // join() returns once the JVM has finished with the thread; the kernel thread lingers a
        // little longer (measured: still listed, state R, right after join), so wait for it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (find(ProcTasks.list(), tid.get()) != null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(find(ProcTasks.list(), tid.get())).as("exited thread").isNull();
    }

    private static ProcTask find(List<ProcTask> tasks, int tid) {
        for (ProcTask task : tasks) {
            if (task.tid() == tid) {
                return task;
            }
        }
        return null;
    }

    @Test
    void readNamesTheGivenThreadsAndLeavesOutThoseThatAreGone() throws Exception {
        Libc.bind();
        int me = Libc.gettid();
        java.util.List<ProcTask> named = ProcTasks.read(new int[] {me, Integer.MAX_VALUE});
        assertThat(named).hasSize(1);
        assertThat(named.get(0).tid()).isEqualTo(me);
        assertThat(ProcTasks.tids()).contains(me);
    }
}
