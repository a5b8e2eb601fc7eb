package dev.forkguard.agent.report.python;

import java.util.List;

/**
 * A fork seen from Python: what forkguard's Python package handed over just before the fork (the
 * code that forked, every other Python thread with its stack), as the JSON report carries it
 * ({@code python} in docs/REPORT.md).
 *
 * @param version Python's version ({@code platform.python_version()})
 * @param implementation {@code CPython}, {@code PyPy}...
 * @param startMethod the multiprocessing start method of this fork: {@code fork} when multiprocessing
 *     forked, else the configured default when one was set; null when not known
 * @param forkedBy {@code multiprocessing} when the fork came from multiprocessing's fork start
 *     method, else {@code os.fork}
 * @param collectMicros what gathering this context cost the forking thread, in Python, before the fork
 * @param forkingThread the Python thread that forked, with the code that forked (newest frame last)
 * @param vanishingThreads every other Python thread: none of them exists in the child
 */
public record PythonHost(
        String version,
        String implementation,
        String startMethod,
        String forkedBy,
        long collectMicros,
        PythonThread forkingThread,
        List<PythonThread> vanishingThreads) {

    /** A Python thread: its {@code threading} name, daemon flag, OS thread id and stack (newest last). */
    public record PythonThread(String name, Integer nativeId, boolean daemon, List<PythonFrame> stack) {}

    /** One frame as Python's traceback prints it; {@code code} is the source line, when it was read. */
    public record PythonFrame(String file, int line, String function, String code) {}

    /** True when {@code tid} is one of the vanishing Python threads. */
    public boolean isVanishingPythonThread(int tid) {
        for (PythonThread t : vanishingThreads) {
            if (t.nativeId() != null && t.nativeId() == tid) {
                return true;
            }
        }
        return false;
    }
}
