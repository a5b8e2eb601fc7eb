package dev.forkguard.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's JNA as the named module {@code com.sun.jna} in a module layer of its own (JDK 22+;
 * before, in a plain loader of its own, with no native access to grant).
 *
 * <p>Why (docs/DESIGN.md, Native access without warnings): on JDK 24+ JNA's {@code System.load} makes the JVM print restricted-method
 * warnings. The {@code Enable-Native-Access} manifest attribute is ignored for agent jars, and
 * {@code --enable-native-access} is the user's flag, not ours. Native access can be granted to one
 * named module, though: open {@code java.lang} to the agent's isolated loader with
 * {@link Instrumentation#redefineModule} and call {@code Module.implAddEnableNativeAccess()} on the JNA
 * module alone ({@code JdkInternals}, there: never to this launcher's module, which is the whole class
 * path's). The application's own modules and its own JNA gain nothing. JNA cannot be relocated (its native library names
 * {@code com/sun/jna}), so a separate layer is also what keeps it apart from the application's JNA.
 */
final class JnaModuleLayer {

    private static final String JNA_MODULE = "com.sun.jna";
    private static final String JNA_ENTRY = "inst/jna.jar";
    private static final String JDK_INTERNALS = "dev.forkguard.agent.startup.JdkInternals";

    private static volatile String nativeAccessProblem;

    private JnaModuleLayer() {}

    /**
     * Defines the layer from the bundled JNA jar, taken from the user cache when it holds a verified
     * copy, else extracted to a private temporary directory; returns the layer's loader.
     *
     * @param inst null for the CLI, which never calls native code
     * @param cache the user cache, or null
     * @param beforeMain true under {@code -javaagent}: no application thread runs yet, so JNA's start-up
     *        properties can be set for a moment without anybody else reading them
     */
    static ClassLoader load(IsolatedClassLoader agent, Instrumentation inst, UserCache cache, boolean beforeMain)
            throws IOException {
        JarFile agentJar = agent.jar();
        JarEntry entry = agentJar.getJarEntry(JNA_ENTRY);
        if (entry == null) {
            throw new IOException("the agent jar has no " + JNA_ENTRY);
        }
        Path jnaJar = cache == null ? null : cached(agentJar, entry, cache);
        if (jnaJar == null) {
            jnaJar = extract(agentJar, entry);
        }
        if (Runtime.version().feature() < 22) {
            // No grant to make before JDK 22, so no named module is needed, and resolving one is about a
            // third of JNA's start (docs/DESIGN.md, Start-up): a loader of its own still keeps it apart.
            ClassLoader loader = new URLClassLoader("forkguard-jna", new URL[] {jnaJar.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            if (inst != null && beforeMain && cache != null) {
                JnaQuickStart.initialize(loader, jnaJar, cache);
            }
            return loader;
        }
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration =
                boot.configuration().resolve(ModuleFinder.of(jnaJar), ModuleFinder.of(), Set.of(JNA_MODULE));
        ModuleLayer layer = boot.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
        Module jna = layer.findModule(JNA_MODULE).orElseThrow(() -> new IOException("no module " + JNA_MODULE));
        if (inst != null) {
            enableNativeAccess(jna, inst, agent);
        }
        ClassLoader loader = layer.findLoader(JNA_MODULE);
        if (inst != null && beforeMain && cache != null) {
            JnaQuickStart.initialize(loader, jnaJar, cache);
        }
        return loader;
    }

    private static Path cached(JarFile agentJar, JarEntry entry, UserCache cache) {
        String name = "jna-" + Long.toHexString(entry.getCrc()) + ".jar";
        // Never pruned: a JVM with another agent version may be about to open its own copy. One file
        // per JNA version.
        try (InputStream in = agentJar.getInputStream(entry)) {
            return cache.file(name, entry.getSize(), entry.getCrc(), in);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Path extract(JarFile agentJar, JarEntry entry) throws IOException {
        // ModuleFinder needs a real file. A 0700 directory keeps other users from swapping it.
        Path dir = Files.createTempDirectory("forkguard-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path target = dir.resolve("jna.jar");
        try (InputStream in = agentJar.getInputStream(entry)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        target.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return target;
    }

    /** JDK 22+ only; earlier JDKs have neither the warning nor the method. */
    private static void enableNativeAccess(Module jna, Instrumentation inst, IsolatedClassLoader agent) {
        if (Runtime.version().feature() < 22) {
            return;
        }
        try {
            agent.loadClass(JDK_INTERNALS).getMethod("enableNativeAccess", Instrumentation.class, Module.class)
                    .invoke(null, inst, jna);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // The JVM will print its own warning when JNA loads; the agent still works and says why.
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            nativeAccessProblem = cause.toString();
        }
    }

    /** Why native access could not be granted to the agent's JNA, or null when it was (or was not needed). */
    static String nativeAccessProblem() {
        return nativeAccessProblem;
    }
}
