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

    private final ReportPipeline pipeline;
    private final LogReporter logReporter;

    ShutdownFlush(ReportPipeline pipeline, LogReporter logReporter) {
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
            pipeline.flush();
            logReporter.flushSuppressed();
        } catch (Throwable t) {
            // The JVM is exiting; nothing useful can be done with a failure here.
        }
    }
}
