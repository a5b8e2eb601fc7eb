package dev.forkguard.probe;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Direct-mapped C library functions, because a forked child may call them and only direct-mapped
 * natives bound in the parent are safe there (docs/DESIGN.md, Child-safe code).
 *
 * <p>Call {@link #bind()} once, in the parent, before any native here; until then every native
 * throws {@link UnsatisfiedLinkError}. After binding, a call is a plain JNI call: no proxy, no
 * lazy symbol lookup, no class loading and no Java allocation, so {@link #getpid()} and
 * {@link #gettid()} may be used on child paths.
 *
 * <p>{@link #fork()}, {@link #_exit(int)}, {@link #waitpid(int, int[], int)} and
 * {@link #kill(int, int)} exist for tests and demonstrations that must plant a real fork in a
 * JVM and clean up after it. The agent itself never forks, and never calls {@code waitpid}: that
 * would reap, and so steal, the application's own children (docs/DESIGN.md, Watching a child through /proc).
 */
public final class Libc {

    /** {@code waitpid} option: return 0 at once instead of waiting when no child has changed state. */
    public static final int WNOHANG = 1;
    /** Signal number of SIGKILL, the one signal a hung JVM child cannot ignore (docs/DESIGN.md, What hangs a forked JVM child). */
    public static final int SIGKILL = 9;
    /** Signal number of SIGTERM. */
    public static final int SIGTERM = 15;

    private static final int GETTID_UNBOUND = 0;
    private static final int GETTID_EXPORTED = 1;
    private static final int GETTID_SYSCALL = 2;

    /** Also publishes {@link #sysGettid}: written last in {@link #bindOnce()}. */
    private static volatile int gettidMode = GETTID_UNBOUND;
    private static long sysGettid = -1;
    private static boolean syscallBound;

    private Libc() {
    }

    /**
     * Binds the natives of this class to the C library. Idempotent and thread-safe; after the
     * first success it costs one volatile read.
     *
     * @throws ProbeUnavailableException when not on Linux, or when JNA cannot load or find the
     *         functions it needs
     */
    public static void bind() throws ProbeUnavailableException {
        if (gettidMode != GETTID_UNBOUND) {
            return;
        }
        bindOnce();
    }

    private static synchronized void bindOnce() throws ProbeUnavailableException {
        if (gettidMode != GETTID_UNBOUND) {
            return;
        }
        if (!isLinux()) {
            throw new ProbeUnavailableException("forkguard's native probe needs Linux, but this is "
                    + System.getProperty("os.name") + "; fork handlers cannot be installed");
        }
        NativeLibrary c;
        try {
            c = cLibrary();
            Native.register(Libc.class, c);
        } catch (LinkageError | RuntimeException e) {
            // LinkageError covers a missing JNA jar, a JNA native library that will not load and a
            // missing symbol; RuntimeException covers JDK 24+ with --illegal-native-access=deny.
            throw new ProbeUnavailableException("forkguard's native probe could not bind the C library"
                    + " through JNA: " + e, e);
        }
        if (!syscallBound) {
            try {
                Native.register(SyscallNative.class, c);
                syscallBound = true;
            } catch (UnsatisfiedLinkError e) {
                syscallBound = false;
            }
        }
        sysGettid = syscallBound ? sysGettidForArch(System.getProperty("os.arch")) : -1;
        int mode;
        try {
            Native.register(GettidNative.class, c);
            mode = GETTID_EXPORTED;
        } catch (UnsatisfiedLinkError e) {
            // glibc before 2.30 has no gettid wrapper.
            mode = GETTID_SYSCALL;
        }
        if (mode == GETTID_SYSCALL && sysGettid < 0) {
            throw new ProbeUnavailableException("forkguard's native probe cannot find thread ids: the C"
                    + " library exports no gettid and the gettid system call number for "
                    + System.getProperty("os.arch") + " is unknown");
        }
        gettidMode = mode;
    }

    /**
     * The C library already mapped into this process, through {@code dlopen(NULL)}: no guessing of
     * its file name ({@code libc.so} is a linker script on glibc; musl names it differently).
     * Note: the first use of JNA's {@code NativeLibrary} runs {@code /sbin/ldconfig -p} once, from its
     * static initialiser, unless {@code jna.platform.library.path} is set (the agent's
     * {@code JnaQuickStart} sets it, empty, for that moment).
     */
    static NativeLibrary cLibrary() {
        return NativeLibrary.getProcess();
    }

    static long sysGettidForArch(String arch) {
        if ("amd64".equals(arch) || "x86_64".equals(arch)) {
            return 186;
        }
        if ("aarch64".equals(arch) || "riscv64".equals(arch)) {
            // Both use the generic system call table.
            return 178;
        }
        return -1;
    }

    /** True on Linux, the only system whose /proc and fork handlers this probe understands. */
    public static boolean isLinux() {
        String os = System.getProperty("os.name");
        return os != null && os.startsWith("Linux");
    }

    /**
     * The kernel id of the calling thread, as listed in {@code /proc/<pid>/task}. Uses the C
     * library's {@code gettid} when it exports one, else the raw system call. Needs {@link #bind()}.
     */
    public static int gettid() {
        if (gettidMode == GETTID_EXPORTED) {
            return GettidNative.gettid();
        }
        return (int) SyscallNative.syscall(sysGettid);
    }

    /** {@link #gettid()} through the system call even when the C library exports gettid; -1 when unknown. */
    static int gettidViaSyscall() {
        if (!syscallBound || sysGettid < 0) {
            return -1;
        }
        return (int) SyscallNative.syscall(sysGettid);
    }

    /** True when {@link #gettid()} calls the C library's own gettid rather than the system call. */
    static boolean gettidExported() {
        return gettidMode == GETTID_EXPORTED;
    }

    public static native int getpid();

    /**
     * Forks the calling process. Runs the registered fork handlers. For tests and demos only: in the
     * child, call nothing but {@link #_exit(int)} (or other already-bound natives) — any Java work
     * there may hang forever (docs/DESIGN.md, What hangs a forked JVM child).
     *
     * @return the child's pid in the parent, 0 in the child, -1 on failure
     */
    public static native int fork();

    /** Ends the calling process at once, running no Java shutdown hooks and no atexit handlers. */
    public static native void _exit(int status);

    /**
     * Waits for a child to change state; {@code status[0]} receives the raw wait status, to be
     * decoded with {@link #exited(int)}, {@link #exitCode(int)}, {@link #signaled(int)} and
     * {@link #termSignal(int)}.
     *
     * @return the pid of the child, 0 with {@link #WNOHANG} when none changed, -1 on error
     */
    public static native int waitpid(int pid, int[] status, int options);

    /** Sends a signal; returns 0 on success, -1 on error. */
    public static native int kill(int pid, int sig);

    /**
     * Writes {@code count} bytes of {@code buf} to file descriptor {@code fd}. For a forked child,
     * which must report without {@code System.err} (its lock may be held by a vanished thread) or any
     * logging framework: one system call, no Java lock.
     */
    public static native long write(int fd, byte[] buf, long count);

    /** True when the wait status says the process exited by itself ({@code WIFEXITED}). */
    public static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    /** The exit code of a process that {@link #exited(int)} ({@code WEXITSTATUS}). */
    public static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    /** True when the wait status says a signal ended the process ({@code WIFSIGNALED}). */
    public static boolean signaled(int status) {
        int low = status & 0x7f;
        // 0 means exited, 0x7f means stopped rather than ended.
        return low != 0 && low != 0x7f;
    }

    /** The signal that ended a process that was {@link #signaled(int)} ({@code WTERMSIG}). */
    public static int termSignal(int status) {
        return status & 0x7f;
    }
}
