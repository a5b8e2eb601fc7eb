package dev.forkguard.probe.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;

import java.nio.file.Paths;
import java.util.List;

/**
 * Reads words of a process's memory ({@code /proc/<pid>/mem}, which needs the ptrace access a parent
 * has to its own children) and finds a library's executable mapping ({@code /proc/<pid>/maps}). The
 * watchdog uses them to tell what a child's thread is blocked in from the return addresses on its
 * stack; a forked child maps every library where its parent does.
 */
public final class ProcessMemory {

    private ProcessMemory() {}

    /**
     * Up to {@code count} native-endian 64-bit words of process {@code pid} from {@code address}; fewer
     * (possibly none) when the range ends or cannot be read.
     */
    public static long[] words(int pid, long address, int count) {
        ByteBuffer buf = ByteBuffer.allocate(count * 8).order(ByteOrder.nativeOrder());
        try (FileChannel mem = FileChannel.open(Paths.get("/proc", Integer.toString(pid), "mem"))) {
            while (buf.hasRemaining()) {
                int n = mem.read(buf, address + buf.position());
                if (n <= 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // What was read before the failure is kept.
        }
        buf.flip();
        long[] out = new long[buf.remaining() / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = buf.getLong();
        }
        return out;
    }

    /**
     * The start and end of the executable mapping of the file whose name ends with {@code fileSuffix}
     * (e.g. {@code "/libjvm.so"}) in process {@code pid}; null when there is none or maps is unreadable.
     */
    public static long[] executableMapping(int pid, String fileSuffix) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Paths.get("/proc", Integer.toString(pid), "maps"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return executableMapping(lines, fileSuffix);
    }

    /** {@link #executableMapping(int, String)} over the lines of a maps file. */
    static long[] executableMapping(List<String> mapsLines, String fileSuffix) {
        for (String line : mapsLines) {
            // "7f..-7f.. r-xp 00012000 fe:01 1234  /usr/lib/jvm/.../libjvm.so"
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[1].length() == 4 && f[1].charAt(2) == 'x' && f[5].endsWith(fileSuffix)) {
                int dash = f[0].indexOf('-');
                try {
                    return new long[] {Long.parseUnsignedLong(f[0].substring(0, dash), 16),
                        Long.parseUnsignedLong(f[0].substring(dash + 1), 16)};
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

}
