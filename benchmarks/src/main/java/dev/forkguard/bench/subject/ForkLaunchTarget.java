package dev.forkguard.bench.subject;

/**
 * Launches a program again and again with {@code ProcessBuilder} (the harness runs this JVM with
 * {@code -Djdk.lang.Process.launchMechanism=FORK}: fork, then exec) and prints each launch's time,
 * start to exit, after some unmeasured warm-up launches, and its anonymous resident memory after them. Args: warm-ups, measured launches, program.
 */
public final class ForkLaunchTarget {

    private ForkLaunchTarget() {
    }

    public static void main(String[] args) throws Exception {
        int warmUps = Integer.parseInt(args[0]);
        int launches = Integer.parseInt(args[1]);
        String program = args[2];
        for (int i = 0; i < warmUps; i++) {
            launch(program);
        }
        long[] nanos = new long[launches];
        for (int i = 0; i < launches; i++) {
            nanos[i] = launch(program);
        }
        TargetSupport.result("launchNanos", nanos);
        TargetSupport.result("rssAnonBytes", rssAnonBytes());
        TargetSupport.result("mechanism", System.getProperty("jdk.lang.Process.launchMechanism"));
        TargetSupport.result("javaVersion", System.getProperty("java.runtime.version"));
    }

    /**
     * Anonymous resident memory (heap, metaspace, code, malloc, stacks) from /proc/self/status: what a
     * fork must copy the page tables of, and what the exec'ing child must tear down.
     */
    private static long rssAnonBytes() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/self/status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static long launch(String program) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(program).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(program + " exited with " + p.exitValue());
        }
        return System.nanoTime() - start;
    }
}
