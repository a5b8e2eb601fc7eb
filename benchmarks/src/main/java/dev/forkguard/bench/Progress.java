package dev.forkguard.bench;

/** One line per finished measurement on standard error, so a long run shows where it is. */
final class Progress {

    private static final long START = System.nanoTime();

    private Progress() {
    }

    static void say(String format, Object... args) {
        System.err.printf("[%5.0f s] %s%n", (System.nanoTime() - START) / 1e9, String.format(format, args));
    }
}
