package dev.forkguard.probe;

import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * {@code HotSpotDiagnosticMXBean.dumpThreads(file, ThreadDumpFormat.JSON)} (JDK 21+), the one thread
 * dump that lists virtual threads, reached by reflection from Java 17 bytecode. Shared by the agent's
 * virtual-thread snapshot and the benchmark target that does the same without the agent.
 */
public final class JsonThreadDump {

    private final Object bean;
    private final Method dumpThreads;
    private final Object jsonFormat;

    private JsonThreadDump(Object bean, Method dumpThreads, Object jsonFormat) {
        this.bean = bean;
        this.dumpThreads = dumpThreads;
        this.jsonFormat = jsonFormat;
    }

    /** The dump of this JVM; null on JDK 17 to 20 or without {@code jdk.management}. */
    public static JsonThreadDump find() {
        try {
            Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            @SuppressWarnings({"unchecked", "rawtypes"})
            Class<? extends Enum> format = (Class<? extends Enum>) Class
                    .forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            @SuppressWarnings("unchecked")
            Object json = Enum.valueOf(format, "JSON");
            Method dumpThreads = beanType.getMethod("dumpThreads", String.class, format);
            Object bean = ManagementFactory.getPlatformMXBean(beanType.asSubclass(PlatformManagedObject.class));
            return bean == null ? null : new JsonThreadDump(bean, dumpThreads, json);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Writes every thread of the JVM, virtual ones included, to {@code file}, which must not exist. */
    public void writeTo(Path file) throws ReflectiveOperationException {
        dumpThreads.invoke(bean, file.toString(), jsonFormat);
    }
}
