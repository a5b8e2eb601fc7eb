package dev.forkguard.launcher;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Initialises the agent's JNA before {@code main} without its two slow steps (see docs/DESIGN.md,
 * Start-up):
 * <ul>
 *   <li>{@code Native} unpacks {@code libjnidispatch.so} from its jar into a new temporary file at every
 *   start. Here it loads a verified copy kept in the user cache instead, named for its checksum
 *   ({@code jna.boot.library.path} and {@code jna.boot.library.name} point at it).</li>
 *   <li>{@code NativeLibrary}'s static initialiser runs {@code /sbin/ldconfig -p} to build a search
 *   path, unless {@code jna.platform.library.path} is set. The agent only ever opens the process
 *   itself ({@code dlopen(NULL)}), which searches nothing, so the property is set empty.</li>
 * </ul>
 * The properties are set only for the moment of the class initialisation and removed after, so the
 * application's own JNA, if any, sees none of them (JNA itself would otherwise leave its computed
 * {@code jna.platform.library.path} behind). This runs before {@code main} only: no application
 * thread exists that could read them meanwhile. Any JNA property the user set is respected: then JNA
 * goes its usual way. Whatever fails here, JNA's own way is still taken when the probe binds.
 */
final class JnaQuickStart {

    private static final String[] USER_CHOICES = {
        "jna.boot.library.path", "jna.boot.library.name", "jna.nosys", "jna.nounpack", "jna.noclasspath",
        "jna.tmpdir", "jna.debug_load", "jna.debug_load.jna"
    };
    private static final String PLATFORM_PATH = "jna.platform.library.path";

    private JnaQuickStart() {}

    static void initialize(ClassLoader jnaLoader, Path jnaJar, UserCache cache) {
        for (String p : USER_CHOICES) {
            if (System.getProperty(p) != null) {
                return;
            }
        }
        try {
            String libName = cachedDispatchLibrary(jnaLoader, jnaJar, cache);
            if (libName == null) {
                return;
            }
            System.setProperty("jna.boot.library.path", cache.directory().toString());
            System.setProperty("jna.boot.library.name", libName);
            try {
                Class.forName("com.sun.jna.Native", true, jnaLoader);
            } finally {
                System.clearProperty("jna.boot.library.path");
                System.clearProperty("jna.boot.library.name");
            }
            if (System.getProperty(PLATFORM_PATH) == null) {
                System.setProperty(PLATFORM_PATH, "");
                try {
                    Class.forName("com.sun.jna.NativeLibrary", true, jnaLoader);
                } finally {
                    System.clearProperty(PLATFORM_PATH);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // JNA's usual start-up follows when the probe binds, and reports what goes wrong there.
        }
    }

    /** Puts JNA's native library for this platform into the cache; returns its name for JNA, or null. */
    private static String cachedDispatchLibrary(ClassLoader jnaLoader, Path jnaJar, UserCache cache)
            throws ReflectiveOperationException {
        // Platform's initialiser reads system properties only; it loads nothing native.
        String prefix = (String) Class.forName("com.sun.jna.Platform", true, jnaLoader)
                .getField("RESOURCE_PREFIX").get(null);
        try (JarFile jar = new JarFile(jnaJar.toFile())) {
            JarEntry entry = jar.getJarEntry("com/sun/jna/" + prefix + "/" + System.mapLibraryName("jnidispatch"));
            if (entry == null) {
                return null;
            }
            String libName = "jnidispatch-" + Long.toHexString(entry.getCrc());
            String fileName = System.mapLibraryName(libName);
            try (InputStream in = jar.getInputStream(entry)) {
                if (cache.file(fileName, entry.getSize(), entry.getCrc(), in) == null) {
                    return null;
                }
            }
            return libName;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
