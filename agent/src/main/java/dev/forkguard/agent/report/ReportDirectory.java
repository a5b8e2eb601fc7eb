package dev.forkguard.agent.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Checks, and when absent creates (0700), the directory JSON reports go to. A path that is a
 * symbolic link or not a directory is refused: reports hold thread names and stacks, and must not
 * be steered into a place someone else chose.
 */
public final class ReportDirectory {

    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private ReportDirectory() {}

    /** Null when {@code dir} is usable, else one line saying why not. */
    public static String prepare(Path dir) {
        try {
            if (Files.isSymbolicLink(dir)) {
                return "is a symbolic link";
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Path parent = dir.getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    Files.createDirectories(parent);
                }
                Files.createDirectory(dir, OWNER_ONLY_DIR);
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return "is not a directory";
            }
            if (!Files.isWritable(dir)) {
                return "is not writable";
            }
            return null;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return "cannot be created (" + e.getMessage() + ")";
        }
    }
}
