package dev.forkguard.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * The agent's entry point, for {@code -javaagent:} and for attach. It defines the bridge in the boot
 * loader (so instrumented JDK classes can call it), builds the isolated class loader, and hands over
 * to the agent's internals. Whatever fails, it prints one line and the application runs on.
 */
public final class ForkguardAgent {

    private static final String INSTALLER = "dev.forkguard.agent.startup.AgentInstaller";

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
            BootBridge.define(loader.jar(), inst);
            UserCache cache = UserCache.open();
            String jnaProblem = null;
            try {
                loader.delegateJnaTo(JnaModuleLayer.load(loader.jar(), inst, cache, !attached));
            } catch (Exception | LinkageError e) {
                jnaProblem = "JNA could not be loaded (" + e + ")";
            }
            Class<?> c = loader.loadClass(INSTALLER);
            Method install = c.getMethod("install", String.class, Instrumentation.class, boolean.class,
                    String.class, String.class, String.class, String.class);
            install.invoke(null, args, inst, attached, implementationVersion(loader.jar()), jnaProblem,
                    JnaModuleLayer.nativeAccessProblem(), cache == null ? null : fingerprint(loader.jar()));
            installer = c;
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            System.err.println("forkguard: could not start (" + cause + "); the application continues unmonitored");
        }
    }

    static URL agentJarLocation() {
        return ForkguardAgent.class.getProtectionDomain().getCodeSource().getLocation();
    }

    /**
     * Identifies the jar's content from the checksums its central directory already holds, without
     * reading any entry: cached work made by another build of the agent is never taken for this one's.
     */
    static String fingerprint(JarFile jar) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12);
        for (java.util.Enumeration<java.util.jar.JarEntry> e = jar.entries(); e.hasMoreElements();) {
            java.util.jar.JarEntry entry = e.nextElement();
            b.clear();
            b.putInt(entry.getName().hashCode()).putLong(entry.getCrc());
            crc.update(b.array());
        }
        return String.format("%08x", crc.getValue());
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
