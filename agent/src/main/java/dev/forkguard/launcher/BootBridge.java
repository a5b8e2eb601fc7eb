package dev.forkguard.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the bridge classes, and only those, in the boot class loader, where advice inlined into
 * {@code java.lang.Thread} and {@code java.util.concurrent} can see them.
 *
 * <p>Why not {@link Instrumentation#appendToBootstrapClassLoaderSearch}: with class data sharing on
 * (the default), JDK 17 then prints "Sharing is only supported for boot loader classes because
 * bootstrap classpath has been appended" and stops sharing the application's classes, which slows
 * its start. Defining the few bridge classes directly with {@code jdk.internal.misc.Unsafe} costs
 * neither. That is done by {@code JdkInternals}, inside the isolated loader, so that the export it
 * needs goes to the agent's module and not to this launcher's, the application loader's unnamed module.
 */
final class BootBridge {

    /** In definition order: an interface before the classes that implement it. */
    private static final List<String> CLASSES = List.of(
            "dev.forkguard.bridge.ForkguardHooks",
            "dev.forkguard.bridge.OrphanedLockError",
            "dev.forkguard.bridge.ForkguardBridge",
            "dev.forkguard.bridge.ForkguardBridge$1",
            "dev.forkguard.bridge.ForkguardBridge$2",
            "dev.forkguard.bridge.ForkguardBridge$NoHooks",
            "dev.forkguard.bridge.HostForkContext",
            "dev.forkguard.bridge.JdkLaunchDepth");

    private static final String JDK_INTERNALS = "dev.forkguard.agent.startup.JdkInternals";

    private BootBridge() {}

    static void define(IsolatedClassLoader loader, Instrumentation inst) throws Exception {
        if (isDefined()) {
            return;
        }
        String[] names = CLASSES.toArray(new String[0]);
        byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = classBytes(loader.jar(), names[i]);
        }
        loader.loadClass(JDK_INTERNALS).getMethod("defineInBootLoader", Instrumentation.class, String[].class,
                byte[][].class).invoke(null, inst, names, bytes);
    }

    static boolean isDefined() {
        try {
            Class.forName(CLASSES.get(2), false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static byte[] classBytes(JarFile jar, String className) throws IOException {
        JarEntry entry = jar.getJarEntry("inst/" + className.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new IOException("the agent jar has no bridge class " + className);
        }
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }
}
