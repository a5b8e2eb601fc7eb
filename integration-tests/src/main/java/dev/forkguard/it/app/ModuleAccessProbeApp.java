package dev.forkguard.it.app;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessibleObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * Plain class-path code trying the JDK internals the agent itself uses: {@code jdk.internal.misc.Unsafe},
 * deep reflection into {@code java.lang} and {@code java.util.concurrent.locks}, and every package of
 * the boot layer exported or opened to the class path. Prints one line per probe, the same with and
 * without the agent when the agent leaks nothing. Arg (optional): a trigger file to wait for first
 * (so an agent can be attached before the probes run).
 */
public final class ModuleAccessProbeApp {

    private ModuleAccessProbeApp() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            System.out.println("app: ready " + ProcessHandle.current().pid());
            System.out.flush();
            Path trigger = Paths.get(args[0]);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(trigger) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        probe("jdk.internal.misc.Unsafe.getUnsafe()", new Callable<Object>() {
            @Override
            public Object call() throws Exception {
                return Class.forName("jdk.internal.misc.Unsafe").getMethod("getUnsafe").invoke(null);
            }
        });
        probe("setAccessible jdk.internal.misc.Unsafe.theUnsafe", "jdk.internal.misc.Unsafe", "theUnsafe", false);
        probe("setAccessible java.lang.String.value", "java.lang.String", "value", false);
        probe("setAccessible java.lang.Module.implAddEnableNativeAccess", "java.lang.Module",
                "implAddEnableNativeAccess", true);
        probe("setAccessible AbstractOwnableSynchronizer.exclusiveOwnerThread",
                "java.util.concurrent.locks.AbstractOwnableSynchronizer", "exclusiveOwnerThread", false);
        probe("privateLookupIn AbstractQueuedSynchronizer", new Callable<Object>() {
            @Override
            public Object call() throws Exception {
                return MethodHandles.privateLookupIn(AbstractQueuedSynchronizer.class, MethodHandles.lookup());
            }
        });
        Module self = ModuleAccessProbeApp.class.getModule();
        List<String> exported = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (Module m : ModuleLayer.boot().modules()) {
            for (String pkg : m.getPackages()) {
                if (m.isOpen(pkg, self)) {
                    open.add(m.getName() + "/" + pkg);
                } else if (m.isExported(pkg, self)) {
                    exported.add(m.getName() + "/" + pkg);
                }
            }
        }
        Collections.sort(exported);
        Collections.sort(open);
        System.out.println("exported to the class path (not open): " + exported.size() + " " + exported);
        System.out.println("open to the class path: " + open.size() + " " + open);
    }

    /** setAccessible on a private member; a method that this JDK lacks (before 22) is said so. */
    private static void probe(String what, final String className, final String member, final boolean method) {
        probe(what, new Callable<Object>() {
            @Override
            public Object call() throws Exception {
                Class<?> c = Class.forName(className);
                AccessibleObject m = method ? c.getDeclaredMethod(member) : c.getDeclaredField(member);
                m.setAccessible(true);
                return m;
            }
        });
    }

    private static void probe(String what, Callable<Object> attempt) {
        String outcome;
        try {
            attempt.call();
            outcome = "ALLOWED";
        } catch (Throwable t) {
            outcome = "denied (" + t.getClass().getName() + ")";
        }
        System.out.println(what + ": " + outcome);
    }
}
