package dev.forkguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void anAbsentDirectoryIsCreatedOwnerOnly() throws Exception {
        Path dir = tmp.resolve("a/b");
        assertThat(ReportDirectory.prepare(dir)).isNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void aSymlinkAFileOrAnUncreatablePathIsRefusedWithAReason() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("real"));
        assertThat(ReportDirectory.prepare(Files.createSymbolicLink(tmp.resolve("link"), real)))
                .isEqualTo("is a symbolic link");
        assertThat(ReportDirectory.prepare(Files.writeString(tmp.resolve("file"), "x"))).isEqualTo("is not a directory");
        assertThat(ReportDirectory.prepare(tmp.resolve("file/sub"))).startsWith("cannot be created");
    }
}
