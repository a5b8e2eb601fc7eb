package dev.forkguard.agent.snapshot;

import dev.forkguard.agent.child.SafepointGate;
import dev.forkguard.probe.JsonThreadDump;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the virtual threads with their stacks, held monitors and thread containers, through
 * {@code HotSpotDiagnosticMXBean.dumpThreads(file, JSON)} (JDK 21+): {@code ThreadMXBean} leaves
 * virtual threads out. Runs after the fork, on the reporter thread, never in the fork window: it
 * writes a file and takes each thread's stack in turn, which grows with the number of virtual threads
 * (docs/DESIGN.md, Virtual threads and many threads). The file goes to a fresh
 * 0700 directory and is deleted once read; it is parsed as a stream, so the heap never holds its tree.
 */
public final class VirtualThreadDump {

    /** Jackson is loaded only when a dump is read: on JDK 17 to 20 never, so none of its classes are held. */
    private static final class Json {
        static final JsonFactory FACTORY = new JsonFactory();
    }
    private static volatile JsonThreadDump dump;

    private VirtualThreadDump() {}

    /** Resolves {@code dumpThreads}; false on JDK 17 to 20 or without {@code jdk.management}. */
    public static boolean init() {
        dump = JsonThreadDump.find();
        return dump != null;
    }

    private static volatile boolean warmedUp;

    /**
     * One throw-away dump, the first time virtual threads are seen: the first call in a JVM is several
     * times slower than later ones (class loading, cold code), so a fork's dump is then that much
     * closer to the fork (docs/DESIGN.md, Virtual threads and many threads).
     */
    public static void warmUpOnce() {
        if (warmedUp || !available()) {
            return;
        }
        warmedUp = true;
        try {
            now();
        } catch (IOException | RuntimeException e) {
            // Only a warm-up: the fork's own dump says whatever went wrong.
        }
    }

    public static boolean available() {
        return dump != null;
    }

    /** Every virtual thread the JVM lists now, or an empty list when it cannot tell. */
    public static List<VirtualThreadInfo> now() throws IOException {
        if (!available()) {
            return List.of();
        }
        Path dir = Files.createTempDirectory("forkguard-threads-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve("threads.json");
        try {
            // A thread dump is a safepoint: kept apart from clones in flight (see SafepointGate).
            SafepointGate.dumpStarting();
            try {
                dump.writeTo(file);
            } finally {
                SafepointGate.dumpDone();
            }
            return parse(file);
        } catch (ReflectiveOperationException e) {
            throw new IOException("dumpThreads failed: " + e.getCause(), e);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    static List<VirtualThreadInfo> parse(Path file) throws IOException {
        List<VirtualThreadInfo> out = new ArrayList<>();
        try (JsonParser p = Json.FACTORY.createParser(file.toFile())) {
            String container = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.FIELD_NAME) {
                    continue;
                }
                String field = p.getCurrentName();
                if ("container".equals(field)) {
                    p.nextToken();
                    container = p.getValueAsString();
                } else if ("threads".equals(field) && p.nextToken() == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        VirtualThreadInfo info = thread(p, container);
                        if (info != null) {
                            out.add(info);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** One element of a container's "threads"; null for a platform thread. */
    private static VirtualThreadInfo thread(JsonParser p, String container) throws IOException {
        long id = -1;
        boolean virtual = false;
        String name = "";
        String state = "UNKNOWN";
        List<String> stack = new ArrayList<>();
        List<VirtualThreadInfo.Monitor> monitors = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.getCurrentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "tid":
                    id = Long.parseLong(p.getValueAsString("-1"));
                    break;
                case "virtual":
                    virtual = value == JsonToken.VALUE_TRUE;
                    break;
                case "name":
                    name = p.getValueAsString("");
                    break;
                case "state":
                    state = p.getValueAsString("UNKNOWN");
                    break;
                case "stack":
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        stack.add(withoutModule(p.getText()));
                    }
                    break;
                case "monitorsOwned":
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        int depth = -1;
                        List<String> locks = new ArrayList<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.getCurrentName();
                            p.nextToken();
                            if ("depth".equals(f)) {
                                depth = p.getValueAsInt(-1);
                            } else if ("locks".equals(f)) {
                                while (p.nextToken() == JsonToken.VALUE_STRING) {
                                    locks.add(p.getText());
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                        for (String lock : locks) {
                            monitors.add(new VirtualThreadInfo.Monitor(lock, depth));
                        }
                    }
                    break;
                default:
                    p.skipChildren();
            }
        }
        return virtual && id >= 0 ? new VirtualThreadInfo(id, name, state, stack, monitors, container) : null;
    }

    /**
     * "java.base/java.lang.Thread.sleep(Thread.java:540)" as the agent's other stacks show it,
     * without module or class loader ("app//"): the leading segments before a '/' that are not a
     * hidden class's suffix ({@code Foo$$Lambda/0x...}).
     */
    static String withoutModule(String frame) {
        int paren = frame.indexOf('(');
        String head = paren < 0 ? frame : frame.substring(0, paren);
        int from = 0;
        int slash;
        while ((slash = head.indexOf('/', from)) >= 0 && head.substring(from, slash).indexOf('$') < 0
                && !head.startsWith("0x", slash + 1)) {
            from = slash + 1;
        }
        return frame.substring(from);
    }
}
