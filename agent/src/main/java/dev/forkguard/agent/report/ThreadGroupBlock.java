package dev.forkguard.agent.report;

import dev.forkguard.agent.report.ForkReport.ThreadGroupEntry;
import java.util.List;
import java.util.Locale;

/** Renders one group of alike threads in the log's block: a line with count and name pattern, then the shared stack. */
final class ThreadGroupBlock {

    private ThreadGroupBlock() {}

    static void render(StringBuilder b, ForkReport.ThreadSummary summary, int groupId, int framesShown) {
        ThreadGroupEntry g = find(summary, groupId);
        if (g == null) {
            return;
        }
        b.append("  ").append(String.format(Locale.ROOT, "%,d", g.count())).append(g.virtual() ? " virtual" : "")
                .append(" threads ");
        if (g.namePattern().replace("*", "").isEmpty() && !g.namePattern().isEmpty()) {
            // Nothing in common: a few of the names say more than "*".
            for (int i = 0; i < g.someNames().size(); i++) {
                b.append(i == 0 ? "" : ", ").append('"').append(g.someNames().get(i)).append('"');
            }
            b.append(g.count() > g.someNames().size() ? ", ..." : "");
        } else {
            b.append('"').append(g.namePattern()).append('"');
        }
        b.append(" #").append(g.firstId()).append("..#").append(g.lastId()).append(g.daemon() && !g.virtual() ? " daemon " : " ").append(g.state())
                .append(", same stack");
        if (g.executor() != null) {
            b.append(", workers of ").append(g.executor().identity()).append(" created at ")
                    .append(g.executor().createdAt());
        } else if (g.container() != null && !"<root>".equals(g.container())) {
            b.append(", in ").append(g.container());
        }
        if (g.executor() == null && g.startedAt() != null) {
            b.append(", started by \"").append(g.startedBy()).append("\" at ").append(g.startedAt());
        }
        b.append('\n');
        List<String> stack = g.stack();
        int shown = Math.min(stack.size(), framesShown);
        for (int i = 0; i < shown; i++) {
            b.append("      at ").append(stack.get(i)).append('\n');
        }
        if (stack.size() > shown) {
            b.append("      ... ").append(stack.size() - shown).append(" more\n");
        }
    }

    private static ThreadGroupEntry find(ForkReport.ThreadSummary summary, int groupId) {
        if (summary == null) {
            return null;
        }
        for (ThreadGroupEntry g : summary.groups()) {
            if (g.id() == groupId) {
                return g;
            }
        }
        return null;
    }
}
