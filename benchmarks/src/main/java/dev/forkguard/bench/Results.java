package dev.forkguard.bench;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run measured; saved beside the document so it can be rendered again without re-measuring. */
final class Results implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One JMH case, without and with the agent: scores and their 99.9% errors, in {@code unit}. */
    record JmhRow(String label, String unit, double none, double noneError, double agent, double agentError)
            implements Serializable {
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

    /** JVM start-up to main (ms) and RSS at main (bytes), one JDK. */
    record StartupRow(int jdk, Stats noneMs, Stats agentMs, Stats noneRss, Stats agentRss) implements Serializable {
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

    /** One memory scenario, without and with the agent (and agent options used). */
    record MemoryRow(String scenario, String agentOptions, long count, long noneHeapBefore, long noneHeapAfter,
            long agentHeapBefore, long agentHeapAfter, long noneRssDelta, long agentRssDelta, double noneSeconds,
            double agentSeconds, long noneCreated, long agentCreated) implements Serializable {
        long noneDelta() {
            return noneHeapAfter - noneHeapBefore;
        }

        long agentDelta() {
            return agentHeapAfter - agentHeapBefore;
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
