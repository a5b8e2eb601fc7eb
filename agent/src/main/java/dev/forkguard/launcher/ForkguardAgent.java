package dev.forkguard.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import java.util.jar.JarFile;

/**
 * The agent's entry point, for {@code -javaagent:} and for attach. It defines the bridge in the boot
 * loader (so instrumented JDK classes can call it), builds the isolated class loader, and hands over
 * to the agent's internals. Whatever fails, it prints one line and the application runs on.
 */
public final class ForkguardAgent {

    private static final String INSTALLER = "dev.forkguard.agent.startup.AgentInstaller";
    private static final String PROBE_START = "dev.forkguard.agent.startup.ProbeStart";

    /** The installer class inside the isolated loader once started; guarded by the class lock. */
    private static Class<?> installer;

    private ForkguardAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static synchronized void start(String args, Instrumentation inst, boolean attached) {
        try {
            if (installer != null) {
                // A second -javaagent or attach: the running agent applies what can change.
                installer.getMethod("reapply", String.class).invoke(null, args);
                return;
            }
            URL location = agentJarLocation();
            File jarFile = new File(location.toURI());
            IsolatedClassLoader loader = new IsolatedClassLoader(new JarFile(jarFile), location);
            UserCache cache = UserCache.open();
            // JNA's start (its layer, its native library, the probe's binding) and the installer's
            // first steps (options, logging) need nothing of each other: the helper thread does the
            // first while this thread does the second; the installer waits for the probe before it
            // goes further, so premain still returns with the agent fully started.
            loader.jnaPending();
            FutureTask<String> probe = new FutureTask<>(new Callable<String>() {
                @Override
                public String call() throws ReflectiveOperationException {
                    return startProbe(loader, inst, cache, attached);
                }
            });
            Thread helper = new Thread(probe, "forkguard-start");
            helper.setDaemon(true);
            helper.start();
            BootBridge.define(loader, inst);
            Class<?> c = loader.loadClass(INSTALLER);
            Method install = c.getMethod("install", String.class, Instrumentation.class, boolean.class,
                    String.class, Future.class, Supplier.class, String.class);
            Supplier<String> nativeAccessProblem = new Supplier<String>() {
                @Override
                public String get() {
                    return JnaModuleLayer.nativeAccessProblem();
                }
            };
            install.invoke(null, args, inst, attached, implementationVersion(loader.jar()), probe,
                    nativeAccessProblem, cache == null ? null : fingerprint(jarFile, loader.jar()));
            // Its work is done by now; gone before premain returns, it can appear in no fork report.
            helper.join();
            installer = c;
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            System.err.println("forkguard: could not start (" + cause + "); the application continues unmonitored");
        }
    }

    /** Loads JNA and binds the probe; returns why the probe is unavailable, or null. */
    private static String startProbe(IsolatedClassLoader loader, Instrumentation inst, UserCache cache,
            boolean attached) throws ReflectiveOperationException {
        String jnaProblem = null;
        try {
            loader.delegateJnaTo(JnaModuleLayer.load(loader, inst, cache, !attached));
        } catch (Exception | LinkageError e) {
            jnaProblem = "JNA could not be loaded (" + e + ")";
        } finally {
            loader.jnaUnavailable();
        }
        return (String) loader.loadClass(PROBE_START).getMethod("problem", String.class).invoke(null, jnaProblem);
    }

    static URL agentJarLocation() {
        return ForkguardAgent.class.getProtectionDomain().getCodeSource().getLocation();
    }

    /**
     * Identifies the jar's content, so cached work made by another build of the agent is never taken for
     * this one's: a CRC-32 of its central directory (every entry's name, CRC-32, sizes and time), read in
     * one piece. Walking the entries instead cost about 40 ms before {@code main} (docs/DESIGN.md, The user cache).
     */
    static String fingerprint(File file, JarFile jar) {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file, "r")) {
            long length = f.length();
            int tail = (int) Math.min(length, END_RECORD + 0xFFFF);
            byte[] end = new byte[tail];
            f.seek(length - tail);
            f.readFully(end);
            for (int i = tail - END_RECORD; i >= 0; i--) {
                if (end[i] == 'P' && end[i + 1] == 'K' && end[i + 2] == 5 && end[i + 3] == 6) {
                    long size = le32(end, i + 12);
                    long offset = le32(end, i + 16);
                    // Zip64 marks (0xFFFFFFFF) or a directory not where it should be: the slow way.
                    if (size > 0 && size < (1 << 26) && offset + size == length - tail + i) {
                        byte[] directory = new byte[(int) size];
                        f.seek(offset);
                        f.readFully(directory);
                        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                        crc.update(directory);
                        return Long.toHexString(crc.getValue());
                    }
                    break;
                }
            }
        } catch (java.io.IOException e) {
            // the slow way
        }
        return entriesFingerprint(jar);
    }

    /** The end-of-central-directory record without its comment. */
    private static final int END_RECORD = 22;

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    /** The names and checksums of every entry, through the jar's own listing. */
    static String entriesFingerprint(JarFile jar) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12);
        for (java.util.Enumeration<java.util.jar.JarEntry> e = jar.entries(); e.hasMoreElements();) {
            java.util.jar.JarEntry entry = e.nextElement();
            b.clear();
            b.putInt(entry.getName().hashCode()).putLong(entry.getCrc());
            crc.update(b.array());
        }
        return Long.toHexString(crc.getValue());
    }

    static String implementationVersion(JarFile jar) {
        try {
            String v = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            return v == null ? "unknown" : v;
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
