package dev.forkguard.probe.stack;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.forkguard.probe.Libc;
import dev.forkguard.probe.ProbeUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies, from inside a fork handler, the raw stack words of the callers of {@code fork()}: the
 * native code (a Python interpreter, a C host, JNI) that forked.
 *
 * <p>Why a raw copy: glibc's {@code backtrace()} called from the handler unwinds through JNA and
 * stops at the first JVM frame, which has no unwind table, before any frame above the handler
 * (docs/DESIGN.md, Native callers of fork()). The forking thread's stack is one piece of memory, though: from the handler's stack
 * pointer upwards lie the JVM's and JNA's frames, then the frame of {@code fork} itself, then its
 * callers. This class finds {@code fork}'s return address in that memory and keeps the words above
 * it; {@link NativeFrameResolver} turns them into frames after the fork, off the fork window.
 *
 * <p>The stack is read with plain loads from the stack pointer up to the thread's own stack top,
 * never beyond: every byte in between is mapped.
 *
 * <p>x86-64 only: the stack pointer is read from {@code getcontext}'s register save area, whose
 * layout is per architecture.
 */
public final class NativeCallerCapture {

    private static final int PAGE = 4096;
    /** Enough for the handler's Java, JVM and JNA frames between the stack pointer and {@code fork}. */
    private static final int SCAN_PAGES = 32;
    private static final int WORDS_PER_PAGE = PAGE / 8;
    /** Words kept above {@code fork}'s frame: 16 KiB holds a dozen frames even of a large interpreter. */
    private static final int CALLER_WORDS = 2048;
    /** {@code offsetof(ucontext_t, uc_mcontext.gregs[REG_RSP])} on x86-64 glibc. */
    private static final int X86_64_RSP_OFFSET = 40 + 15 * 8;
    /** Where the pthread attributes go in the scratch page, after the register context. */
    private static final int ATTR_OFFSET = 2048;
    /** {@code sizeof(pthread_attr_t)} is 56 on x86-64 glibc; room to spare. */
    private static final int ATTR_SIZE = 128;
    /** Beyond the 47-bit user address space of x86-64: never code. */
    private static final long USER_SPACE_END = 1L << 47;
    /** A word this close to the stack pointer points into a stack, not code. */
    private static final long STACK_REACH = 16L << 20;
    /** Used when the C library does not tell the size of {@code fork}: it is a few hundred bytes. */
    private static final long FORK_SIZE_GUESS = 2048;

    private final long forkStart;
    private final long forkEnd;
    private final long mainStackEnd;
    private final long mainStackLimit;
    /**
     * Stack tops of threads that forked before: {@code pthread_getattr_np} mallocs, and a page
     * written in the fork window after an earlier fork is a copy-on-write fault.
     */
    private final StackTops stackTops = new StackTops();
    private final Buffers shared = new Buffers();
    private final AtomicBoolean sharedInUse = new AtomicBoolean();

    private NativeCallerCapture(long forkStart, long forkEnd, long mainStackEnd, long mainStackLimit) {
        this.forkStart = forkStart;
        this.forkEnd = forkEnd;
        this.mainStackEnd = mainStackEnd;
        this.mainStackLimit = mainStackLimit;
    }

    /**
     * Binds the natives and locates {@code fork}. Call once, in the parent, at start.
     *
     * @throws ProbeUnavailableException on an architecture other than x86-64, or when the C library
     *         lacks what the scan needs
     */
    public static NativeCallerCapture create() throws ProbeUnavailableException {
        String arch = System.getProperty("os.arch");
        if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
            throw new ProbeUnavailableException("native caller frames are only read on x86-64, not on " + arch);
        }
        try {
            Libc.bind();
            StackNatives.bind();
            long fork = Pointer.nativeValue(NativeLibrary.getProcess().getFunction("fork"));
            return new NativeCallerCapture(fork, fork + forkSize(fork), mainStackEnd(), mainStackLimit());
        } catch (LinkageError | RuntimeException | IOException e) {
            throw new ProbeUnavailableException("native caller frames unavailable: " + e, e);
        }
    }

    /** End of the {@code [stack]} mapping: the top of the process's first thread's stack, fixed at exec. */
    private static long mainStackEnd() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1)) {
            if (line.endsWith(" [stack]")) {
                return Long.parseUnsignedLong(line.substring(line.indexOf('-') + 1, line.indexOf(' ')), 16);
            }
        }
        return 0;
    }

    /** The soft {@code RLIMIT_STACK} of this process ("unlimited" read as 1 GiB): how far the first thread's stack may grow. */
    private static long mainStackLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"), StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("Max stack size")) {
                String soft = line.substring("Max stack size".length()).trim().split("\\s+")[0];
                return "unlimited".equals(soft) ? 1L << 30 : Long.parseLong(soft);
            }
        }
        return 8L << 20;
    }

    private static long forkSize(long fork) {
        try (Memory info = new Memory(32); Memory extra = new Memory(8)) {
            extra.setPointer(0, null);
            if (StackNatives.dladdr1(fork, info, extra, StackNatives.RTLD_DL_SYMENT) != 0) {
                Pointer sym = extra.getPointer(0);
                // Elf64_Sym: st_name(4) st_info(1) st_other(1) st_shndx(2) st_value(8) st_size(8)
                long size = sym == null ? 0 : sym.getLong(16);
                if (size > 0) {
                    return size;
                }
            }
        }
        return FORK_SIZE_GUESS;
    }

    /**
     * The words above {@code fork}'s frame that may be return addresses, nearest caller first; null
     * when no frame of {@code fork} is found or the thread's stack bounds are unknown. Call it only
     * from a prepare handler, in the forking thread (elsewhere a stale return address into
     * {@code fork} may be found): it runs in the parent and may allocate.
     *
     * <p>Cost is page faults: every page written after an earlier fork costs a copy-on-write fault,
     * and reading a page through the kernel ({@code process_vm_readv}) pins it, which unshares it: a
     * copy too. So the stack is read with plain loads, bounded by the thread's own stack, into
     * buffers that are reused; only the words that can be code addresses are kept (figures in
     * docs/DESIGN.md, Native callers of fork()).
     */
    public CallerStack capture() {
        boolean own = sharedInUse.compareAndSet(false, true);
        Buffers b = own ? shared : new Buffers();
        try {
            if (StackNatives.getcontext(b.scratch) != 0) {
                return null;
            }
            long sp = b.scratch.getLong(X86_64_RSP_OFFSET);
            long top = stackTop(b.scratch, sp);
            if (top == 0) {
                return null;
            }
            long page = sp & ~(PAGE - 1L);
            int from = (int) ((sp - page) / 8);
            for (int p = 0; p < SCAN_PAGES; p++, page += PAGE, from = 0) {
                int n = b.read(page, top);
                for (int i = from; i < n; i++) {
                    long w = b.words[i];
                    if (w > forkStart && w <= forkEnd) {
                        return new CallerStack(forkStart, callersAbove(b, page, i + 1, n, top, sp));
                    }
                }
                if (n < WORDS_PER_PAGE) {
                    return null;
                }
            }
            return null;
        } finally {
            if (own) {
                sharedInUse.set(false);
            } else {
                b.free();
            }
        }
    }

    /**
     * The end of the calling thread's stack, or 0 when unknown or when {@code sp} is not on that
     * stack (a fork from a signal handler on an alternate stack: reading up to the top from there
     * could cross unmapped memory). For the process's first thread, its {@code [stack]} mapping, read
     * at start (glibc would read /proc for it each time), less {@code RLIMIT_STACK}; for the others,
     * their pthread attributes, cached.
     */
    private long stackTop(Pointer scratch, long sp) {
        if (Libc.gettid() == Libc.getpid()) {
            return inside(sp, mainStackEnd - mainStackLimit, mainStackEnd);
        }
        long self = StackNatives.pthread_self();
        long top = stackTops.get(self);
        if (top != 0) {
            return inside(sp, stackTops.bottom(self), top);
        }
        Pointer attr = scratch.share(ATTR_OFFSET);
        if (StackNatives.pthread_getattr_np(self, attr) != 0) {
            return 0;
        }
        long bottom;
        try {
            Pointer out = scratch.share(ATTR_OFFSET + ATTR_SIZE);
            if (StackNatives.pthread_attr_getstack(attr, out, out.share(8)) != 0) {
                return 0;
            }
            bottom = out.getLong(0);
            top = bottom + out.getLong(8);
        } finally {
            StackNatives.pthread_attr_destroy(attr);
        }
        stackTops.put(self, bottom, top);
        return inside(sp, bottom, top);
    }

    private static long inside(long sp, long bottom, long top) {
        return Long.compareUnsigned(sp, bottom) >= 0 && Long.compareUnsigned(sp, top) < 0 ? top : 0;
    }

    /**
     * The words from word {@code index} of the page in {@code b} (of {@code n} read) on, over at
     * most {@link #CALLER_WORDS} words or up to the stack's top, that can be code addresses.
     */
    private static long[] callersAbove(Buffers b, long page, int index, int n, long top, long sp) {
        int kept = 0;
        int seen = 0;
        while (true) {
            for (int i = index; i < n && seen < CALLER_WORDS; i++, seen++) {
                long w = b.words[i];
                if (mayBeCode(w, sp)) {
                    b.kept[kept++] = w;
                }
            }
            page += PAGE;
            if (seen >= CALLER_WORDS || n < WORDS_PER_PAGE || Long.compareUnsigned(page, top) >= 0) {
                break;
            }
            n = b.read(page, top);
            index = 0;
        }
        return Arrays.copyOf(b.kept, kept);
    }

    /** Not a small number, not a kernel or non-canonical address, not a pointer into this stack. */
    private static boolean mayBeCode(long w, long sp) {
        return w > 0xffffL && w < USER_SPACE_END && Math.abs(w - sp) > STACK_REACH;
    }

    /** Reused buffers: one native page for the register context and pthread attributes, one page of words. */
    private static final class Buffers {
        final Memory scratch = new Memory(PAGE);
        final long[] words = new long[WORDS_PER_PAGE];
        final long[] kept = new long[CALLER_WORDS];

        /**
         * Reads the stack page at {@code page}, cut at {@code top}, into {@link #words} with plain
         * loads: safe, since every byte from the stack pointer to the thread's stack top is mapped.
         *
         * @return the number of words read
         */
        int read(long page, long top) {
            int n = (int) Math.min(WORDS_PER_PAGE, (top - page) / 8);
            new Pointer(page).read(0, words, 0, n);
            return n;
        }

        void free() {
            scratch.close();
        }
    }
}
