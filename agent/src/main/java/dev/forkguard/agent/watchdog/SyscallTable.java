package dev.forkguard.agent.watchdog;

/**
 * The system call numbers the watchdog needs to say what a child waits on: x86_64 has its own table,
 * aarch64 and riscv64 share the generic one. Unknown numbers are only named by number; the verdict
 * itself needs futex alone.
 */
final class SyscallTable {

    static final SyscallTable CURRENT = of(System.getProperty("os.arch"));

    final int futex;
    private final int[] fdReads;
    private final int[] fdWrites;
    private final int[] sleeps;
    private final int[] polls;
    private final int[] childWaits;
    private final int[] signalWaits;

    private SyscallTable(int futex, int[] fdReads, int[] fdWrites, int[] sleeps, int[] polls, int[] childWaits,
            int[] signalWaits) {
        this.futex = futex;
        this.fdReads = fdReads;
        this.fdWrites = fdWrites;
        this.sleeps = sleeps;
        this.polls = polls;
        this.childWaits = childWaits;
        this.signalWaits = signalWaits;
    }

    static SyscallTable of(String arch) {
        if ("amd64".equals(arch) || "x86_64".equals(arch)) {
            // read, pread64, readv, recvfrom, recvmsg, accept, accept4, connect, msgrcv, flock
            return new SyscallTable(202, new int[] {0, 17, 19, 45, 47, 43, 288, 42, 73},
                    new int[] {1, 18, 20, 44, 46},
                    new int[] {35, 230}, new int[] {7, 23, 232, 270, 271, 281, 441},
                    new int[] {61, 247}, new int[] {34, 128, 130});
        }
        return new SyscallTable(98, new int[] {63, 67, 65, 207, 212, 202, 242, 203, 32},
                new int[] {64, 68, 66, 206, 211},
                new int[] {101, 115}, new int[] {72, 73, 22, 441},
                new int[] {260, 95}, new int[] {137, 133});
    }

    boolean readsFd(int n) {
        return contains(fdReads, n);
    }

    boolean writesFd(int n) {
        return contains(fdWrites, n);
    }

    boolean sleeps(int n) {
        return contains(sleeps, n);
    }

    boolean polls(int n) {
        return contains(polls, n);
    }

    boolean waitsForChild(int n) {
        return contains(childWaits, n);
    }

    boolean waitsForSignal(int n) {
        return contains(signalWaits, n);
    }

    private static boolean contains(int[] set, int n) {
        for (int v : set) {
            if (v == n) {
                return true;
            }
        }
        return false;
    }
}
