package dev.forkguard.bench;

import java.util.Locale;

/**
 * Why a target is missed, and what would fix it: the text the document prints under a missed
 * target. Kept beside the generator so that a re-run keeps it, and printed only when that run misses
 * the target. Figures of the run are filled in from its results; the diagnoses name the experiment
 * (and the command) that found each cause, which were run on this machine while writing the harness.
 */
final class MissedTargets {

    private static final double MIB = 1024 * 1024;

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
            case "launch" -> launch(r);
            case "perObject" -> PER_OBJECT;
            case "burst" -> BURST;
            default -> "No diagnosis is recorded for this target (`" + key + "`).";
        };
    }

    private static String launch(Results r) {
        StringBuilder figures = new StringBuilder();
        for (Results.LaunchRow l : r.launches) {
            figures.append(String.format(Locale.ROOT, " JDK %d: the agent %.2fx, `forkHandlers=java` %.2fx, the control"
                    + " without the agent but with a %d MiB pre-touched heap %.2fx; anonymous RSS %.0f MiB without the"
                    + " agent, %.0f with it, %.0f in the control.", l.jdk(), l.ratio(), l.javaHandlersRatio(),
                    l.controlHeapMib(), l.controlRatio(), l.noneRssAnon().median() * 1e6 / MIB,
                    l.agentRssAnon().median() * 1e6 / MIB, l.controlRssAnon().median() * 1e6 / MIB));
        }
        return "A fork inside a JDK launch no longer enters Java: the agent's C fork handlers read the thread's launch"
                + " depth (a thread-local that the advice on `ProcessImpl.start` keeps through two direct-mapped calls)"
                + " and return. What is left is the agent's resident memory: `fork()` copies the page tables of every"
                + " anonymous page of the parent and the child's `exec` tears that copy down, while the parent waits"
                + " for the exec, so a launch costs in proportion to the parent's anonymous RSS. The control shows it:"
                + " without the agent, a JVM given about the agent's extra memory as a pre-touched heap launches about"
                + " as slowly as the agent." + figures + " How steep it is, measured with no agent (JDK 17, 300"
                + " launches, `-Xms<N>m -XX:+AlwaysPreTouch`, load average about 12): 32 MiB anonymous 1.49 s, 62 MiB"
                + " 2.64 s, 95 MiB 3.36 s, 161 MiB 6.68 s, about 40 ms per MiB, so every MiB the agent keeps resident"
                + " costs about 2.7% here. What shrank it (docs/DESIGN.md, Start-up): the reporter's warm-up built a"
                + " Jackson `ObjectMapper` in every JVM (about 13 MB allocated, hundreds of classes), and class files"
                + " were read through a growing buffer (about four times their size in garbage); the agent's start"
                + " then filled the young generation twice, and every eden, survivor and old region it touched stayed"
                + " resident. Both are gone: on JDK 17 no GC runs before `main`'s first launches and the agent adds"
                + " about 15 MiB instead of 35. What remains is metaspace for the agent's own classes, Logback's and"
                + " JNA's (about 10 MiB), the heap its start allocates (about 8 MiB, more on JDK 25, where JNA's module"
                + " layer allocates too and a young GC still runs), symbols, thread stacks and malloc arenas of its"
                + " threads. By the same proportion, 1.10x needs the agent's extra anonymous memory to be about a tenth"
                + " of the JVM's own, a few MiB: less than its classes alone.";
    }

    private static String lock(Results r) {
        Results.JmhRow row = row(r, "ReentrantLock lock/unlock, uncontended");
        Results.JmhRow control = row(r, "synchronized enter/exit");
        String significance = row == null ? "" : String.format(Locale.ROOT,
                " In this run the ratio is %.3f ± %.3f, so the interval %s 1.02.", row.ratio(), row.ratioError(),
                row.ratio() - row.ratioError() <= 1.02 ? "still includes" : "lies wholly above")
                + (control == null ? "" : String.format(Locale.ROOT, " `synchronized` enter/exit, which the agent"
                        + " does not touch at all, measured %.3fx ± %.3f in the same run: that much is the difference"
                        + " between the two JVMs' runs, not advice.", control.ratio(), control.ratioError()));
        return "The only code the agent adds to `ReentrantLock.lock()` is `LockAcquireAdvice`, inlined at its start:"
                + " a call of `ForkguardBridge.forkInFlight()`, which C2 inlines into one volatile read of the"
                + " fork-in-flight count, and one read of the lock's `sync` field"
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
                + " `ThreadRegistry` reads the top 8 frames below the agent's with a `StackWalker` (about 5 µs on JDK 17),"
                + " interns them as the start site, and puts an entry in its `IdentityWeakTable`, under a stripe lock."
                + extra + " Starting and joining a thread that does nothing is itself only tens of µs (the OS thread's"
                + " creation, two hand-offs), so this fixed cost is a visible share of it; a thread doing real work"
                + " dwarfs it.";
    }

    private static final String STARTUP = "Any `-javaagent` costs about 40 ms before `premain` on JDK 17 (an empty"
            + " agent; JDK 17 then logs `full module graph: disabled` for CDS and resolves the boot modules), and"
            + " opening this 10 MB jar of 5,000-odd entries more. Then, by `System.nanoTime` marks and class-load"
            + " logs (docs/DESIGN.md, Start-up), two threads of about 200 ms each under load run side by side: the"
            + " helper binds JNA (verifying the cached jar, `Native`'s initialisation with `java.util.logging`,"
            + " `Native.register`, whose structure set-up spins annotation proxies and reflection accessors), while"
            + " the `premain` thread defines the bridge, reads the options, builds the registries and readies the"
            + " woven classes; after the probe, about 50 ms more (snapshot recorder,"
            + " retransformation, the child path's warm-up, registration). Done: a per-user cache (woven JDK classes,"
            + " JNA's jar and native library: no Byte Buddy on a warm start), no `ldconfig -p`, a small log layout;"
            + " and now JNA without a module layer before JDK 22, everything that needs no JNA beside JNA's start,"
            + " Logback built after `premain` (what is logged before is kept by SLF4J's `SubstituteLogger`), one"
            + " retransformation for all loaded targets, the jar fingerprint from its central directory in one"
            + " read (walking 5,000 entries took about 40 ms), and the reporter with its warm-up, the watchdog, the"
            + " virtual-thread dump and the start line on a low-priority thread after `premain` (a fork before then"
            + " is recorded and reported once the reporter is up), with no Jackson unless a report needs it. A start"
            + " in the background (premain returning before the handlers and the advice) is still rejected: programs"
            + " that fork within moments of `main` would go unseen. What would fix the rest: JNA's own start and"
            + " binding are the critical path (a binding without JNA, such as the C handlers' library with a JNI entry"
            + " of its own, registered before JNA is up, with Java reached once JNA is), then the child path's"
            + " warm-up, which could follow `main` if the lock check stayed off in the child of a fork made before"
            + " it finished.";

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
                b.append(String.format(Locale.ROOT, ", of which the snapshot inside the prepare handler %.2f ms (%.0f%%)",
                        f.snapshotMs().median(), 100 * f.snapshotMs().median() / added));
            }
            b.append(". ");
        }
        for (Results.FloorRow c : r.floor) {
            if (c.threads() != threads) {
                continue;
            }
            for (Results.ForkRow f : r.forkPause) {
                if (f.jdk() == c.jdk() && f.threads() == threads && f.locks() == 0) {
                    double bare = f.none().median();
                    b.append(String.format(Locale.ROOT, "JDK %d, 0 locks: two empty JNA handlers without the agent"
                            + " %+.2fx; the agent with `stacks=after` %+.2fx (%.2f ms over the bare fork), its stacks"
                            + " taken %.0f ms after the fork. ", c.jdk(), (c.emptyHandlers().median() - bare) / bare,
                            (c.stacksAfter().median() - bare) / bare, c.stacksAfter().median() - bare,
                            c.stacksAfterLateMs() == null ? Double.NaN : c.stacksAfterLateMs().median()));
                }
            }
        }
        return b + "Why, and what would fix it: [the fork pause's diagnosis](#" + FORK_PAUSE_ANCHOR + "), below.";
    }

    /** Heading of the diagnosis several missed targets share, printed once after them; null when the key has none. */
    static String sharedHeading(String key) {
        return key.startsWith("fork") ? FORK_PAUSE_HEADING : null;
    }

    static String sharedText(String key) {
        return key.startsWith("fork") ? forkPauseDiagnosis() : "";
    }

    private static final String FORK_PAUSE_HEADING = "The fork pause: what is measured, and what would fix it";
    /** GitHub's anchor for that heading: lower case, punctuation dropped, spaces as hyphens. */
    private static final String FORK_PAUSE_ANCHOR = "the-fork-pause-what-is-measured-and-what-would-fix-it";

    /** Shared by every missed fork-pause target: printed once, not under each of them. */
    private static String forkPauseDiagnosis() {
        return "(1) The default mode takes a thread dump inside the prepare handler, and the"
                + " first thread dump after an earlier fork is about ten times slower than any other: the JVM's"
                + " cost, not the agent's code. Without forkguard, 100 parked threads,"
                + " JDK 17, an empty JNA prepare handler that only calls `dumpAllThreads(true, false, 32)`, a full GC"
                + " and 60 ms between forks: 9.1 to 9.7 ms in the handler; with one dump made just before each fork,"
                + " outside the handler, that one pays the 9 ms and the one in the handler takes 0.9 ms. A GC in"
                + " between does not help; `perf` shows the VM Thread faulting in"
                + " `ThreadStackTrace::dump_stack_at_safepoint` (pages the fork write-protected). At 1,000 threads"
                + " it is about 200 ms on JDK 17 and far less on JDK 25. Therefore, after each fork the"
                + " agent's reporter thread makes one thread dump, so the next fork's dump in the handler is not the"
                + " first after a fork (quick run, JDK 17: the snapshot 12.9 to 4.4 ms at 100 threads, 183 to 38 ms"
                + " at 1,000). That dump is a safepoint the application's threads stop for, after the fork instead"
                + " of inside it; a process that forks once pays it although no fork follows, and forks in quick"
                + " succession (a pool started in a loop) outrun it. (2) Everything else in the window"
                + " is raw: `/proc/self/task` is one `getdents64` copied into a byte array (Java's"
                + " `DirectoryStream` took 7 to 9 ms at 1,000 threads in the handler), the children file one"
                + " `read`, the threads' origins looked up after the fork (about 1 ms at 1,000 threads), and a"
                + " JDK launch is recognised by advice on `ProcessImpl.start` instead of a stack walk (0.5 to 1.4"
                + " ms). (3) The option `stacks=after` takes the dump on the agent's thread after the fork (figures"
                + " above and in the table before this section). It is not the default because the stacks, states"
                + " and monitors are then those of a later moment: in the integration tests it reported a monitor"
                + " taken 551 ms after a fork in a storm and missed a class initialisation that ended 76 ms after"
                + " its fork; the owners of `java.util.concurrent` locks and the set of threads stay exact. (4) What"
                + " remains with `stacks=after` is partly the floor of a handler written in Java: two empty fork"
                + " handlers registered through JNA, without the agent, already add the share shown above (JNA's"
                + " callback into Java and back, twice, the second entered right after the clone while the child"
                + " still shares every page). The agent's own snapshot is about 1 ms at 100 threads and 2 to 3 ms"
                + " at 1,000. Timed inside the handlers, the rest falls between the end of the prepare handler and"
                + " the start of the parent handler (the clone and the callbacks' exit and entry) and in the parent"
                + " handler itself, 1 to 30 ms for microseconds of work, varying from fork to fork, with no"
                + " safepoint there (`-Xlog:safepoint`). `perf record -g` of the forking thread (100 threads,"
                + " `stacks=after`, `-XX:+PreserveFramePointer`) says why: of its samples inside JNA's callbacks, 57%"
                + " are write-protect page faults (`do_wp_page` -> `flush_tlb_mm_range` ->"
                + " `smp_call_function_many_cond`), 27% run the handlers' Java code and 8% zero a new array. A fork"
                + " leaves every page of the parent write-protected, even after its child has exited, and each page"
                + " the handlers then write for the first time (fresh heap for their allocations, JNA's copies of"
                + " array arguments, the JVM's own bookkeeping for the call into Java) costs a fault that also"
                + " interrupts the other core of this virtual machine; the clone itself (`copy_page_range`) is about"
                + " 1.7 ms of it at 100 threads; the task listing is therefore read in 4 KB chunks."
                + " (5) Tracked locks: with 100,000 of them the snapshot reads each one's owner"
                + " inside the window (compare the 0 and 100,000 lock rows), a fraction of a microsecond each;"
                + " keeping a per-thread list of held locks instead would need advice on every unlock, on the hot"
                + " path the lock/unlock target protects."
                + " What would fix it: writing fewer fresh pages in the window: native fork handlers (a small C"
                + " library in the agent jar, as JNA ships its own) that copy the raw facts into memory set aside"
                + " beforehand, and re-written by the reporter after each fork so that its pages are writable again,"
                + " without entering Java; and, for the default mode, stacks taken only for threads that hold a lock"
                + " (one handshake each on JDK 21+) instead of a full thread dump.";
    }

    private static final String HEAP = "A tracked lock is one weak entry in `IdentityWeakTable`, holding an interned"
            + " site; the entry of a collected lock is dropped by the reporter thread once a second"
            + " (`IdentityWeakTable.expungeStale`), and the next collection frees it. A growth here means entries"
            + " outlived that: check with `jcmd <pid> GC.class_histogram` after the churn (count of"
            + " `IdentityWeakTable$Entry`) and with `-Xlog:gc` whether young collections keep them alive.";

    private static final String PER_OBJECT = "A tracked lock, thread or executor is one `IdentityWeakTable$Entry`"
            + " (a `WeakReference` with the key's identity hash, the object's own identity hash, the value and the"
            + " chain pointer: 48 bytes with compressed pointers) plus its bucket slot, 4 bytes at a load between"
            + " 3/8 and 3/4, with the value shared: an interned `CreationSite` for locks, an interned `ThreadOrigin`"
            + " for threads. Above 64 bytes means something per object beyond that: compare"
            + " `jcmd <pid> GC.class_histogram` with and without the agent after the scenario.";

    private static final String BURST = "With default options `trackRate` tracks a burst of 200,000 locks, then 20,000"
            + " a second, each costing one weak entry of about 60 bytes; `maxTracked` (200,000 by default, shared by"
            + " locks, threads and executors) caps the entries, and at most 8,192 creation sites are kept. Above"
            + " 32 MiB means something is kept per lock beyond its entry: compare `jcmd <pid> GC.class_histogram`"
            + " with and without the agent after the burst.";

    private static Results.JmhRow row(Results r, String label) {
        for (Results.JmhRow j : r.jmh) {
            if (j.label().equals(label)) {
                return j;
            }
        }
        return null;
    }
}
