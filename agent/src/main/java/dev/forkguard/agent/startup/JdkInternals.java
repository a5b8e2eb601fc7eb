package dev.forkguard.agent.startup;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The launcher's two uses of JDK internals: defining the bridge in the boot loader
 * ({@code jdk.internal.misc.Unsafe}) and granting native access to the agent's JNA module
 * ({@code Module.implAddEnableNativeAccess}, JDK 22+).
 *
 * <p>Why here: an export or open made with {@link Instrumentation#redefineModule} goes to a module, and
 * every class of that module gains it. The launcher's classes live in the application class loader's
 * unnamed module, together with the whole class path; granting to them gave every application class
 * {@code Unsafe} and deep reflection into {@code java.lang}. This class is loaded by the agent's
 * isolated loader, whose unnamed module holds only the agent's own classes, so the grants go there.
 */
public final class JdkInternals {

    private JdkInternals() {}

    /**
     * Defines the given classes, in order, in the boot loader, then lets {@code java.base} read their
     * module (advice inlined into JDK classes calls them).
     *
     * @param names binary class names, an interface before the classes that implement it
     * @param bytes their class files, parallel to {@code names}
     */
    public static void defineInBootLoader(Instrumentation inst, String[] names, byte[][] bytes) throws Exception {
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Collections.<Module>emptySet(),
                Map.of("jdk.internal.misc", Set.of(JdkInternals.class.getModule())),
                Collections.<String, Set<Module>>emptyMap(), Collections.<Class<?>>emptySet(),
                Collections.<Class<?>, List<Class<?>>>emptyMap());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method defineClass = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (int i = 0; i < names.length; i++) {
            defineClass.invoke(unsafe, names[i], bytes[i], 0, bytes[i].length, null, null);
        }
        Module bridge = Class.forName(names[0], false, null).getModule();
        inst.redefineModule(javaBase, Set.of(bridge), Collections.<String, Set<Module>>emptyMap(),
                Collections.<String, Set<Module>>emptyMap(), Collections.<Class<?>>emptySet(),
                Collections.<Class<?>, List<Class<?>>>emptyMap());
    }

    /**
     * Grants native access to {@code module} alone (JDK 22+; earlier JDKs have neither the warning
     * nor the method): {@code java.lang} is opened to this class's module for the one private call.
     */
    public static void enableNativeAccess(Instrumentation inst, Module module) throws ReflectiveOperationException {
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Collections.<Module>emptySet(), Collections.<String, Set<Module>>emptyMap(),
                Map.of("java.lang", Set.of(JdkInternals.class.getModule())), Collections.<Class<?>>emptySet(),
                Collections.<Class<?>, List<Class<?>>>emptyMap());
        Method grant = Module.class.getDeclaredMethod("implAddEnableNativeAccess");
        grant.setAccessible(true);
        grant.invoke(module);
    }
}
