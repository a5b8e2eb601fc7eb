package dev.forkguard.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the bridge classes, and only those, in the boot class loader, where advice inlined into
 * {@code java.lang.Thread} and {@code java.util.concurrent} can see them.
 *
 * <p>Why not {@link Instrumentation#appendToBootstrapClassLoaderSearch}: with class data sharing on
 * (the default), JDK 17 then prints "Sharing is only supported for boot loader classes because
 * bootstrap classpath has been appended" and stops sharing the application's classes, which slows
 * its start. Defining the few bridge classes directly with {@code jdk.internal.misc.Unsafe} (exported
 * to the agent alone, through {@link Instrumentation#redefineModule}) costs neither. Should that
 * fail on some JDK, the bridge alone is appended as a small jar, with the JVM's warning.
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
            "dev.forkguard.bridge.JdkLaunchDepth");

    private BootBridge() {}

    static void define(JarFile agentJar, Instrumentation inst) throws Exception {
        if (isDefined()) {
            return;
        }
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Collections.<Module>emptySet(),
                Map.of("jdk.internal.misc", Set.of(BootBridge.class.getModule())),
                Collections.<String, Set<Module>>emptyMap(), Collections.<Class<?>>emptySet(),
                Collections.<Class<?>, List<Class<?>>>emptyMap());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method defineClass = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (String name : CLASSES) {
            byte[] bytes = classBytes(agentJar, name);
            defineClass.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        }
        // Advice inlined into java.base calls the bridge: java.base must read its (unnamed) module.
        Module bridge = Class.forName(CLASSES.get(2), false, null).getModule();
        inst.redefineModule(javaBase, Set.of(bridge), Collections.<String, Set<Module>>emptyMap(),
                Collections.<String, Set<Module>>emptyMap(), Collections.<Class<?>>emptySet(),
                Collections.<Class<?>, List<Class<?>>>emptyMap());
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
