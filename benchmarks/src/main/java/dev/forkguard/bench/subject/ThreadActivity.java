package dev.forkguard.bench.subject;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Whether any other thread of this process is running, from the state field of /proc/self/task/N/stat. */
final class ThreadActivity {

    private ThreadActivity() {
    }

    /**
     * Waits until no thread but {@code selfTid} is running or runnable ('R') in two readings 5 ms
     * apart; false when that did not happen within {@code boundMillis}.
     */
    static boolean awaitQuiet(int selfTid, long boundMillis) throws InterruptedException {
        long deadline = System.nanoTime() + boundMillis * 1_000_000L;
        int quietReadings = 0;
        while (System.nanoTime() < deadline) {
            quietReadings = anyOtherRunning(selfTid) ? 0 : quietReadings + 1;
            if (quietReadings == 2) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private static boolean anyOtherRunning(int selfTid) {
        String[] tasks = new File("/proc/self/task").list();
        if (tasks == null) {
            return false;
        }
        String self = Integer.toString(selfTid);
        for (String tid : tasks) {
            if (tid.equals(self)) {
                continue;
            }
            try {
                String stat = new String(Files.readAllBytes(Paths.get("/proc/self/task", tid, "stat")),
                        StandardCharsets.US_ASCII);
                int close = stat.lastIndexOf(')');
                if (close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'R') {
                    return true;
                }
            } catch (IOException e) {
                // The thread ended between the listing and the read.
            }
        }
        return false;
    }
}
