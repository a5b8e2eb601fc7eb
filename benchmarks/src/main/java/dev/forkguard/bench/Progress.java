package dev.forkguard.bench;

/** One line per finished measurement on standard error, so a long run shows where it is. */
final class Progress {

    private static long start = System.nanoTime();

    private Progress() {
    }

    /** Times later lines from now. */
    static void start() {
        start = System.nanoTime();
    }

    static void say(String format, Object... args) {
        System.err.printf("[%5.0f s] %s%n", (System.nanoTime() - start) / 1e9, String.format(format, args));
    }
}
