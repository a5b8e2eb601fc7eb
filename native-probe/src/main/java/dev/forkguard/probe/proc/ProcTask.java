package dev.forkguard.probe.proc;

/**
 * One kernel thread of a process as /proc shows it, because the fork snapshot must see threads the
 * JVM does not list (its own VM, GC and compiler threads, and native threads).
 *
 * <p>A final class rather than a record: a record's {@code toString}, {@code equals} and
 * {@code hashCode} are bootstrapped through invokedynamic, which can hang in a forked child
 * (docs/DESIGN.md, Child-safe code).
 */
public final class ProcTask {

    private final int tid;
    private final String name;
    private final char state;

    public ProcTask(int tid, String name, char state) {
        this.tid = tid;
        this.name = name;
        this.state = state;
    }

    /** The kernel thread id. */
    public int tid() {
        return tid;
    }

    /**
     * The kernel's name for the thread ({@code comm}): at most 15 bytes, so longer Java thread
     * names appear truncated.
     */
    public String name() {
        return name;
    }

    /** The scheduler state letter from {@code stat}: R, S, D, T, t, Z, X, I... */
    public char state() {
        return state;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ProcTask)) {
            return false;
        }
        ProcTask other = (ProcTask) o;
        return tid == other.tid && state == other.state && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return (tid * 31 + name.hashCode()) * 31 + state;
    }

    @Override
    public String toString() {
        return "ProcTask[tid=" + tid + ", name=" + name + ", state=" + state + "]";
    }
}
