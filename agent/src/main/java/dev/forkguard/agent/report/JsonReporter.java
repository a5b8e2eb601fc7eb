package dev.forkguard.agent.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;

/**
 * Writes one JSON file per fork ({@code forkguard-<pid>-<run>-<sequence>.json}) into the report
 * directory, where {@code run} is the JVM's start time in clock ticks since boot: a JVM that is pid 1
 * in every container run, or two JVMs with one pid in two pid namespaces sharing the directory, still
 * get names of their own (should even that collide, the report takes a name with a random suffix).
 * Files are created 0600 with {@code O_CREAT|O_EXCL|O_NOFOLLOW} under a temporary name, then published
 * with a hard link, which fails rather than replace anything already at the final name: readers never
 * see half a file, and a planted symlink or file is never written through or overwritten. Pruning
 * ({@code maxReports}) deletes only files this reporter wrote.
 */
public final class JsonReporter implements Reporter {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final String run;
    private final int maxReports;
    private final Logger log;
    /** The files this reporter published, by fork sequence, oldest first; guarded by this. */
    private final LinkedHashMap<Long, Path> written = new LinkedHashMap<>();

    /**
     * @param run what tells this JVM from earlier and other JVMs with the same pid: its start time
     * @param maxReports most of this JVM's report files kept in {@code dir}; older ones are deleted
     */
    public JsonReporter(Path dir, String run, int maxReports, Logger log) {
        this.dir = dir;
        this.run = run;
        this.maxReports = maxReports;
        this.log = log;
    }

    /** The file name of a report, without the suffix a collision adds. */
    public static String fileName(int pid, String run, long sequence) {
        return "forkguard-" + pid + "-" + run + "-" + sequence + ".json";
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    @Override
    public void report(ForkReport report) {
        write(report, false);
    }

    /**
     * Replaces this agent's own report with the updated one by an atomic rename; a rename replaces
     * a link planted at the name rather than following it. Skipped when the first write did not happen.
     */
    @Override
    public void update(ForkReport report) {
        write(report, true);
    }

    @Override
    public void warmUp(ForkReport sample) {
        try {
            MAPPER.writeValueAsBytes(sample);
        } catch (IOException e) {
            log.debug("forkguard: JSON warm-up failed: {}", e.toString());
        }
    }

    private synchronized void write(ForkReport report, boolean replace) {
        Path target = replace ? written.get(report.sequence())
                : dir.resolve(fileName(report.parentPid(), run, report.sequence()));
        if (target == null) {
            return; // the first write did not happen, or the file was pruned
        }
        String name = target.getFileName().toString();
        Path temp = dir.resolve("." + name + (replace ? ".update" : "") + ".tmp");
        try {
            if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                log.warn("forkguard: report directory {} is no longer a plain directory; report {} not written", dir,
                        name);
                return;
            }
            if (replace && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (OutputStream out = OwnerOnlyFile.createNew(temp)) {
                MAPPER.writeValue(out, report);
            }
            if (replace) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            Path published = publish(temp, target, report.sequence());
            if (published != null) {
                written.put(report.sequence(), published);
                prune();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("forkguard: could not write report {}: {}", target, e.toString());
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Best effort: a leftover temp file holds nothing the report would not.
            }
        }
    }

    /** Links {@code temp} at {@code target}, or when that name is taken at a name of its own; null if neither. */
    private Path publish(Path temp, Path target, long sequence) throws IOException {
        try {
            Files.createLink(target, temp);
            return target;
        } catch (FileAlreadyExistsException e) {
            String name = target.getFileName().toString();
            Path other = dir.resolve(name.substring(0, name.length() - ".json".length()) + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ".json");
            try {
                Files.createLink(other, temp);
            } catch (FileAlreadyExistsException again) {
                log.warn("forkguard: {} already exists; not overwritten, report for fork #{} not written", target,
                        sequence);
                return null;
            }
            log.warn("forkguard: {} already exists; not overwritten, report for fork #{} written to {}", target,
                    sequence, other.getFileName());
            return other;
        }
    }

    /** Keeps this JVM's newest {@code maxReports} report files: a fork storm must not fill the disk. */
    private void prune() throws IOException {
        Iterator<Path> oldest = written.values().iterator();
        while (written.size() > maxReports && oldest.hasNext()) {
            Path f = oldest.next();
            oldest.remove();
            Files.deleteIfExists(f);
        }
    }

    /** Writes {@code report} to a new owner-only file (the CLI's status answer), never over anything. */
    public static void writeNew(ForkReport report, Path path) throws IOException {
        try (OutputStream out = OwnerOnlyFile.createNew(path)) {
            MAPPER.writeValue(out, report);
        }
    }

    /** Reads a report back, for the CLI and tests. */
    public static ForkReport read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), ForkReport.class);
    }
}
