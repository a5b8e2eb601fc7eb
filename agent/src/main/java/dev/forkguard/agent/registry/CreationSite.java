package dev.forkguard.agent.registry;

/**
 * Where a lock, executor or thread was created or started: the type of what was made, a few frames
 * of the creating stack, and the first of them outside the JDK, which is the line a user will
 * recognise.
 *
 * <p>Sites are interned by {@link CreationSites}: ten thousand locks made on one line share one
 * site, which is what keeps tracking a lock down to one table entry.
 */
public final class CreationSite {

    /** For locks and threads that already existed when the agent was attached. */
    public static final CreationSite BEFORE_AGENT = new CreationSite(null, new StackTraceElement[0], true);

    /** For locks the agent did not track (over the budget or capacity); only the JVM saw them. */
    public static final CreationSite UNTRACKED = new CreationSite(null, new StackTraceElement[0], false);

    private final String type;
    private final StackTraceElement[] frames;
    private final int siteIndex;
    private final boolean beforeAgent;

    CreationSite(String type, StackTraceElement[] frames, boolean beforeAgent) {
        this.type = type;
        this.frames = frames;
        this.siteIndex = siteIndexOf(frames);
        this.beforeAgent = beforeAgent;
    }

    /** The class of what was made here, e.g. {@code java.util.concurrent.locks.ReentrantLock}; null if not said. */
    public String type() {
        return type;
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
        return s == null ? "(not tracked)" : dev.forkguard.agent.registry.Frames.format(s);
    }

    @Override
    public String toString() {
        return describe();
    }

    static boolean isJdkFrame(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

    private static int siteIndexOf(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (!isJdkFrame(frames[i].getClassName())) {
                return i;
            }
        }
        return frames.length == 0 ? -1 : 0;
    }
}
