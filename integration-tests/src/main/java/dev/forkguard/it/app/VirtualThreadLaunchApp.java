package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JDK 21+: virtual threads launch a program with ProcessBuilder (run with
 * -Djdk.lang.Process.launchMechanism=FORK), several at once so they park inside the launch and move
 * between carriers; then the main thread forks once without exec, which must be reported. Args:
 * virtual threads, launches each, program. Built for JDK 17: virtual threads through reflection.
 */
public final class VirtualThreadLaunchApp {

    private VirtualThreadLaunchApp() {}

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int launches = Integer.parseInt(args[1]);
        String program = args[2];
        Libc.bind();
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add((Thread) start.invoke(builder, (Runnable) () -> {
                for (int i = 0; i < launches; i++) {
                    try {
                        Process p = new ProcessBuilder(program).start();
                        failures.addAndGet(p.waitFor() == 0 ? 0 : 1);
                        done.incrementAndGet();
                        Thread.sleep(1); // unmounts: the next launch may run on another carrier
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : started) {
            t.join(120_000);
        }
        System.out.println("app: " + done.get() + " launches of " + program + " from " + threads
                + " virtual threads, " + failures.get() + " failed");

        int child = Libc.fork();
        if (child == 0) {
            Libc._exit(0);
        }
        ChildWaits.awaitOrKill(child, 2000);
        Thread.sleep(300); // lets the agent's reporter finish before the JVM exits
    }
}
