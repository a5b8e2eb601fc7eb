package dev.forkguard.probe.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads small /proc files with one open and as few reads as possible, because the fork snapshot
 * reads one file per thread while the whole process waits for the fork.
 *
 * <p>A read never fails because the calling thread was interrupted: a {@code FileChannel} read by an
 * interrupted thread closes the channel and fails, and the interrupt stays set, so every later read
 * on that thread failed too. The agent's threads do not own their interrupts: an application may
 * interrupt every thread (JPype's shutdown interrupts each non-daemon one), and an interrupted
 * reporter would list no OS thread at all (see docs/DESIGN.md, The fork window).
 */
final class ProcFiles {

    private ProcFiles() {
    }

    /**
     * The whole content of {@code path}, or null when it does not exist (the process or thread is
     * gone). {@code scratch} is a buffer the caller may reuse between calls; when a file does not
     * fit, a larger copy is used for that call only.
     *
     * @throws IOException on any other failure, including a task that vanished between open and
     *         read (the kernel then answers ESRCH)
     */
    static String read(Path path, byte[] scratch) throws IOException {
        // The interrupt is put aside for the read and set again after: it is the caller's to act on.
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return readOnce(path, scratch);
                } catch (ClosedByInterruptException e) {
                    // Interrupted during this read: once more, a few times at most (an interrupt storm
                    // must not keep the caller here).
                    interrupted |= Thread.interrupted();
                    if (attempt == INTERRUPTED_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final int INTERRUPTED_ATTEMPTS = 3;

    private static String readOnce(Path path, byte[] scratch) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            // /proc files report size 0, so read until end of file rather than trusting size().
            byte[] buf = scratch;
            int length = 0;
            while (true) {
                if (length == buf.length) {
                    buf = Arrays.copyOf(buf, Math.max(64, buf.length * 2));
                }
                int n = channel.read(ByteBuffer.wrap(buf, length, buf.length - length));
                if (n < 0) {
                    break;
                }
                length += n;
            }
            return new String(buf, 0, length, StandardCharsets.UTF_8);
        } finally {
            channel.close();
        }
    }
}
