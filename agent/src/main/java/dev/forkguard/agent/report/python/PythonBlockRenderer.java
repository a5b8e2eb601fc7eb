package dev.forkguard.agent.report.python;

import dev.forkguard.agent.report.python.PythonHost.PythonFrame;
import dev.forkguard.agent.report.python.PythonHost.PythonThread;
import java.util.List;

/**
 * The Python part of the text report, in Python's own terms: tracebacks as Python prints them
 * ({@code File "...", line N, in f}, newest last).
 */
public final class PythonBlockRenderer {

    /** Frames shown per vanishing Python thread (the newest); the forking traceback is shown whole. */
    private static final int THREAD_FRAMES_SHOWN = 12;

    private PythonBlockRenderer() {}

    /** True when the report carries the Python code that forked. */
    public static boolean hasForkingCode(PythonHost p) {
        return p != null && p.forkingThread() != null && !p.forkingThread().stack().isEmpty();
    }

    /** The Python code that forked, after the forking thread's Java lines. */
    public static void forkingCode(StringBuilder b, PythonHost p) {
        if (p == null || p.forkingThread() == null) {
            return;
        }
        PythonThread t = p.forkingThread();
        b.append("Python code that forked (thread ").append(threadLabel(t)).append(", most recent call last):\n");
        frames(b, t.stack(), Integer.MAX_VALUE);
    }

    /** The Python threads that will not exist in the child, each with its stack. */
    public static void vanishingThreads(StringBuilder b, PythonHost p) {
        if (p == null) {
            return;
        }
        b.append("Python threads that will not exist in the child (").append(describe(p)).append("):");
        if (p.vanishingThreads().isEmpty()) {
            b.append(" none\n");
            return;
        }
        b.append('\n');
        for (PythonThread t : p.vanishingThreads()) {
            b.append("  ").append(threadLabel(t)).append(" (most recent call last):\n");
            frames(b, t.stack(), THREAD_FRAMES_SHOWN);
        }
    }

    /** "CPython 3.11.2; forked by multiprocessing, start method fork". */
    static String describe(PythonHost p) {
        StringBuilder d = new StringBuilder();
        d.append(p.implementation() == null ? "Python" : p.implementation());
        if (p.version() != null) {
            d.append(' ').append(p.version());
        }
        if (p.forkedBy() != null) {
            d.append("; forked by ").append(p.forkedBy());
        }
        if (p.startMethod() != null) {
            d.append(", multiprocessing start method ").append(p.startMethod());
        }
        return d.toString();
    }

    private static String threadLabel(PythonThread t) {
        return '"' + t.name() + '"' + (t.daemon() ? " daemon" : "")
                + (t.nativeId() == null ? "" : ", native id " + t.nativeId());
    }

    private static void frames(StringBuilder b, List<PythonFrame> stack, int shown) {
        int from = Math.max(0, stack.size() - shown);
        if (from > 0) {
            b.append("    ... ").append(from).append(" earlier frames\n");
        }
        for (int i = from; i < stack.size(); i++) {
            PythonFrame f = stack.get(i);
            b.append("    File \"").append(f.file()).append("\", line ").append(f.line()).append(", in ")
                    .append(f.function()).append('\n');
            if (f.code() != null && !f.code().isEmpty()) {
                b.append("      ").append(f.code()).append('\n');
            }
        }
    }
}
