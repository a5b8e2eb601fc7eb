package dev.forkguard.agent.registry;

import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

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

    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final int MAX_INTERNED = 20_000;
    private static final ConcurrentHashMap<Key, CreationSite> INTERNED = new ConcurrentHashMap<>();

    private final StackTraceElement[] frames;
    private final int siteIndex;
    private final boolean beforeAgent;

    private CreationSite(StackTraceElement[] frames, int siteIndex, boolean beforeAgent) {
        this.frames = frames;
        this.siteIndex = siteIndex;
        this.beforeAgent = beforeAgent;
    }

    /** The calling stack, without the agent's own frames, at most {@code depth} frames. */
    public static CreationSite capture(int depth) {
        StackTraceElement[] frames = WALKER.walk(new Collector(depth));
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

    /** Builds a site from frames already known, such as those read back from a JSON report. */
    public static CreationSite of(StackTraceElement[] frames) {
        return new CreationSite(frames.clone(), siteIndexOf(frames), false);
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
        return s == null ? "(unknown)" : s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    static boolean isJdkFrame(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

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

    /** Drops the agent's and the bridge's frames, keeps the next {@code depth}. */
    private static final class Collector implements Function<Stream<StackWalker.StackFrame>, StackTraceElement[]> {
        private final int depth;

        Collector(int depth) {
            this.depth = depth;
        }

        @Override
        public StackTraceElement[] apply(Stream<StackWalker.StackFrame> stream) {
            StackTraceElement[] out = new StackTraceElement[depth];
            int n = 0;
            Iterator<StackWalker.StackFrame> it = stream.iterator();
            while (it.hasNext() && n < depth) {
                StackWalker.StackFrame f = it.next();
                if (n == 0 && isAgentFrame(f.getClassName())) {
                    continue;
                }
                out[n++] = f.toStackTraceElement();
            }
            return n == depth ? out : Arrays.copyOf(out, n);
        }
    }

    private static final class Key {
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
