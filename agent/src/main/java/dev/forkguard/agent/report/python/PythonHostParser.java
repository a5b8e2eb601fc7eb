package dev.forkguard.agent.report.python;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkguard.agent.report.python.PythonHost.PythonFrame;
import dev.forkguard.agent.report.python.PythonHost.PythonThread;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the text forkguard's Python hook hands over before a fork (JSON, written by
 * {@code python/forkguard/_context.py}). After the fork, on the reporter thread. The text comes from
 * the application: anything malformed yields null (the report then simply has no Python section),
 * and sizes are bounded.
 */
public final class PythonHostParser {

    /** The "host" the Python package writes; other hosts may hand over their own kinds later. */
    static final String HOST = "python";
    static final int MAX_THREADS = 10_000;
    static final int MAX_FRAMES = 256;

    /**
     * Built on the first hand-over only: every report is parsed here, and an {@code ObjectMapper} costs
     * hundreds of classes and about 13 MB of allocation, which a JVM with no Python host never needs
     * (docs/DESIGN.md, Start-up).
     */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private PythonHostParser() {}

    /** The Python view of a fork, or null when {@code text} is null or not a Python hand-over. */
    public static PythonHost parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode root = Mapper.INSTANCE.readTree(text);
            if (root == null || !HOST.equals(root.path("host").asText())) {
                return null;
            }
            List<String> files = new ArrayList<>();
            for (JsonNode f : root.path("files")) {
                files.add(f.asText());
            }
            List<PythonThread> vanishing = new ArrayList<>();
            for (JsonNode t : root.path("threads")) {
                if (vanishing.size() < MAX_THREADS) {
                    vanishing.add(thread(t, files));
                }
            }
            JsonNode forking = root.path("forkingThread");
            return new PythonHost(text(root, "version"), text(root, "implementation"), text(root, "startMethod"),
                    text(root, "forkedBy"), root.path("collectMicros").asLong(),
                    forking.isObject() ? thread(forking, files) : null, vanishing);
        } catch (Exception e) {
            return null;
        }
    }

    /** Frames come as [file index, line, function(, source line)], oldest first. */
    private static PythonThread thread(JsonNode t, List<String> files) {
        List<PythonFrame> stack = new ArrayList<>();
        JsonNode frames = t.path("frames");
        // Newest last, as Python prints it: when cut, keep the newest frames.
        int from = Math.max(0, frames.size() - MAX_FRAMES);
        for (int i = from; i < frames.size(); i++) {
            JsonNode f = frames.get(i);
            int file = f.path(0).asInt(-1);
            String code = f.path(3).isTextual() ? f.path(3).asText() : null;
            stack.add(new PythonFrame(file >= 0 && file < files.size() ? files.get(file) : "?", f.path(1).asInt(),
                    f.path(2).asText(), code == null || code.isEmpty() ? null : code));
        }
        JsonNode nativeId = t.path("nativeId");
        return new PythonThread(text(t, "name"), nativeId.canConvertToInt() ? nativeId.asInt() : null,
                t.path("daemon").asBoolean(), stack);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
