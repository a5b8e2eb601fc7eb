package dev.forkguard.bench;

import java.util.Locale;

/**
 * Why a target is missed, and what would fix it: the text the document prints under a missed
 * target. Kept beside the generator so that a re-run keeps it, and printed only when that run misses
 * the target. Figures of the run are filled in from its results; the diagnoses name the experiment
 * (and the command) that found each cause, which were run on this machine while writing the harness.
 */
final class MissedTargets {

    private MissedTargets() {
    }

    static String explanation(String key, Results r) {
        return switch (key) {
            case "lock" -> lock(r);
            case "thread" -> thread(r);
            case "startup" -> STARTUP;
            case "fork100" -> forkPause(r, 100);
            case "fork1000" -> forkPause(r, 1000);
            case "heap" -> HEAP;
            default -> "No diagnosis is recorded for this target (`" + key + "`).";
        };
    }

    private static String lock(Results r) {
        Results.JmhRow row = row(r, "ReentrantLock lock/unlock, uncontended");
        String significance = row == null ? "" : String.format(Locale.ROOT,
                " In this run the ratio is %.3f ± %.3f, so the interval %s 1.02.", row.ratio(), row.ratioError(),
                row.ratio() - row.ratioError() <= 1.02 ? "still includes" : "lies wholly above");
        return "The only code the agent adds to `ReentrantLock.lock()` is `LockAcquireAdvice`, inlined at its start:"
                + " one read of the volatile `ForkguardBridge.forkInFlight` and one read of the lock's `sync` field"
                + " (`@Advice.FieldValue`), then a branch never taken outside a fork. On x86 a volatile read is a plain"
                + " load, so the expected cost is well under a nanosecond on a ~20 ns operation, and anything beyond"
                + " that within the error bar is run-to-run noise (forks minutes apart on a shared 2-core machine)."
                + significance + " If a quiet run confirms a real excess, the fix is an empty fast path: a"
                + " `static final` switch C2 constant-folds, flipped through a `MutableCallSite` (or by retransforming"
                + " the advice in) only when a fork starts.";
    }

    private static String thread(Results r) {
        Results.JmhRow row = row(r, "new Thread().start() + join");
        String extra = row == null ? "" : String.format(Locale.ROOT,
                " In this run the agent adds %.1f µs to each start + join (%.3fx).", (row.agent() - row.none()) / 1000,
                row.ratio());
        return "`ThreadStartAdvice` runs in every `Thread.start()` and records who started the thread and from where:"
                + " `ThreadRegistry` captures a creation trace (`LazySite$CreationTrace`, a `Throwable` whose native"
                + " backtrace the JVM fills by walking the whole calling stack, although at most 8 frames are kept) and"
                + " puts an entry in its `IdentityWeakTable`, under a stripe lock." + extra + " Starting and joining a"
                + " thread that does nothing is itself only tens of µs (the OS thread's creation, two hand-offs), so"
                + " this fixed cost is a visible share of it; a thread doing real work dwarfs it. Fix: take the capture"
                + " off `start()` for threads started again and again from one place (a per-call-site cache keyed by"
                + " the caller's frame, which one `StackWalker` frame identifies), keeping the full trace only for the"
                + " first thread of each site.";
    }

    private static final String STARTUP = "The agent's `premain` runs in the main thread before `main`, and everything"
            + " it loads is outside the JVM's CDS archive. Diagnosed with `java -Xlog:class+load=info` on a trivial"
            + " main class before the start-up work: 406 classes loaded before `main` without the agent, 2,808 with it"
            + " (about 1,000 defined from the agent jar by `IsolatedClassLoader`, 378 more JDK classes from the module"
            + " image instead of the archive, 73 of JNA's), plus `/sbin/ldconfig -p` from JNA and Byte Buddy"
            + " retransforming a dozen JDK classes. Done since (docs/DESIGN.md, Start-up): a per-user cache (0700,"
            + " owner-checked, checksummed) holds JNA's jar and native library and the JDK classes with the advice"
            + " woven in, so a warm start runs no Byte Buddy (about 780 classes and 480 ms); `ldconfig -p` is skipped;"
            + " JNA's set-up runs on a helper thread beside options and logging; a small log layout replaces"
            + " Logback's `PatternLayout` (about 150 classes). That halved the added CPU (about 1.8 s to 0.8 s on"
            + " JDK 17 under load) but not to +150 ms. What remains, measured by the same class-load log: JNA's module"
            + " layer (the module resolver spins about 40 lambdas) with `Native`'s initialisation and `Native.register`,"
            + " Logback's core, the agent's own ~200 classes (verified at definition, as any non-JDK class), the"
            + " time-zone database for log timestamps, and the reporter's warm-up competing for the second core."
            + " A start in the background (premain returning at once) was rejected: programs that fork within"
            + " moments of `main` would go unseen. What would fix it: define the agent's classes from a CDS archive"
            + " of its own (JDK 19+ `-XX:+AutoCreateSharedArchive` is the application's choice, not the agent's), or"
            + " shrink what must precede `main` to the advice and the fork handlers, with JNA bound directly"
            + " (no module layer) on JDK < 22, where native access needs no grant.";

    private static String forkPause(Results r, int threads) {
        StringBuilder b = new StringBuilder();
        for (Results.ForkRow f : r.forkPause) {
            if (f.threads() != threads || f.addedRatio() <= (threads == 100 ? 0.5 : 1.0)) {
                continue;
            }
            double added = f.agent().median() - f.none().median();
            b.append(String.format(Locale.ROOT, "JDK %d, %,d locks: +%.2f ms over a %.2f ms bare fork", f.jdk(), f.locks(),
                    added, f.none().median()));
            if (f.snapshotMs() != null) {
                b.append(String.format(Locale.ROOT, "; the agent's snapshot took %.2f ms of it (%.0f%%)",
                        f.snapshotMs().median(), 100 * f.snapshotMs().median() / added));
            }
            if (f.agentCpu() != null) {
                double cpu = f.agentCpu().median() - f.noneCpu().median();
                b.append(String.format(Locale.ROOT, "; the forking thread used %.2f ms more CPU than without the agent,"
                        + " so about %.2f ms of the added pause it was off-CPU", cpu, Math.max(0, added - cpu)));
            }
            b.append(". ");
        }
        return b + "What is measured: the added pause is far larger than the thread dump and `/proc/self/task`"
                + " listing the snapshot is built on (timed alone in the table above), and the forking thread's own"
                + " CPU time grows much less than the pause, so most of the added time the forking thread is off-CPU,"
                + " waiting. Where the time goes: (1) the agent's snapshot in the prepare handler (its own"
                + " `snapshotMicros`, column \"of which snapshot\"): a thread dump at a safepoint, run by the VM Thread"
                + " while the forking thread waits, plus agent code run once per fork over every thread (origins) and"
                + " every tracked lock (owner reads: compare 0 and 100,000 locks); (2) outside the snapshot, more"
                + " kernel work in the forking thread: `clone()` copies the page tables of a larger process (see RSS in"
                + " Start-up), and the parent handler runs Java code (allocation, the `/proc` read of the new child)"
                + " while the child still shares every page, so its first writes take copy-on-write faults; `perf"
                + " record` of an agent run shows them as `do_wp_page` -> `flush_tlb_mm_range` ->"
                + " `smp_call_function_many_cond`, each fault also interrupting the other core in this virtual"
                + " machine; (3) every hand-off in the window (to the VM Thread, back) waits for a core, which a busy"
                + " machine (see the load average) stretches most. What the snapshot waits for at 1,000 threads is the"
                + " thread dump's safepoint, and it is the JVM's, not the agent's: `-Xlog:safepoint` on an agent run"
                + " shows the `ThreadDump` operation at 134-202 ms \"at safepoint\" plus 20-27 ms to reach it; and a"
                + " bare `dumpAllThreads` in an empty fork handler, without forkguard (1,000 parked threads, JDK 17),"
                + " takes 207 ms against 14 ms with no fork before it, 40 ms on JDK 25, and with `lockedMonitors` true"
                + " or false alike. The first safepoint after any fork pays it, even after the child has exited (a"
                + " dump between forks took 243 ms, and the next one in the handler 28 ms): the bare fork leaves that"
                + " cost to the application's next safepoint, the agent takes it inside the fork. Fix: no safepoint in"
                + " the fork window: keep, outside the fork, a"
                + " per-thread record of held `java.util.concurrent` locks (the acquisition advice already runs), take"
                + " stacks only for threads that hold something, with `stackDepth` lowered to what the report needs;"
                + " and let the parent handler only store the child pid (no allocation, no `/proc` read), leaving the"
                + " rest to the reporter thread. (\"Stacks only for holders\" still needs a safepoint or a handshake"
                + " per holder; a report without stacks for the others is the trade-off.)";
    }

    private static final String HEAP = "The lock registry (`LockRegistry` over `IdentityWeakTable`) drops an entry whose"
            + " lock was collected only in `expunge()`, which runs inside `put()` (and `size()`), and only for the one"
            + " stripe of 16 the new key falls in. When locks stop being created, every entry whose lock died since"
            + " stays, each holding its `TrackedObject`, `LazySite` and `LazySite$CreationTrace` (a `Throwable`: its"
            + " backtrace is the `long[]`, `Object[]`, `int[]` and `short[]` of the histogram), several hundred bytes"
            + " per tracked lock. Diagnosed with `jcmd <pid> GC.class_histogram` after 1,000,000 short-lived tracked"
            + " locks (`trackRate=0`) and three full GCs: 353,593 `IdentityWeakTable$Entry`, 305,252 creation traces"
            + " and 335 MB of heap still in use; in a repeat (603 MB kept), creating 2,000 more locks afterwards (so each"
            + " stripe expunged about 125 times) brought the growth from 603 MB down to 8 MB. With default options"
            + " `trackRate` bounds how many are tracked, and so how much is kept, but the entries still stay until"
            + " later puts. While a churn runs, the kept entries can also make the collector's work grow: in one"
            + " diagnostic 10,000,000-lock churn with default options on this machine under heavy load (`-Xlog:gc`),"
            + " young pauses kept about 800 MB live and grew to 1.3-4 s, and the churn had not finished after 280 s;"
            + " other runs (like this one) finish in seconds, so the harness bounds the churn in time and reports"
            + " how many locks each JVM created. Fix: drain the reference queues from a forkguard thread blocked in"
            + " `ReferenceQueue.remove()` (one queue for the table), so entries go right after the GC that clears"
            + " their lock; shrink a stripe's bucket array when it is mostly empty; and re-run this churn with"
            + " `-Xlog:gc` to check that young collections no longer keep the registry's entries alive.";

    private static Results.JmhRow row(Results r, String label) {
        for (Results.JmhRow j : r.jmh) {
            if (j.label().equals(label)) {
                return j;
            }
        }
        return null;
    }
}
