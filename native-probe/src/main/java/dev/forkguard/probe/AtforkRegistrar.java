package dev.forkguard.probe;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Installs fork handlers through the C library, because only they see every {@code fork()} in the
 * process, whoever calls it, at the moment it happens.
 *
 * <p>glibc does not export {@code pthread_atfork} (it is a static stub in libc_nonshared.a), so the
 * exported {@code __register_atfork} is tried first; musl exports {@code pthread_atfork} itself
 * (docs/DESIGN.md, Fork handlers from Java). No child handler is ever installed: running Java in a fresh child can hang, and
 * benign fork-then-exec children must not pay for it (docs/DESIGN.md, No child handler).
 */
public final class AtforkRegistrar {

    private static final String GLIBC_REGISTER = "__register_atfork";
    private static final String PTHREAD_ATFORK = "pthread_atfork";

    /**
     * The C library keeps only function pointers; JNA frees a callback's native trampoline once the
     * Java object is collected. Handlers cannot be unregistered, so they are kept forever.
     */
    private static final List<Object> KEPT = new ArrayList<>();

    private AtforkRegistrar() {
    }

    /**
     * Registers {@code prepare} (run before the clone) and {@code parent} (run in the parent after
     * it), both in the forking thread. Each call adds a pair that stays for the life of the process.
     *
     * @return the C library function used: {@code "__register_atfork"} or {@code "pthread_atfork"}
     * @throws ProbeUnavailableException when neither function exists or registration fails
     */
    public static synchronized String register(AtforkCallback prepare, AtforkCallback parent)
            throws ProbeUnavailableException {
        Objects.requireNonNull(prepare, "prepare");
        Objects.requireNonNull(parent, "parent");
        return registerHandlers(prepare, parent);
    }

    /**
     * Registers two C functions as {@code prepare} and {@code parent} handlers (those of
     * {@link AtforkLibrary}); the caller keeps their library loaded for the life of the process.
     */
    static synchronized String registerFunctions(Function prepare, Function parent)
            throws ProbeUnavailableException {
        Objects.requireNonNull(prepare, "prepare");
        Objects.requireNonNull(parent, "parent");
        return registerHandlers(prepare, parent);
    }

    /** {@code prepare} and {@code parent} are JNA callbacks or C functions, as JNA passes both. */
    private static String registerHandlers(Object prepare, Object parent) throws ProbeUnavailableException {
        Libc.bind();
        NativeLibrary c = Libc.cLibrary();

        Function glibc = lookup(c, GLIBC_REGISTER);
        Function posix = glibc == null ? lookup(c, PTHREAD_ATFORK) : null;
        if (glibc == null && posix == null) {
            throw new ProbeUnavailableException("forkguard cannot install fork handlers: the C"
                    + " library exports neither " + GLIBC_REGISTER + " nor " + PTHREAD_ATFORK);
        }
        String used = glibc != null ? GLIBC_REGISTER : PTHREAD_ATFORK;
        // Kept before the call: a fork in another thread may run the handlers as soon as they are in.
        KEPT.add(prepare);
        KEPT.add(parent);
        boolean registered = false;
        try {
            int rc;
            if (glibc != null) {
                // int __register_atfork(prepare, parent, child, void *dso_handle); a null dso
                // handle means no dlclose ever unregisters the handlers.
                rc = glibc.invokeInt(new Object[] {prepare, parent, null, null});
            } else {
                rc = posix.invokeInt(new Object[] {prepare, parent, null});
            }
            if (rc != 0) {
                // Both functions return an errno value (ENOMEM) rather than setting errno.
                throw new ProbeUnavailableException("forkguard cannot install fork handlers: " + used
                        + " returned " + rc);
            }
            registered = true;
        } catch (LinkageError | RuntimeException e) {
            throw new ProbeUnavailableException("forkguard cannot install fork handlers: calling "
                    + used + " failed: " + e, e);
        } finally {
            if (!registered) {
                KEPT.remove(KEPT.size() - 1);
                KEPT.remove(KEPT.size() - 1);
            }
        }
        return used;
    }

    private static Function lookup(NativeLibrary c, String name) {
        try {
            return c.getFunction(name);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }
}
