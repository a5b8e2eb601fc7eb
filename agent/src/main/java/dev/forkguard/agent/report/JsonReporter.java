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
import java.nio.file.DirectoryStream;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;

/**
 * Writes one JSON file per fork ({@code forkguard-<pid>-<sequence>.json}) into the report directory.
 * Files are created 0600 with {@code O_CREAT|O_EXCL|O_NOFOLLOW} under a temporary name, then published
 * with a hard link, which fails rather than replace anything already at the final name: readers never
 * see half a file, and a planted symlink or file is never written through or overwritten.
 */
public final class JsonReporter implements Reporter {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final int maxReports;
    private final Logger log;

    /** @param maxReports most report files kept in {@code dir}; older ones are deleted */
    public JsonReporter(Path dir, int maxReports, Logger log) {
        this.dir = dir;
        this.maxReports = maxReports;
        this.log = log;
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

    private void write(ForkReport report, boolean replace) {
        String name = "forkguard-" + report.parentPid() + "-" + report.sequence() + ".json";
        Path target = dir.resolve(name);
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
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                log.warn("forkguard: {} already exists; not overwritten, report for fork #{} not written", target,
                        report.sequence());
            }
            prune();
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

    /** Keeps the newest {@code maxReports} report files: a fork storm must not fill the disk. */
    private void prune() throws IOException {
        List<Path> reports = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "forkguard-*.json")) {
            for (Path f : files) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    reports.add(f);
                }
            }
        }
        if (reports.size() <= maxReports) {
            return;
        }
        reports.sort(Comparator.comparing(JsonReporter::modified).thenComparing(Path::toString));
        for (int i = 0; i < reports.size() - maxReports; i++) {
            Files.deleteIfExists(reports.get(i));
        }
    }

    private static FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
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
