package dev.forkguard.probe;

import com.sun.jna.CallbackReference;
import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * forkguard's own fork handlers, in C ({@code src/main/c/forkguard_atfork.c}): they return at once in
 * a forked child of the JVM and inside a JDK launch, and only otherwise call the Java handlers. A fork
 * that is not reported then never enters Java: no JNA callback (which allocates), no safepoint.
 *
 * <p>Direct-mapped, so a call is a plain JNI call: the agent's JDK-launch advice calls
 * {@link #launchEntered()} and {@link #launchLeft()} around every {@code ProcessImpl.start}.
 */
public final class AtforkLibrary {

    /** The library's file name inside the platform's resource folder. */
    public static final String FILE_NAME = "libforkguard-atfork.so";

    /** The Java handlers, kept for the life of the process: C keeps only their function pointers. */
    private static AtforkCallback keptPrepare;
    private static AtforkCallback keptParent;
    private static NativeLibrary library;

    private AtforkLibrary() {
    }

    /**
     * The class-path resource holding the library for this platform, or null where none is built
     * (only Linux on x86-64 and aarch64 is): then the Java handlers are the only ones.
     */
    public static String resourceName() {
        if (!Platform.isLinux()) {
            return null;
        }
        String prefix = Platform.RESOURCE_PREFIX;
        if (!"linux-x86-64".equals(prefix) && !"linux-aarch64".equals(prefix)) {
            return null;
        }
        return "dev/forkguard/probe/" + prefix + "/" + FILE_NAME;
    }

    /**
     * Loads the library from {@code file} and binds its functions; idempotent.
     *
     * @throws ProbeUnavailableException when it cannot be loaded (another C library, no room for
     *         its thread-local state, a file that is not this platform's)
     */
    public static synchronized void bind(Path file) throws ProbeUnavailableException {
        if (library != null) {
            return;
        }
        try {
            NativeLibrary lib = NativeLibrary.getInstance(file.toAbsolutePath().toString());
            Native.register(AtforkLibrary.class, lib);
            library = lib;
        } catch (LinkageError | RuntimeException e) {
            throw new ProbeUnavailableException("forkguard's fork-handler library could not load from "
                    + file + ": " + e, e);
        }
    }

    /** True once {@link #bind} succeeded. */
    public static synchronized boolean bound() {
        return library != null;
    }

    /**
     * Registers the C handlers with the C library, each calling its Java handler only for a fork
     * made by the process {@code jvmPid} outside a JDK launch. Call once, after {@link #bind}.
     *
     * @return the C library function used, as {@link AtforkRegistrar#register} says
     */
    public static synchronized String register(int jvmPid, AtforkCallback prepare, AtforkCallback parent)
            throws ProbeUnavailableException {
        if (library == null) {
            throw new ProbeUnavailableException("forkguard's fork-handler library is not loaded");
        }
        if (keptPrepare != null) {
            throw new ProbeUnavailableException("forkguard's fork-handler library is already registered");
        }
        Function cPrepare;
        Function cParent;
        try {
            keptPrepare = prepare;
            keptParent = parent;
            if (forkguard_init(jvmPid, CallbackReference.getFunctionPointer(prepare),
                    CallbackReference.getFunctionPointer(parent)) != 0) {
                throw new ProbeUnavailableException("forkguard's fork-handler library refused pid " + jvmPid);
            }
            cPrepare = library.getFunction("forkguard_prepare");
            cParent = library.getFunction("forkguard_parent");
        } catch (LinkageError | RuntimeException | ProbeUnavailableException e) {
            keptPrepare = null;
            keptParent = null;
            if (e instanceof ProbeUnavailableException) {
                throw (ProbeUnavailableException) e;
            }
            throw new ProbeUnavailableException("forkguard's fork-handler library could not be set up: " + e, e);
        }
        boolean registered = false;
        try {
            String used = AtforkRegistrar.registerFunctions(cPrepare, cParent);
            registered = true;
            return used;
        } finally {
            if (!registered) {
                keptPrepare = null;
                keptParent = null;
            }
        }
    }

    /** Entering {@code ProcessImpl.start} on this thread: its forks skip the Java handlers. */
    public static void launchEntered() {
        forkguard_launch_entered();
    }

    /** Leaving {@code ProcessImpl.start} on this thread, normally or not. */
    public static void launchLeft() {
        forkguard_launch_left();
    }

    /** How deep this thread is inside JDK launches, as the C handlers see it. */
    public static int launchDepth() {
        return forkguard_launch_depth();
    }

    /** Forks of this process for which the C handlers called the Java prepare handler. */
    public static long javaForks() {
        return forkguard_java_forks();
    }

    /** Forks of this process made inside a JDK launch, which the C handlers kept out of Java. */
    public static long launchesSkipped() {
        return forkguard_launches_skipped();
    }

    private static native int forkguard_init(int pid, Pointer prepare, Pointer parent);

    private static native void forkguard_launch_entered();

    private static native void forkguard_launch_left();

    private static native int forkguard_launch_depth();

    private static native long forkguard_java_forks();

    private static native long forkguard_launches_skipped();
}
