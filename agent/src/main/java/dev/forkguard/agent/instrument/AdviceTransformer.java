package dev.forkguard.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.Map;
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
 */
final class AdviceTransformer implements ClassFileTransformer {

    private final Map<String, AsmVisitorWrapper> byInternalName = new HashMap<>();
    private final Instrumentations.Result result;
    private final ByteBuddy byteBuddy = new ByteBuddy(ClassFileVersion.ofThisVm(ClassFileVersion.JAVA_V17))
            .with(TypeValidation.DISABLED)
            .with(Implementation.Context.Disabled.Factory.INSTANCE)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
            .with(InstrumentedType.Factory.Default.FROZEN);

    AdviceTransformer(Map<String, AsmVisitorWrapper> plan, Instrumentations.Result result) {
        for (Map.Entry<String, AsmVisitorWrapper> e : plan.entrySet()) {
            byInternalName.put(e.getKey().replace('.', '/'), e.getValue());
        }
        this.result = result;
    }

    boolean targets(String binaryName) {
        return byInternalName.containsKey(binaryName.replace('.', '/'));
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
            byte[] classFile) {
        if (loader != null || internalName == null) {
            return null; // only the JDK's own classes
        }
        AsmVisitorWrapper advice = byInternalName.get(internalName);
        if (advice == null) {
            return null;
        }
        String name = internalName.replace('/', '.');
        try {
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                    ClassFileLocator.ForClassLoader.ofBootLoader());
            TypeDescription type = TypePool.Default.of(locator).describe(name).resolve();
            byte[] out = byteBuddy.redefine(type, locator).visit(advice).make().getBytes();
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
}
