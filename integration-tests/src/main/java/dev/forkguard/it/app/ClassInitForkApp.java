package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.concurrent.CountDownLatch;

/**
 * Forks while thread "initialiser" is inside the static initialiser of {@link SlowInit}: in the child
 * that class stays half-initialised for ever, and its first use there would wait for ever.
 */
public final class ClassInitForkApp {

    static final CountDownLatch INITIALISING = new CountDownLatch(1);
    static final CountDownLatch MAY_FINISH = new CountDownLatch(1);

    private ClassInitForkApp() {}

    /** Its initialiser runs until the fork is done. */
    static final class SlowInit {
        static final String VALUE;

        static {
            INITIALISING.countDown();
            try {
                MAY_FINISH.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            VALUE = "initialised";
        }

        private SlowInit() {}
    }

    public static void main(String[] args) throws Exception {
        Libc.bind();
        Thread initialiser = new Thread(() -> System.out.println("app: SlowInit " + SlowInit.VALUE), "initialiser");
        initialiser.start();
        INITIALISING.await();
        int child = Libc.fork();
        if (child == 0) {
            Libc._exit(0);
        }
        ChildWaits.awaitOrKill(child, 5000);
        MAY_FINISH.countDown();
        initialiser.join();
    }
}
