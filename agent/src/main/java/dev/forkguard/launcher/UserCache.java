package dev.forkguard.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * forkguard's per-user cache, for what is costly to produce at every start: the extracted JNA jar and
 * the transformed JDK classes. It is a start-up cost saver only; whatever it cannot trust or write, it
 * ignores, and the caller produces the content the slow way.
 *
 * <p>Trust, since transformed classes end up inside {@code java.base}: the directory
 * ({@code $XDG_CACHE_HOME/forkguard}, else {@code ~/.cache/forkguard}) is used only when it is a real
 * directory, not a link, owned by this process's user and closed to everybody else (mode 0700). An
 * entry is read only when it is a regular file (links are not followed), owned by the same user, and
 * its content matches its checksum. Entries are written to a private temporary file and renamed into
 * place, so a reader never sees half an entry, and two JVMs starting at once do no harm.
 *
 * <p>This class is a launcher class and is also packed under {@code inst/}, so the isolated loader
 * has its own copy (see {@code agent-jar.xml}).
 */
public final class UserCache {

    private static final int OWNER_ONLY_DIR = 0700;
    private static final int GROUP_OTHER_BITS = 077;
    private static final int FILE_TYPE_BITS = 0170000;
    private static final int REGULAR_FILE = 0100000;
    private static final int DIRECTORY = 0040000;
    /** Trailer of a byte entry: a magic number and the CRC-32 of the content before it. */
    private static final int TRAILER = 8;
    private static final int MAGIC = 0x46474331; // "FGC1"

    private final Path dir;
    private final int uid;

    private UserCache(Path dir, int uid) {
        this.dir = dir;
        this.uid = uid;
    }

    /** The cache directory, or null when there is none that can be trusted (then nothing is cached). */
    public static UserCache open() {
        Path base = baseDirectory();
        return base == null ? null : open(base);
    }

    /** The cache {@code forkguard} under {@code base}, created when missing, or null when it cannot be trusted. */
    static UserCache open(Path base) {
        try {
            Path dir = base.resolve("forkguard");
            int uid = (Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(base);
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException createdConcurrently) {
                    // Checked below like any other.
                }
            }
            Map<String, Object> a = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            if ((mode & FILE_TYPE_BITS) != DIRECTORY || (Integer) a.get("uid") != uid
                    || (mode & GROUP_OTHER_BITS) != 0 || (mode & OWNER_ONLY_DIR) != OWNER_ONLY_DIR) {
                return null;
            }
            return new UserCache(dir, uid);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Path baseDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute()) {
            return Paths.get(xdg);
        }
        String home = System.getProperty("user.home");
        if (home == null || home.isBlank() || "?".equals(home)) {
            return null;
        }
        return Paths.get(home, ".cache");
    }

    public Path directory() {
        return dir;
    }

    /**
     * The content of entry {@code name}, as written by {@link #write}, or null when it is missing or
     * cannot be trusted.
     */
    public byte[] read(String name) {
        Path file = dir.resolve(name);
        try {
            long size = trustedSize(file);
            if (size < TRAILER || size > Integer.MAX_VALUE) {
                return null;
            }
            byte[] all = new byte[(int) size];
            ByteBuffer buffer = ByteBuffer.wrap(all);
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                    // until full or at the end
                }
                if (buffer.hasRemaining() || in.read(ByteBuffer.allocate(1)) >= 0) {
                    return null; // changed size meanwhile
                }
            }
            ByteBuffer trailer = ByteBuffer.wrap(all, all.length - TRAILER, TRAILER);
            int contentLength = all.length - TRAILER;
            if (trailer.getInt() != MAGIC || trailer.getInt() != (int) crc(all, contentLength)) {
                return null;
            }
            byte[] content = new byte[contentLength];
            System.arraycopy(all, 0, content, 0, contentLength);
            return content;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Stores {@code content} as entry {@code name}, replacing any; a failure only means no caching. */
    public void write(String name, byte[] content) {
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
        trailer.putInt(MAGIC).putInt((int) crc(content, content.length));
        publish(name, content, trailer.array());
    }

    /**
     * A file holding exactly the bytes of {@code source}, whose length and CRC-32 are known in
     * advance (the agent jar records both for each entry): the cached copy when it checks out, else
     * a new copy. Returns null when the cache cannot hold it.
     */
    public Path file(String name, long size, long crc32, InputStream source) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && holds(file, size, crc32)) {
            return file;
        }
        byte[] content = source.readAllBytes();
        if (content.length != size || crc(content, content.length) != crc32) {
            throw new IOException("the agent jar's " + name + " does not match its own checksum");
        }
        return publish(name, content, new byte[0]) ? file : null;
    }

    /**
     * Deletes the entries whose names start with {@code prefix} but not with {@code keep}: what older
     * agent or library versions left behind.
     */
    public void prune(String prefix, String keep) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path p : entries) {
                if (!p.getFileName().toString().startsWith(keep)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Only space is lost.
        }
    }

    private boolean holds(Path file, long size, long crc32) {
        try {
            if (trustedSize(file) != size) {
                return false;
            }
            // Streamed through a small buffer: the JNA jar is 2 MB, which need not all sit in the heap.
            CRC32 crc = new CRC32();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long total = 0;
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    buffer.flip();
                    crc.update(buffer);
                    buffer.clear();
                    total += n;
                }
            }
            return total == size && crc.getValue() == crc32;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The size of a regular file of ours that nobody else may write, else -1. */
    private long trustedSize(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:mode,uid,size", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        if ((mode & FILE_TYPE_BITS) != REGULAR_FILE || (Integer) a.get("uid") != uid || (mode & 022) != 0) {
            return -1;
        }
        return (Long) a.get("size");
    }

    private boolean publish(String name, byte[] content, byte[] trailer) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".tmp-", null,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                out.write(content);
                out.write(trailer);
            }
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                return false;
            }
            tmp = null;
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Only space is lost.
                }
            }
        }
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
