package dev.forkguard.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines Byte Buddy {@code Advice} into a few boot classes. The class shape never changes (no new
 * members, no type initializer), which retransformation requires.
 *
 * <p>Why not {@code AgentBuilder}: merely constructing one sets up its self-injection machinery,
 * which touches {@code sun.misc.Unsafe}, and JDK 24+ prints a deprecation warning for that into the
 * application's output. For a fixed list of JDK classes, a plain transformer does the same work.
 *
 * <p>Byte Buddy runs only when a class is not in the {@link TransformCache}: on a start with a warm
 * cache, only the two of its types that this class's code names get loaded.
 */
final class AdviceTransformer implements ClassFileTransformer {

    private final Set<String> targets;
    private final Instrumentations.Result result;
    private final TransformCache cache;
    /** Woven classes for targets not loaded yet, by internal name, each used once. */
    private final Map<String, Ready> ready = new ConcurrentHashMap<>();
    private volatile boolean wove;

    private static final class Ready {
        final int length;
        final long crc;
        final byte[] woven;

        Ready(byte[] original, byte[] woven) {
            this.length = original.length;
            this.crc = crc(original);
            this.woven = woven;
        }
    }

    /**
     * @param targets internal names of the classes to transform
     * @param cache where transformed classes are kept across starts, or null
     */
    AdviceTransformer(Set<String> targets, Instrumentations.Result result, TransformCache cache) {
        this.targets = targets;
        this.result = result;
        this.cache = cache;
    }

    boolean targets(String binaryName) {
        return targets.contains(binaryName.replace('.', '/'));
    }

    /** Keeps {@code woven} for when the JVM loads {@code binaryName} with class file {@code original}. */
    void ready(String binaryName, byte[] original, byte[] woven) {
        ready.put(binaryName.replace('.', '/'), new Ready(original, woven));
    }

    /** True once Byte Buddy had to weave a class in this JVM (a cache miss). */
    boolean wove() {
        return wove;
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
            byte[] classFile) {
        if (loader != null || internalName == null || !targets.contains(internalName)) {
            return null; // only the JDK's own classes, and only the targets
        }
        String name = internalName.replace('/', '.');
        try {
            byte[] out = null;
            Ready r = redefined == null ? ready.remove(internalName) : null;
            if (r != null && r.length == classFile.length && r.crc == crc(classFile)) {
                out = r.woven; // a first load: no file access, no Byte Buddy inside it
            }
            if (out == null && cache != null) {
                out = cache.get(name, classFile);
            }
            if (out == null) {
                out = weave(name, classFile);
                if (cache != null) {
                    cache.put(name, classFile, out);
                }
            }
            synchronized (result) {
                result.transformed.add(name);
            }
            return out;
        } catch (Throwable t) {
            synchronized (result) {
                result.errors.add(name + ": " + t);
            }
            return null; // the class stays as it was; the application is unaffected
        }
    }

    /** Weaves the advice into {@code classFile}: the slow path, with Byte Buddy. */
    byte[] weave(String name, byte[] classFile) {
        wove = true;
        AsmVisitorWrapper advice = Weaver.PLAN.get(name);
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                ClassFileLocator.ForClassLoader.ofBootLoader());
        TypeDescription type = TypePool.Default.of(locator).describe(name).resolve();
        return Weaver.BYTE_BUDDY.redefine(type, locator).visit(advice).make().getBytes();
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length);
        return crc.getValue();
    }

    /** Holds what loads Byte Buddy, so that it is loaded on the first weaving only (class initialisation is lazy). */
    private static final class Weaver {
        static final Map<String, AsmVisitorWrapper> PLAN = new HashMap<>(Instrumentations.plan());
        static final ByteBuddy BYTE_BUDDY = new ByteBuddy(ClassFileVersion.ofThisVm(ClassFileVersion.JAVA_V17))
                .with(TypeValidation.DISABLED)
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                .with(InstrumentedType.Factory.Default.FROZEN);
    }
}
