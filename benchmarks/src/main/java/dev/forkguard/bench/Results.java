package dev.forkguard.bench;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run measured; saved beside the document so it can be rendered again without re-measuring. */
final class Results implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * One JMH case, without and with the agent (with {@code agentOptions}): scores and their 99.9%
     * errors, in {@code unit}; the baseline agent's too, NaN when not measured.
     */
    record JmhRow(String label, String agentOptions, String unit, double none, double noneError, double agent,
            double agentError, double baseline, double baselineError) implements Serializable {
        double ratio() {
            return agent / none;
        }

        /** Relative errors combined in quadrature; NaN errors (a single iteration) count as zero. */
        double ratioError() {
            double a = Double.isNaN(agentError) ? 0 : agentError / agent;
            double n = Double.isNaN(noneError) ? 0 : noneError / none;
            return ratio() * Math.sqrt(a * a + n * n);
        }
    }

    /** Fork pauses (ms) of one configuration, without and with the agent. */
    record ForkRow(int jdk, String javaVersion, int threads, int locks, int osThreadsNone, int osThreadsAgent,
            Stats none, Stats agent, double firstNoneMs, double firstAgentMs, int unquietNone, int unquietAgent,
            Stats snapshotMs, Stats noneCpu, Stats agentCpu) implements Serializable {
        /** Added pause over the bare fork, medians. */
        double addedRatio() {
            return (agent.median() - none.median()) / none.median();
        }

        /** Most pessimistic and optimistic added ratio within the medians' 95% intervals. */
        double addedRatioLow() {
            return (agent.medianLow() - none.medianHigh()) / none.medianHigh();
        }

        double addedRatioHigh() {
            return (agent.medianHigh() - none.medianLow()) / none.medianLow();
        }
    }

    /**
     * At 0 locks: without the agent, fork pauses (ms) with two empty fork handlers registered through
     * JNA, as the agent registers its own (the floor of any handler written in Java); and with the
     * agent and {@code stacks=after}, its pauses and how late its stacks were taken.
     */
    record FloorRow(int jdk, int threads, Stats emptyHandlers, Stats stacksAfter, Stats stacksAfterLateMs)
            implements Serializable {
    }

    /** JVM start-up to main (ms) and RSS at main (bytes), one JDK; the baseline agent's null when not measured. */
    record StartupRow(int jdk, Stats noneMs, Stats agentMs, Stats noneRss, Stats agentRss, Stats baselineMs,
            Stats baselineRss) implements Serializable {
    }

    /**
     * N JDK launches in FORK mode per JVM, total ms of each round's JVM: without the agent, with it (C fork
     * handlers), with {@code forkHandlers=java}, and without it but with a pre-touched heap of
     * {@code controlHeapMib} (as much more anonymous memory as the agent adds); anonymous RSS (bytes / 1e6,
     * as {@link StartupRow}'s) at the end of the runs without agent, with it, and of the control.
     */
    record LaunchRow(int jdk, String javaVersion, int launches, Stats noneMs, Stats agentMs, Stats javaHandlersMs,
            Stats controlMs, int controlHeapMib, Stats noneRssAnon, Stats agentRssAnon, Stats controlRssAnon)
            implements Serializable {
        double ratio() {
            return agentMs.median() / noneMs.median();
        }

        double javaHandlersRatio() {
            return javaHandlersMs.median() / noneMs.median();
        }

        double controlRatio() {
            return controlMs.median() / noneMs.median();
        }
    }


    /** One JVM's run of a memory scenario: heap after full GCs before and after, RSS growth, time, objects made. */
    record MemorySide(long heapBefore, long heapAfter, long rssDelta, double seconds, long created)
            implements Serializable {
        long heapDelta() {
            return heapAfter - heapBefore;
        }
    }

    /**
     * One memory scenario (locks made at {@code depth} frames, {@code settleMillis} waited before the
     * last GCs), without the agent, with it (and the agent options used), and with the baseline agent
     * (null when not measured).
     */
    record MemoryRow(String scenario, String agentOptions, long count, int depth, long settleMillis, MemorySide none,
            MemorySide agent, MemorySide baseline) implements Serializable {
        /** Heap the agent keeps: its growth over the same scenario without it. */
        long agentShare() {
            return agent.heapDelta() - none.heapDelta();
        }

        long baselineShare() {
            return baseline.heapDelta() - none.heapDelta();
        }
    }

    final Map<String, String> machine = new LinkedHashMap<>();
    final Map<String, String> settings = new LinkedHashMap<>();
    final List<JmhRow> jmh = new ArrayList<>();
    final List<ForkRow> forkPause = new ArrayList<>();
    final List<FloorRow> floor = new ArrayList<>();
    final List<StartupRow> startup = new ArrayList<>();
    final List<LaunchRow> launches = new ArrayList<>();
    Stats hangMs;
    final List<MemoryRow> memory = new ArrayList<>();
    double runMinutes;
}
