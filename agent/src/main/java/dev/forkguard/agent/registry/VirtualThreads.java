package dev.forkguard.agent.registry;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JDK 21+ facilities the agent needs for virtual threads, resolved once at start by reflection
 * (the agent is Java 17 bytecode). On JDK 17 nothing resolves and every answer is "no virtual thread".
 *
 * <ul>
 *   <li>{@link #isVirtual}: a class test ({@code java.lang.BaseVirtualThread}), no call, no allocation:
 *       safe in a forked child once it ran in the parent;
 *   <li>{@link #idBound}: the id the next thread would get, read in the fork window from a thread
 *       created and never started (thread ids only grow): every thread that existed at the fork has
 *       a smaller id, every thread started in the child a larger one. About a microsecond;
 *   <li>{@link #carrierOf}: the platform thread that carries a mounted virtual thread, so that a fork
 *       from a virtual thread does not list its own carrier as vanishing (needs {@code java.lang}
 *       open to the agent's module alone).
 * </ul>
 */
public final class VirtualThreads {

    private static volatile Class<?> virtualClass;
    private static volatile Object idProbeBuilder;
    private static volatile Method unstarted;
    private static volatile VarHandle carrier;
    private static volatile boolean startSeen;
    private static final Runnable NOTHING = new Runnable() {
        @Override
        public void run() {}
    };

    private VirtualThreads() {}

    /** Resolves what this JDK has; returns a problem to log at debug level, or null. */
    public static String init(Instrumentation inst) {
        Class<?> base;
        try {
            base = Class.forName("java.lang.BaseVirtualThread", false, null);
        } catch (ClassNotFoundException e) {
            return null; // JDK 17 to 20: no virtual threads
        }
        try {
            Object builder = Thread.class.getMethod("ofPlatform").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class).invoke(builder, "forkguard-id-probe");
            // No copy of the caller's inheritable thread locals: that would run application code.
            builder = builderType.getMethod("inheritInheritableThreadLocals", boolean.class).invoke(builder, false);
            unstarted = builderType.getMethod("unstarted", Runnable.class);
            idProbeBuilder = builder;
            idBound();
        } catch (ReflectiveOperationException | RuntimeException e) {
            unstarted = null;
            return "no thread id bound: " + e;
        } finally {
            virtualClass = base;
        }
        try {
            Module javaBase = Object.class.getModule();
            inst.redefineModule(javaBase, Set.<Module>of(), Map.<String, Set<Module>>of(),
                    Map.of("java.lang", Set.of(VirtualThreads.class.getModule())), Set.<Class<?>>of(),
                    Map.<Class<?>, List<Class<?>>>of());
            Class<?> vt = Class.forName("java.lang.VirtualThread", false, null);
            carrier = MethodHandles.privateLookupIn(vt, MethodHandles.lookup()).findVarHandle(vt, "carrierThread",
                    Thread.class);
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "no carrier thread: " + e;
        }
    }

    /** True on a JDK with virtual threads. */
    public static boolean supported() {
        return virtualClass != null;
    }

    /** Whether {@code t} is a virtual thread. Child path: a field read and a class test. */
    public static boolean isVirtual(Thread t) {
        Class<?> c = virtualClass;
        return c != null && c.isInstance(t);
    }

    /**
     * An id larger than that of every thread created so far, or -1 when unknown (no virtual threads,
     * or the probe failed). Called in the fork window.
     */
    public static long idBound() {
        Method m = unstarted;
        if (m == null) {
            return -1;
        }
        try {
            return ((Thread) m.invoke(idProbeBuilder, NOTHING)).getId();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /** Called by the thread-start hook: notes that the application uses virtual threads. */
    public static void noteStarting(Thread t) {
        if (!startSeen && isVirtual(t)) {
            startSeen = true;
        }
    }

    /** True once a virtual thread was seen starting. */
    public static boolean startSeen() {
        return startSeen;
    }

    /** The carrier of {@code t} when it is a mounted virtual thread, else null. */
    public static Thread carrierOf(Thread t) {
        VarHandle h = carrier;
        if (h == null || !isVirtual(t)) {
            return null;
        }
        return (Thread) h.getVolatile(t);
    }
}
