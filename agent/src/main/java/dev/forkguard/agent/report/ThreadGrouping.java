package dev.forkguard.agent.report;

import dev.forkguard.agent.report.ForkReport.ThreadEntry;
import dev.forkguard.agent.report.ForkReport.ThreadGroupEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds threads that tell the same story into one group, so a report stays readable at thousands
 * of threads: same kind (virtual or not, daemon or not), state, stack and origin (the executor or
 * thread container, the starter and start site). A thread that holds a lock or initialises a class
 * is never grouped, nor is one of forkguard's own; a "group" of one is shown alone. Then it caps the
 * list of threads kept in the report ({@link #LIST_CAP}): every thread shown alone first, one member
 * of each group next, then the other members in order.
 */
public final class ThreadGrouping {

    /** Most threads a report lists one by one; documented in docs/REPORT.md. */
    public static final int LIST_CAP = 1000;
    private static final int SOME_NAMES = 5;

    private ThreadGrouping() {}

    /** The threads kept (each with its group), the groups, and how many were left out. */
    public record Result(List<ThreadEntry> listed, List<ThreadGroupEntry> groups, int omitted) {}

    /**
     * @param threads the vanishing threads, in report order
     * @param alone ids of threads that must be shown alone (lock holders, class initialisations)
     */
    public static Result group(List<ThreadEntry> threads, Set<Long> alone, int cap) {
        Map<Key, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < threads.size(); i++) {
            ThreadEntry t = threads.get(i);
            if (t.agentThread() || alone.contains(t.id())) {
                continue;
            }
            byKey.computeIfAbsent(new Key(t), k -> new ArrayList<>()).add(i);
        }
        Integer[] groupOf = new Integer[threads.size()];
        List<ThreadGroupEntry> groups = new ArrayList<>();
        List<List<Integer>> members = new ArrayList<>();
        for (List<Integer> indexes : byKey.values()) {
            if (indexes.size() < 2) {
                continue;
            }
            int id = groups.size() + 1;
            for (int i : indexes) {
                groupOf[i] = id;
            }
            groups.add(entry(id, threads, indexes));
            members.add(indexes);
        }
        boolean[] keep = new boolean[threads.size()];
        int kept = 0;
        for (int i = 0; i < threads.size(); i++) {
            if (groupOf[i] == null) {
                keep[i] = true; // shown alone: always listed
                kept++;
            }
        }
        for (List<Integer> indexes : members) {
            if (kept < cap) {
                keep[indexes.get(0)] = true;
                kept++;
            }
        }
        for (List<Integer> indexes : members) {
            for (int j = 1; j < indexes.size() && kept < cap; j++) {
                keep[indexes.get(j)] = true;
                kept++;
            }
        }
        List<ThreadEntry> listed = new ArrayList<>(kept);
        for (int i = 0; i < threads.size(); i++) {
            if (keep[i]) {
                listed.add(groupOf[i] == null ? threads.get(i) : threads.get(i).inGroup(groupOf[i]));
            }
        }
        return new Result(listed, groups, threads.size() - kept);
    }

    private static ThreadGroupEntry entry(int id, List<ThreadEntry> threads, List<Integer> indexes) {
        ThreadEntry first = threads.get(indexes.get(0));
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        List<String> names = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            ThreadEntry t = threads.get(i);
            min = Math.min(min, t.id());
            max = Math.max(max, t.id());
            names.add(t.name());
        }
        List<String> some = new ArrayList<>();
        for (String n : names) {
            if (some.size() == SOME_NAMES) {
                break;
            }
            if (!some.contains(n)) {
                some.add(n);
            }
        }
        return new ThreadGroupEntry(id, indexes.size(), namePattern(names), first.state(), first.virtual(),
                first.daemon(), first.stack(), first.startedBy(), first.startedAt(), first.executor(),
                first.container(), min, max, some);
    }

    /**
     * One name for many: digits become '*' ("parked-12" and "parked-7" give "parked-*"); names that
     * still differ keep their common prefix and end in '*'.
     */
    static String namePattern(List<String> names) {
        String pattern = null;
        for (String name : names) {
            String p = name.replaceAll("[0-9]+", "*");
            if (pattern == null) {
                pattern = p;
            } else if (!pattern.equals(p)) {
                int n = 0;
                while (n < pattern.length() && n < p.length() && pattern.charAt(n) == p.charAt(n)) {
                    n++;
                }
                pattern = pattern.substring(0, n) + (pattern.endsWith("*") && n == pattern.length() ? "" : "*");
            }
        }
        return pattern == null ? "" : pattern;
    }

    /** What members of a group share. */
    private record Key(boolean virtual, boolean daemon, String state, List<String> stack, String executor,
            String container, String startedBy, String startedAt) {
        Key(ThreadEntry t) {
            this(t.virtual(), t.daemon(), t.state(), t.stack(),
                    t.executor() == null ? null : t.executor().identity(), t.container(), t.startedBy(),
                    t.startedAt());
        }
    }
}
