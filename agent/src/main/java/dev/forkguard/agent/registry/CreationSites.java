package dev.forkguard.agent.registry;

import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Captures the creating stack's top frames and interns them by call site, at once, on the creating
 * thread: every lock made on one line (by the same path, {@code depth} frames deep) shares one
 * {@link CreationSite}, and nothing per object outlives the call.
 *
 * <p>Why a {@code StackWalker} and not a {@code Throwable}: a walker stops after the frames it
 * needs, so its cost does not grow with the stack, and it keeps nothing, where a pending
 * {@code Throwable} held the whole backtrace until resolved (docs/DESIGN.md, Tracking memory). The key is
 * each frame's class name, method name and bytecode index, all strings the JVM already holds;
 * {@code StackTraceElement}s are made only for a site not seen before. There are at most
 * {@code maxSites} sites; past that, new sites are refused (counted) and their objects go untracked.
 */
public final class CreationSites {

    private static final StackWalker WALKER = StackWalker.getInstance(java.util.Set.<StackWalker.Option>of(), 16);

    private final int depth;
    private final int maxSites;
    private final ConcurrentHashMap<Key, CreationSite> interned = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    /**
     * @param depth frames kept per site, from the constructor or {@code start()} the agent's advice ran in
     * @param maxSites distinct sites kept at most
     */
    public CreationSites(int depth, int maxSites) {
        this.depth = Math.max(1, depth);
        this.maxSites = maxSites;
    }

    /**
     * The interned site of the calling stack, the agent's own frames at its top left out, for an
     * object of class {@code type} (null for a thread start); null when the site is new and
     * {@code maxSites} are already kept.
     */
    public CreationSite capture(Class<?> type) {
        FrameWalk walk = new FrameWalk(depth);
        WALKER.walk(walk);
        Key key = new Key(type == null ? null : type.getName(), walk.names, walk.bcis, walk.count);
        CreationSite site = interned.get(key);
        if (site != null) {
            return site;
        }
        return intern(key, walk);
    }

    private CreationSite intern(Key key, FrameWalk walk) {
        if (count.get() >= maxSites) {
            refused.increment();
            return null;
        }
        StackTraceElement[] frames = new StackTraceElement[walk.count];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = walk.frames[i].toStackTraceElement();
        }
        CreationSite site = new CreationSite(key.type, frames, false);
        CreationSite raced = interned.putIfAbsent(key, site);
        if (raced != null) {
            return raced;
        }
        count.incrementAndGet();
        return site;
    }

    /** Distinct sites kept. */
    public int size() {
        return count.get();
    }

    /** Captures that found a new site when {@code maxSites} were already kept. */
    public long refused() {
        return refused.sum();
    }

    /** The agent's frames, and the constructor or {@code start()} frames whose advice called it. */
    static boolean isAgentFrame(String className) {
        return className.startsWith("dev.forkguard.agent.") || className.startsWith("dev.forkguard.bridge.")
                || className.startsWith("dev.forkguard.launcher.");
    }

    /** Reads the top frames below the agent's own; a class, not a lambda, like all advice-path code. */
    private static final class FrameWalk implements Function<Stream<StackWalker.StackFrame>, Void> {
        final StackWalker.StackFrame[] frames;
        /** Class name and method name of each frame, alternately. */
        final String[] names;
        final int[] bcis;
        int count;

        FrameWalk(int depth) {
            frames = new StackWalker.StackFrame[depth];
            names = new String[depth * 2];
            bcis = new int[depth];
        }

        @Override
        public Void apply(Stream<StackWalker.StackFrame> stream) {
            Iterator<StackWalker.StackFrame> it = stream.iterator();
            boolean inAgent = true;
            while (it.hasNext() && count < frames.length) {
                StackWalker.StackFrame f = it.next();
                String className = f.getClassName();
                if (inAgent && isAgentFrame(className)) {
                    continue;
                }
                inAgent = false;
                frames[count] = f;
                names[2 * count] = className;
                names[2 * count + 1] = f.getMethodName();
                bcis[count] = f.getByteCodeIndex();
                count++;
            }
            return null;
        }
    }

    private static final class Key {
        final String type;
        final String[] names;
        final int[] bcis;
        final int hash;

        Key(String type, String[] names, int[] bcis, int count) {
            this.type = type;
            this.names = count * 2 == names.length ? names : Arrays.copyOf(names, count * 2);
            this.bcis = count == bcis.length ? bcis : Arrays.copyOf(bcis, count);
            int h = type == null ? 0 : type.hashCode();
            h = 31 * h + Arrays.hashCode(this.names);
            this.hash = 31 * h + Arrays.hashCode(this.bcis);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return hash == k.hash && Arrays.equals(bcis, k.bcis) && Arrays.equals(names, k.names)
                    && (type == null ? k.type == null : type.equals(k.type));
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
