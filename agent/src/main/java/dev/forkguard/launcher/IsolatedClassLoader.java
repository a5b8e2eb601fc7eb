package dev.forkguard.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's internals and libraries from the {@code inst/} folder of the agent jar, where
 * classes are stored as {@code .classdata}. Nothing there is visible to the application's class
 * loaders, so its own SLF4J, Logback, Byte Buddy or Jackson, at any version, never meets ours.
 * JNA is the exception: it is delegated to a module layer of its own (see {@link JnaModuleLayer}).
 */
public final class IsolatedClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final String PREFIX = "inst/";
    private static final String JNA_PACKAGE = "com.sun.jna.";

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain protectionDomain;
    private volatile ClassLoader jnaLoader;
    /** Open while JNA's layer is being built on another thread; null when nobody builds one. */
    private volatile java.util.concurrent.CountDownLatch jnaPending;

    /**
     * @param jar the agent jar, kept open for the life of the loader
     * @param jarLocation where the jar lives, for code sources and resource URLs
     */
    public IsolatedClassLoader(JarFile jar, URL jarLocation) {
        // The platform loader reaches the JDK and, through the boot loader, the bridge.
        super("forkguard", ClassLoader.getPlatformClassLoader());
        this.jar = jar;
        this.jarUrl = "jar:" + jarLocation.toExternalForm() + "!/";
        this.protectionDomain =
                new ProtectionDomain(new CodeSource(jarLocation, (Certificate[]) null), null, this, null);
    }

    /**
     * JNA's layer is being built on another thread: until {@link #delegateJnaTo} or {@link #jnaUnavailable},
     * a {@code com.sun.jna} class waits for it rather than fail for good (a failed resolution sticks).
     */
    public void jnaPending() {
        this.jnaPending = new java.util.concurrent.CountDownLatch(1);
    }

    /** Sends every {@code com.sun.jna} class to the loader of the agent's own JNA module. */
    public void delegateJnaTo(ClassLoader loader) {
        this.jnaLoader = loader;
        jnaUnavailable();
    }

    /** No JNA layer will come: {@code com.sun.jna} classes are not found. */
    public void jnaUnavailable() {
        java.util.concurrent.CountDownLatch pending = jnaPending;
        if (pending != null) {
            pending.countDown();
        }
    }

    /** The agent jar, for code that reads entries (such as the bundled JNA jar) from it. */
    public JarFile jar() {
        return jar;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        ClassLoader jna = jnaLoader;
        if (jna == null && jnaPending != null && name.startsWith(JNA_PACKAGE)) {
            jna = awaitJna();
        }
        if (jna != null && name.startsWith(JNA_PACKAGE)) {
            return jna.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = getParent().loadClass(name);
                } catch (ClassNotFoundException notInJdk) {
                    c = findClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private ClassLoader awaitJna() {
        boolean interrupted = false;
        while (true) {
            try {
                jnaPending.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return jnaLoader;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = readAll(in, entry.getSize());
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        definePackageOf(name);
        return defineClass(name, bytes, 0, bytes.length, protectionDomain);
    }

    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot < 0) {
            return;
        }
        String pkg = className.substring(0, dot);
        if (getDefinedPackage(pkg) == null) {
            try {
                definePackage(pkg, null, null, null, null, null, null, null);
            } catch (IllegalArgumentException definedConcurrently) {
                // Another thread defined it first; that is fine.
            }
        }
    }

    @Override
    protected URL findResource(String name) {
        String entryName = entryNameOf(name);
        if (jar.getJarEntry(entryName) == null) {
            return null;
        }
        try {
            return new URL(jarUrl + entryName);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.<URL>emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        // Served straight from the open jar: Byte Buddy reads advice class files this way, often.
        JarEntry entry = jar.getJarEntry(entryNameOf(name));
        if (entry != null) {
            try {
                return jar.getInputStream(entry);
            } catch (IOException e) {
                return null;
            }
        }
        return super.getResourceAsStream(name);
    }

    private static String entryNameOf(String resource) {
        if (resource.endsWith(".class")) {
            return PREFIX + resource.substring(0, resource.length() - ".class".length()) + ".classdata";
        }
        return PREFIX + resource;
    }

    /**
     * Reads a class file into an array of its exact size when the jar says it: a growing buffer and its
     * copy made about four times each class's bytes of garbage, several MB before {@code main}, which all
     * stays resident in the touched young generation (docs/DESIGN.md, Start-up).
     */
    private static byte[] readAll(InputStream in, long size) throws IOException {
        if (size >= 0 && size < Integer.MAX_VALUE) {
            byte[] bytes = new byte[(int) size];
            if (in.readNBytes(bytes, 0, bytes.length) == bytes.length && in.read() < 0) {
                return bytes;
            }
            throw new IOException("a class file is not the size its jar entry says");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
