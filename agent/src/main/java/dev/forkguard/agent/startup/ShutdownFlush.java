package dev.forkguard.agent.startup;

import dev.forkguard.agent.child.ForkState;
import dev.forkguard.agent.report.LogReporter;
import dev.forkguard.agent.publish.ReportPipeline;

/**
 * At JVM exit, reports the forks still in the pipeline or under watch, so that an application
 * that forks and exits at once still gets its report. In a forked child it does nothing: the
 * reporter and watchdog threads do not exist there, and their locks may be held.
 */
final class ShutdownFlush implements Runnable {

    /** Bounds the wait for the start finished after premain: an exit must never hang on the agent. */
    private static final long START_WAIT_MILLIS = 2_000;

    private final Thread deferredStart;
    private final ReportPipeline pipeline;
    private final LogReporter logReporter;

    ShutdownFlush(Thread deferredStart, ReportPipeline pipeline, LogReporter logReporter) {
        this.deferredStart = deferredStart;
        this.pipeline = pipeline;
        this.logReporter = logReporter;
    }

    @Override
    public void run() {
        if (ForkState.inChild()) {
            return;
        }
        Thread.interrupted(); // an interrupt meant for the application must not fail the last reports' files
        try {
            // An application that exits at once still gets the start line, and its forks their reports.
            deferredStart.join(START_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.interrupted(); // interrupted again: flush what there is all the same
        }
        try {
            pipeline.flush();
            logReporter.flushSuppressed();
        } catch (Throwable t) {
            // The JVM is exiting; nothing useful can be done with a failure here.
        }
    }
}
