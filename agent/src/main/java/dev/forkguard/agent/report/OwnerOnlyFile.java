package dev.forkguard.agent.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates a file only the owner can read, with {@code O_CREAT|O_EXCL|O_NOFOLLOW}: it fails rather than
 * write through a planted link or over an existing file, and is never readable by others, not even
 * for an instant (the mode is set at creation, not after).
 */
final class OwnerOnlyFile {

    private OwnerOnlyFile() {}

    static OutputStream createNew(Path path) throws IOException {
        return Channels.newOutputStream(Files.newByteChannel(path,
                Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
    }
}
