package dev.forkguard.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What the CLI can tell about a process before attaching to it, from {@code /proc} alone: whether it
 * exists, whose it is, whether it is a JVM, whether forkguard is loaded. Nothing is loaded into it.
 */
final class TargetJvm {

    final int pid;

    TargetJvm(int pid) {
        this.pid = pid;
    }

    private Path proc() {
        return Paths.get("/proc", Integer.toString(pid));
    }

    boolean exists() {
        return Files.isDirectory(proc());
    }

    int ownerUid() throws IOException {
        return (Integer) Files.getAttribute(proc(), "unix:uid");
    }

    static int myUid() throws IOException {
        return (Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
    }

    /** A HotSpot JVM maps libjvm.so. */
    boolean isJvm() {
        try {
            for (String line : Files.readAllLines(proc().resolve("maps"))) {
                if (line.endsWith("/libjvm.so")) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The agent keeps its jar open, so an open file descriptor on a forkguard agent jar says it is loaded. */
    boolean forkguardLoaded() {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc().resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().endsWith("forkguard-agent.jar")) {
                        return true;
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * Null when the CLI may attach, else the exit code, after printing one line saying why.
     */
    Integer refusal() {
        if (!exists()) {
            System.err.println("forkguard: no process with pid " + pid);
            return ExitCodes.NO_SUCH_PROCESS;
        }
        try {
            int owner = ownerUid();
            int me = myUid();
            if (owner != me) {
                System.err.println("forkguard: pid " + pid + " belongs to user " + owner + ", not to you (" + me
                        + "); attach as its own user");
                return ExitCodes.OTHER_USER;
            }
        } catch (IOException e) {
            System.err.println("forkguard: cannot read the owner of pid " + pid + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        if (!isJvm()) {
            System.err.println("forkguard: pid " + pid + " is not a Java virtual machine");
            return ExitCodes.NOT_A_JVM;
        }
        return null;
    }
}
