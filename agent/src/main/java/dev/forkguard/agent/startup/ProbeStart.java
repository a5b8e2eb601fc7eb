package dev.forkguard.agent.startup;

import dev.forkguard.probe.Libc;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Binds the native probe. The launcher runs this on a helper thread while the installer reads the
 * options and builds the logging: binding is the slowest step of the start (JNA's classes, native
 * library and function registration), and the two need nothing of each other.
 */
public final class ProbeStart {

    private ProbeStart() {}

    /**
     * Called reflectively by the launcher once JNA's layer is loaded, or failed to.
     *
     * @param jnaProblem why JNA could not be loaded, or null
     * @return why the probe is unavailable, or null when it is bound
     */
    public static String problem(String jnaProblem) {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return "fork handlers need Linux, this is " + os;
        }
        if (jnaProblem != null) {
            return jnaProblem;
        }
        try {
            Libc.bind();
            // Optional: without it the Java handlers are used (AgentInstaller says which).
            AtforkLibraryStart.load();
            return null;
        } catch (Exception | LinkageError e) {
            return "the native probe could not load (" + e.getMessage() + ")";
        }
    }

    /** Waits for {@link #problem} run on the helper thread; returns its answer. */
    static String await(Future<String> probeStart) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return probeStart.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() instanceof InvocationTargetException ? e.getCause().getCause()
                            : e.getCause();
                    return "the native probe could not load (" + cause + ")";
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
