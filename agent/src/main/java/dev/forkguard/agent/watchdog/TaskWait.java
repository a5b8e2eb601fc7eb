package dev.forkguard.agent.watchdog;

import dev.forkguard.probe.proc.TaskSyscall;

/**
 * What one task of a child waits on, and whether something outside the child could end that wait.
 * Only a wait on a process-private futex with no time-out cannot end by itself: a private futex is
 * woken only by a thread of the same process, and no time-out will end it (docs/DESIGN.md, Watching a child through /proc). Every
 * other wait — a sleep, a timed wait, a pipe or socket, a futex shared with other processes (a
 * {@code multiprocessing} semaphore) — can end without the child's help, so the child is idle, not hung.
 *
 * @param tid the task
 * @param stuck true for a wait only another thread of the same process could end
 * @param address the futex address of a stuck or timed private wait, else 0
 * @param timedPrivate a wait on a private futex with a time-out: can end by itself, unless it is a
 *     monitor enter's re-check ({@link MonitorEnterWait}), which the child decides with the task's
 *     stack pointer
 * @param stackPointer the task's stack pointer, read for a timed private wait
 * @param description in a few words, for the report: "a read on pipe:[4242]", "a timed futex wait"
 */
record TaskWait(int tid, boolean stuck, long address, boolean timedPrivate, long stackPointer, String description) {

    /** futex(2) operation bits: the low seven bits are the command. */
    static final int FUTEX_PRIVATE_FLAG = 0x80;
    static final int FUTEX_CMD_MASK = 0x7f;
    static final int FUTEX_WAIT = 0;
    static final int FUTEX_LOCK_PI = 6;
    static final int FUTEX_WAIT_BITSET = 9;
    static final int FUTEX_WAIT_REQUEUE_PI = 11;
    static final int FUTEX_LOCK_PI2 = 13;

    private TaskWait(int tid, boolean stuck, long address, String description) {
        this(tid, stuck, address, false, 0, description);
    }

    /** The same wait, known to be a monitor enter that nothing in the child can ever let through. */
    TaskWait asMonitorEnter() {
        return new TaskWait(tid, true, address, false, stackPointer, "a monitor enter, re-checked by the JVM about "
                + "once a second (a timed futex wait at 0x" + Long.toHexString(address) + ")");
    }

    /** @param pid the process, to name a file descriptor a task reads or writes */
    static TaskWait of(int pid, TaskSyscall call, SyscallTable table) {
        int n = call.number();
        if (n == TaskSyscall.NONE) {
            return new TaskWait(call.tid(), false, 0, "running");
        }
        if (n == table.futex) {
            int op = (int) call.arg(1);
            int cmd = op & FUTEX_CMD_MASK;
            boolean waits = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI
                    || cmd == FUTEX_WAIT_REQUEUE_PI || cmd == FUTEX_LOCK_PI2;
            if (!waits) {
                return new TaskWait(call.tid(), false, 0, "a futex operation 0x" + Integer.toHexString(op));
            }
            boolean isPrivate = (op & FUTEX_PRIVATE_FLAG) != 0;
            boolean timed = call.arg(3) != 0;
            String at = " at 0x" + Long.toHexString(call.arg(0));
            if (!isPrivate) {
                return new TaskWait(call.tid(), false, 0, "a futex shared with other processes" + at
                        + (timed ? ", with a time-out" : "") + " (a semaphore or lock in shared memory)");
            }
            if (timed) {
                return new TaskWait(call.tid(), false, call.arg(0), true, call.stackPointer(), "a timed futex wait"
                        + at + " (a sleep or timed wait)");
            }
            return new TaskWait(call.tid(), true, call.arg(0), "a private futex" + at + " with no time-out");
        }
        if (table.readsFd(n) || table.writesFd(n)) {
            String fd = TaskSyscall.descriptor(pid, call.arg(0));
            return new TaskWait(call.tid(), false, 0, (table.readsFd(n) ? "a read on " : "a write to ")
                    + (fd == null ? "file descriptor " + call.arg(0) : fd));
        }
        if (table.sleeps(n)) {
            return new TaskWait(call.tid(), false, 0, "a sleep");
        }
        if (table.polls(n)) {
            return new TaskWait(call.tid(), false, 0, "poll, select or epoll");
        }
        if (table.waitsForChild(n)) {
            return new TaskWait(call.tid(), false, 0, "a wait for a child process");
        }
        if (table.waitsForSignal(n)) {
            return new TaskWait(call.tid(), false, 0, "a wait for a signal");
        }
        return new TaskWait(call.tid(), false, 0, "system call " + n);
    }
}
