package dev.forkguard.agent.report;

import dev.forkguard.agent.registry.VirtualThreads;
import dev.forkguard.agent.registry.ThreadOrigin;
import dev.forkguard.agent.report.ForkReport.ClassInitEntry;
import dev.forkguard.agent.report.ForkReport.LockEntry;
import dev.forkguard.agent.report.ForkReport.ThreadEntry;
import dev.forkguard.agent.snapshot.ForkSnapshot;
import dev.forkguard.agent.snapshot.VirtualThreadInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds a fork's virtual threads to its report: each one listed after the fork (JDK 21+), with the
 * {@code java.util.concurrent} locks it owned at the fork (read in the window, exact), the monitors
 * and the class initialisations the dump after the fork shows; and every virtual thread that owned a
 * tracked lock at the fork but was gone by that dump, from what the window recorded of it.
 */
final class VirtualThreadEntries {

    private static final String CLINIT = ".<clinit>(";

    private VirtualThreadEntries() {}

    /** Returns how many virtual threads were added to {@code vanishing}. */
    static int add(ForkSnapshot s, List<ThreadEntry> vanishing, List<LockEntry> orphaned,
            List<ClassInitEntry> classInits) {
        Set<Long> listed = new HashSet<>();
        int added = 0;
        List<VirtualThreadInfo> dumped = s.virtualThreads();
        if (dumped != null) {
            for (VirtualThreadInfo v : dumped) {
                listed.add(v.id());
                List<String> stack = v.stack().size() > s.stackDepth ? v.stack().subList(0, s.stackDepth) : v.stack();
                vanishing.add(entry(v.id(), v.name(), v.state(), stack, s.origins().get(v.id()), v.container()));
                added++;
                String holder = holderName(v.name(), v.id());
                ReportBuilder.addOwned(s.ownedLocks.get(v.id()), v.id(), holder, orphaned);
                for (VirtualThreadInfo.Monitor m : v.monitors()) {
                    String lockedAt = m.depth() >= 0 && m.depth() < v.stack().size() ? v.stack().get(m.depth()) : null;
                    orphaned.add(new LockEntry("MONITOR", typeOf(m.identity()), m.identity(), v.id(), holder,
                            lockedAt, null, List.of()));
                }
                for (String frame : v.stack()) {
                    int at = frame.indexOf(CLINIT);
                    if (at > 0) {
                        classInits.add(new ClassInitEntry(frame.substring(0, at), v.id(), holder));
                    }
                }
            }
        }
        for (Map.Entry<Long, String> owner : s.virtualFacts().lockOwnerNames().entrySet()) {
            long id = owner.getKey();
            if (listed.contains(id) || id == s.forkingThreadId) {
                continue;
            }
            // Owned a lock at the fork, ended before the dump after it (or none was taken).
            vanishing.add(entry(id, owner.getValue(), "UNKNOWN", List.of(), s.origins() == null ? null
                    : s.origins().get(id), null));
            added++;
            ReportBuilder.addOwned(s.ownedLocks.get(id), id, holderName(owner.getValue(), id), orphaned);
        }
        return added;
    }

    /** A lock's holder by name; a virtual thread often has none (its id tells it apart). */
    static String holderName(String name, long id) {
        return name == null ? "" : name;
    }

    private static ThreadEntry entry(long id, String name, String state, List<String> stack, ThreadOrigin origin,
            String container) {
        return ReportBuilder.threadEntry(id, name, state, true, stack, origin, null, false, true, container);
    }

    /** "java.lang.Object@2e817b38" is a java.lang.Object. */
    private static String typeOf(String identity) {
        int at = identity.lastIndexOf('@');
        return at < 0 ? identity : identity.substring(0, at);
    }
}
