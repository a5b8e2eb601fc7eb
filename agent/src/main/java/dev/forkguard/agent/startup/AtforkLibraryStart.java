package dev.forkguard.agent.startup;

import dev.forkguard.launcher.UserCache;
import dev.forkguard.probe.AtforkLibrary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.CRC32;

/**
 * Loads the agent's C fork handlers ({@link AtforkLibrary}) from the agent jar, on the helper thread
 * that binds the probe. The library must be a real file for {@code dlopen}: the copy in the user cache
 * (named for its checksum, verified as JNA's own library is), else a private temporary copy. Nothing
 * here fails the start: without the library the Java handlers are used.
 */
final class AtforkLibraryStart {

    /** Why the library is not loaded; null once it is. */
    private static volatile String problem = "it was not loaded";

    private AtforkLibraryStart() {}

    /** Loads and binds the library for this platform; records why not otherwise. */
    static void load() {
        try {
            String resource = AtforkLibrary.resourceName();
            if (resource == null) {
                problem = "no native fork handlers are built for " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch");
                return;
            }
            byte[] content;
            try (InputStream in = AtforkLibraryStart.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    problem = "the agent jar has no " + resource;
                    return;
                }
                content = in.readAllBytes();
            }
            AtforkLibrary.bind(file(content));
            problem = null;
        } catch (Exception | LinkageError e) {
            problem = e.getMessage() != null ? e.getMessage() : e.toString();
        }
    }

    /** Null when the library is loaded and bound, else why not. */
    static String problem() {
        return problem;
    }

    private static Path file(byte[] content) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(content);
        UserCache cache = UserCache.open();
        if (cache != null) {
            String name = "libforkguard-atfork-" + Long.toHexString(crc.getValue()) + ".so";
            Path cached = cache.file(name, content.length, crc.getValue(), new ByteArrayInputStream(content));
            if (cached != null) {
                return cached;
            }
        }
        // No usable cache: a 0700 directory keeps other users from swapping the file before dlopen.
        Path dir = Files.createTempDirectory("forkguard-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path target = dir.resolve(AtforkLibrary.FILE_NAME);
        Files.write(target, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        target.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return target;
    }
}
