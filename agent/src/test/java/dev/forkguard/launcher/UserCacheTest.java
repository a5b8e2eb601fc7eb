package dev.forkguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCacheTest {

    @TempDir
    Path base;

    @Test
    void createsAnOwnerOnlyDirectoryAndReadsBackWhatItWrote() throws Exception {
        UserCache cache = UserCache.open(base);
        assertThat(cache).isNotNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.directory())))
                .isEqualTo("rwx------");
        byte[] content = "transformed class".getBytes(StandardCharsets.UTF_8);
        cache.write("entry", content);
        assertThat(cache.read("entry")).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.directory().resolve("entry"))))
                .isEqualTo("rw-------");
        assertThat(cache.read("missing")).isNull();
    }

    @Test
    void refusesADirectoryOthersCanEnterOrALink() throws Exception {
        Path open = Files.createDirectories(base.resolve("open"));
        Files.createDirectory(open.resolve("forkguard"));
        Files.setPosixFilePermissions(open.resolve("forkguard"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(UserCache.open(open)).isNull();

        Path linked = Files.createDirectories(base.resolve("linked"));
        Path target = Files.createDirectory(base.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(linked.resolve("forkguard"), target);
        assertThat(UserCache.open(linked)).isNull();
    }

    @Test
    void aTamperedEntryALinkOrAWritableEntryIsNotRead() throws Exception {
        UserCache cache = UserCache.open(base);
        cache.write("a", new byte[] {1, 2, 3, 4});
        Path a = cache.directory().resolve("a");
        byte[] raw = Files.readAllBytes(a);
        raw[1] ^= 0x40;
        Files.write(a, raw);
        assertThat(cache.read("a")).isNull();

        cache.write("b", new byte[] {5, 6});
        Files.createSymbolicLink(cache.directory().resolve("c"), cache.directory().resolve("b"));
        assertThat(cache.read("b")).containsExactly(5, 6);
        assertThat(cache.read("c")).isNull();

        Files.setPosixFilePermissions(cache.directory().resolve("b"), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(cache.read("b")).isNull();
    }

    @Test
    void aFileIsCopiedOnceThenServedWhileItsChecksumHolds() throws Exception {
        UserCache cache = UserCache.open(base);
        byte[] jar = "pretend this is a jar".getBytes(StandardCharsets.UTF_8);
        long crc = crc(jar);

        Path first = cache.file("jna-1.jar", jar.length, crc, new ByteArrayInputStream(jar));
        assertThat(first).hasBinaryContent(jar);
        Path second = cache.file("jna-1.jar", jar.length, crc, unreadable());
        assertThat(second).isEqualTo(first);

        byte[] corrupt = jar.clone();
        corrupt[0] = 'P';
        Files.write(first, corrupt);
        Path repaired = cache.file("jna-1.jar", jar.length, crc, new ByteArrayInputStream(jar));
        assertThat(repaired).hasBinaryContent(jar);

        assertThatThrownBy(() -> cache.file("jna-2.jar", jar.length, crc + 1, new ByteArrayInputStream(jar)))
                .isInstanceOf(IOException.class);
        assertThat(cache.directory().resolve("jna-2.jar")).doesNotExist();
    }

    @Test
    void pruneRemovesOtherVersionsOnly() throws Exception {
        UserCache cache = UserCache.open(base);
        cache.write("Thread-old-1.class", new byte[] {1});
        cache.write("Thread-new-1.class", new byte[] {2});
        cache.write("Thread-new-2.class", new byte[] {3});
        cache.write("Lock-old-1.class", new byte[] {4});
        cache.prune("Thread-", "Thread-new-");
        try (var names = Files.list(cache.directory())) {
            assertThat(names.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("Thread-new-1.class", "Thread-new-2.class", "Lock-old-1.class");
        }
    }

    private static long crc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }

    private static InputStream unreadable() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the cached copy should have been used");
            }
        };
    }
}
