package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;

/**
 * Forks, and the child allocates until the heap needs a collection: without the VM Thread no
 * safepoint completes, so the child hangs at its first GC. Arg: how long the parent waits (ms).
 * Run it with a small heap (-Xmx64m).
 */
public final class GcHangChildApp {

    static volatile Object sink;

    private GcHangChildApp() {}

    public static void main(String[] args) throws Exception {
        long waitMillis = Long.parseLong(args[0]);
        Libc.bind();
        int child = Libc.fork();
        if (child == 0) {
            // No string concatenation, lambda or new class here: only plain allocation.
            for (int i = 0; i < 10_000_000; i++) {
                sink = new byte[4096];
            }
            Libc._exit(0);
        }
        System.out.println("app: forked child " + child);
        ChildWaits.awaitOrKill(child, waitMillis);
    }
}
