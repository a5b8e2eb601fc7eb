package dev.forkguard.agent.registry;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a lock, executor or thread was created or started: a few frames of the creating stack, and
 * the first of them outside the JDK, which is the line a user will recognise.
 *
 * <p>Sites are interned: ten thousand locks made on one line share one site, which is what keeps
 * tracking a lock down to a table entry and a pointer.
 */
public final class CreationSite {

    /** For locks and threads that already existed when the agent was attached. */
    public static final CreationSite BEFORE_AGENT = new CreationSite(new StackTraceElement[0], -1, true);

    private static final int MAX_INTERNED = 20_000;
    private static final ConcurrentHashMap<Key, CreationSite> INTERNED = new ConcurrentHashMap<>();

    /** For locks the agent did not track (over the budget or table size); only the JVM saw them. */
    public static final CreationSite UNTRACKED = new CreationSite(new StackTraceElement[0], -1, false);

    private final StackTraceElement[] frames;
    private final int siteIndex;
    private final boolean beforeAgent;

    private CreationSite(StackTraceElement[] frames, int siteIndex, boolean beforeAgent) {
        this.frames = frames;
        this.siteIndex = siteIndex;
        this.beforeAgent = beforeAgent;
    }

    /**
     * The site of a captured stack: the agent's own frames at its top dropped, at most {@code depth}
     * frames kept, interned so that every lock made on one line shares one site.
     */
    static CreationSite fromStack(StackTraceElement[] stack, int depth) {
        int first = 0;
        while (first < stack.length && isAgentFrame(stack[first].getClassName())) {
            first++;
        }
        StackTraceElement[] frames = Arrays.copyOfRange(stack, first, Math.min(stack.length, first + depth));
        Key key = new Key(frames);
        CreationSite site = INTERNED.get(key);
        if (site != null) {
            return site;
        }
        site = new CreationSite(frames, siteIndexOf(frames), false);
        if (INTERNED.size() < MAX_INTERNED) {
            CreationSite raced = INTERNED.putIfAbsent(key, site);
            if (raced != null) {
                return raced;
            }
        }
        return site;
    }

    public StackTraceElement[] frames() {
        return frames.clone();
    }

    /** The frame a person will recognise: the first outside the JDK, else the first; null if none. */
    public StackTraceElement site() {
        return siteIndex < 0 ? null : frames[siteIndex];
    }

    /** True for objects that existed before the agent started, whose sites are unknown. */
    public boolean beforeAgent() {
        return beforeAgent;
    }

    /** {@code Class.method(File.java:line)}, or a phrase when unknown. */
    public String describe() {
        if (beforeAgent) {
            return "(created before forkguard was attached)";
        }
        StackTraceElement s = site();
        return s == null ? "(not tracked)" : dev.forkguard.agent.report.Frames.format(s);
    }

    @Override
    public String toString() {
        return describe();
    }

    static boolean isJdkFrame(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

    /** The agent's frames, and the constructor or {@code start()} frames whose advice called it. */
    private static boolean isAgentFrame(String className) {
        return className.startsWith("dev.forkguard.agent.") || className.startsWith("dev.forkguard.bridge.");
    }

    private static int siteIndexOf(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (!isJdkFrame(frames[i].getClassName())) {
                return i;
            }
        }
        return frames.length == 0 ? -1 : 0;
    }

    private static final class Key {
        /** For locks the agent did not track (over the budget or table size); only the JVM saw them. */
    public static final CreationSite UNTRACKED = new CreationSite(new StackTraceElement[0], -1, false);

    private final StackTraceElement[] frames;
        private final int hash;

        Key(StackTraceElement[] frames) {
            this.frames = frames;
            this.hash = Arrays.hashCode(frames);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(frames, ((Key) o).frames);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
