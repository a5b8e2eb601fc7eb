package dev.forkguard.probe.stack;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.forkguard.probe.Libc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a {@link CallerStack} into frames, after the fork, without unwind tables: a stack scan
 * checked call by call.
 *
 * <p>A word is a candidate return address when it points into executable code of a mapped file and
 * the instruction just before it is a call. Stack memory also holds stale return addresses, left
 * by calls that have returned; to tell the live ones, each frame's call must lead exactly to the
 * start of the function of the frame before it: the first must call {@code fork} itself, directly
 * or through a PLT or GOT slot, each next one the previous frame's function. A candidate whose call
 * leads elsewhere is stale and skipped. The walk stops, listing nothing more, at the first frame it
 * cannot check: a call through a register, or a caller of a function whose start is unknown (a
 * static function with no exported symbol). So every frame listed is known to have called the one
 * before it; the list may end early, but holds no stale frame.
 *
 * <p>The walk stops at the first frame inside the JVM or JNA: from there on the forking thread's
 * Java stack tells the story better.
 */
public final class NativeFrameResolver {

    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final int CALL_BYTES = 8;
    /** JNA extracts its native library as {@code jna<digits>.tmp}, or it is found as libjnidispatch.so. */
    private static final Pattern JNA_LIBRARY = Pattern.compile("(.*jnidispatch.*|jna-?\\d+\\.tmp)");

    private final List<Mapping> code;
    private final Memory buffer = new Memory(16);
    private final Memory iov = new Memory(32);
    private final int pid = Libc.getpid();

    private NativeFrameResolver(List<Mapping> code) {
        this.code = code;
        iov.setPointer(0, buffer);
    }

    /**
     * @param stack from {@link NativeCallerCapture#capture()}, taken in this process
     * @param max frames to return at most
     */
    public static List<NativeFrame> resolve(CallerStack stack, int max) throws IOException {
        if (stack == null || stack.words().length == 0) {
            return List.of();
        }
        NativeFrameResolver r = new NativeFrameResolver(
                executableMappings(Files.readString(MAPS, StandardCharsets.ISO_8859_1)));
        try {
            return r.walk(stack, max);
        } finally {
            r.buffer.close();
            r.iov.close();
        }
    }

    private List<NativeFrame> walk(CallerStack stack, int max) {
        List<NativeFrame> frames = new ArrayList<>();
        // The start of the function the next live frame must have called: fork first, then each
        // frame's own function; 0 once unknown, which ends the walk.
        long calleeStart = stack.forkFunction();
        byte[] before = new byte[CALL_BYTES];
        try (Memory info = new Memory(32); Memory extra = new Memory(8)) {
            for (long w : stack.words()) {
                if (frames.size() >= max || calleeStart == 0) {
                    break;
                }
                Mapping m = find(code, w);
                if (m == null || w - CALL_BYTES < m.start || !read(w - CALL_BYTES, CALL_BYTES)) {
                    continue;
                }
                buffer.read(0, before, 0, CALL_BYTES);
                if (!endsWithCall(before)) {
                    continue;
                }
                long target = callTarget(w, before);
                if (target == UNCHECKABLE) {
                    break;
                }
                if (target != calleeStart) {
                    continue; // a stale return address: its call led elsewhere
                }
                if (isJavaSide(m.path)) {
                    break;
                }
                NativeFrame frame = frame(w, m, info, extra);
                frames.add(frame);
                calleeStart = frame.function() == null ? 0 : w - frame.offset();
            }
        }
        return frames;
    }

    /** {@link #callTarget}'s answer for a call through a register or a computed address. */
    private static final long UNCHECKABLE = -1;

    /**
     * Where the call ending at {@code ret} leads, through a PLT entry or a GOT slot to the function
     * itself; {@link #UNCHECKABLE} for a call through a register or a computed address, or a slot
     * that cannot be read.
     */
    private long callTarget(long ret, byte[] before) {
        int n = before.length;
        if ((before[n - 5] & 0xff) == 0xe8) {
            long target = ret + littleEndianInt(before, n - 4);
            long viaPlt = pltTarget(target);
            return viaPlt != 0 ? viaPlt : target;
        }
        if ((before[n - 6] & 0xff) == 0xff && (before[n - 5] & 0xff) == 0x15) {
            // call *slot(%rip): code built with -fno-plt
            long slot = ret + littleEndianInt(before, n - 4);
            return read(slot, 8) ? buffer.getLong(0) : UNCHECKABLE;
        }
        return UNCHECKABLE;
    }

    /** When {@code at} is a PLT entry ({@code [endbr64] [bnd] jmp *slot(%rip)}), where its slot points; else 0. */
    private long pltTarget(long at) {
        if (find(code, at) == null || !read(at, 11)) {
            return 0;
        }
        byte[] b = new byte[11];
        buffer.read(0, b, 0, 11);
        int i = 0;
        if ((b[0] & 0xff) == 0xf3 && (b[1] & 0xff) == 0x0f && (b[2] & 0xff) == 0x1e && (b[3] & 0xff) == 0xfa) {
            i = 4; // endbr64
        }
        if ((b[i] & 0xff) == 0xf2) {
            i++; // bnd
        }
        if (i + 6 > b.length || (b[i] & 0xff) != 0xff || (b[i + 1] & 0xff) != 0x25) {
            return 0;
        }
        long slot = at + i + 6 + littleEndianInt(b, i + 2);
        return read(slot, 8) ? buffer.getLong(0) : 0;
    }

    /**
     * Copies {@code length} (at most 16) bytes at {@code address} into {@link #buffer} through the
     * kernel, not a plain load: memory unmapped since the maps were read gives false, not a crash.
     */
    private boolean read(long address, int length) {
        iov.setLong(8, length);
        iov.setLong(16, address);
        iov.setLong(24, length);
        return StackNatives.process_vm_readv(pid, iov, 1, iov.share(16), 1, 0) == length;
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static NativeFrame frame(long returnAddress, Mapping m, Memory info, Memory extra) {
        String file = m.path.substring(m.path.lastIndexOf('/') + 1);
        // The call instruction's own address: a call as the last instruction of a function returns
        // to the next function's first byte.
        long at = returnAddress - 1;
        extra.setPointer(0, null);
        if (StackNatives.dladdr1(at, info, extra, StackNatives.RTLD_DL_SYMENT) != 0) {
            long base = Pointer.nativeValue(info.getPointer(8));
            Pointer name = info.getPointer(16);
            long symbol = Pointer.nativeValue(info.getPointer(24));
            Pointer sym = extra.getPointer(0);
            long size = sym == null ? 0 : sym.getLong(16);
            if (name != null && symbol != 0 && at >= symbol && at < symbol + size) {
                return new NativeFrame(file, name.getString(0), returnAddress - symbol);
            }
            if (base != 0) {
                return new NativeFrame(file, null, returnAddress - base);
            }
        }
        return new NativeFrame(file, null, returnAddress - m.start + m.fileOffset);
    }

    private static boolean isJavaSide(String path) {
        return path.endsWith("/libjvm.so") || JNA_LIBRARY.matcher(path.substring(path.lastIndexOf('/') + 1)).matches();
    }

    /**
     * True when the bytes end with an x86-64 call: {@code E8 rel32}, or {@code FF /2} (register or
     * memory operand, with or without a REX prefix) whose encoded length ends exactly here.
     */
    static boolean endsWithCall(byte[] b) {
        int n = b.length;
        if ((b[n - 5] & 0xff) == 0xe8) {
            return true;
        }
        for (int k = 2; k <= 7 && k <= n; k++) {
            int p = n - k;
            if ((b[p] & 0xff) == 0xff && indirectCallLength(b, p + 1) == k) {
                return true;
            }
            if (p + 1 < n && (b[p] & 0xf0) == 0x40 && (b[p + 1] & 0xff) == 0xff
                    && indirectCallLength(b, p + 2) + 1 == k) {
                return true;
            }
        }
        return false;
    }

    /** Length of {@code FF /2} from its opcode byte, given the index of its ModRM byte; -1 if not a call. */
    private static int indirectCallLength(byte[] b, int modrmAt) {
        if (modrmAt >= b.length) {
            return -1;
        }
        int modrm = b[modrmAt] & 0xff;
        if (((modrm >> 3) & 7) != 2) {
            return -1;
        }
        int mod = modrm >> 6;
        int rm = modrm & 7;
        int length = 2;
        if (mod == 3) {
            return length;
        }
        if (rm == 4) {
            if (modrmAt + 1 >= b.length) {
                return -1;
            }
            length++;
            int base = b[modrmAt + 1] & 7;
            if (mod == 0 && base == 5) {
                length += 4;
            }
        } else if (mod == 0 && rm == 5) {
            length += 4;
        }
        if (mod == 1) {
            length += 1;
        } else if (mod == 2) {
            length += 4;
        }
        return length;
    }

    record Mapping(long start, long end, long fileOffset, String path) {}

    /** The readable, executable, file-backed mappings of a {@code /proc/<pid>/maps} text, in address order. */
    static List<Mapping> executableMappings(String maps) {
        List<Mapping> out = new ArrayList<>();
        for (String line : maps.split("\n")) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 6 || f[1].length() < 3 || f[1].charAt(0) != 'r' || f[1].charAt(2) != 'x'
                    || !f[5].startsWith("/")) {
                continue;
            }
            int dash = f[0].indexOf('-');
            out.add(new Mapping(Long.parseUnsignedLong(f[0].substring(0, dash), 16),
                    Long.parseUnsignedLong(f[0].substring(dash + 1), 16), Long.parseUnsignedLong(f[2], 16),
                    f[5].endsWith(" (deleted)") ? f[5].substring(0, f[5].length() - 10) : f[5]));
        }
        return out;
    }

    private static Mapping find(List<Mapping> mappings, long address) {
        int lo = 0;
        int hi = mappings.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Mapping m = mappings.get(mid);
            if (Long.compareUnsigned(address, m.start) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(address, m.end) >= 0) {
                lo = mid + 1;
            } else {
                return m;
            }
        }
        return null;
    }
}
