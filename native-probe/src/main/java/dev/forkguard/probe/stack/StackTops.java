package dev.forkguard.probe.stack;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The stack bounds of threads that forked, by {@code pthread_self()}: a fixed open-addressed table,
 * read without allocation or locks inside the fork window. A thread descriptor lives at the top of
 * its thread's stack block, so a descriptor address reused by a later thread means the same top.
 * When full, new threads are simply not cached.
 */
final class StackTops {

    private static final int SLOTS = 256;

    private final AtomicLongArray keys = new AtomicLongArray(SLOTS);
    private final AtomicLongArray tops = new AtomicLongArray(SLOTS);
    private final AtomicLongArray bottoms = new AtomicLongArray(SLOTS);

    /** The cached top for {@code thread}, or 0. */
    long get(long thread) {
        int s = find(thread);
        return s < 0 ? 0 : tops.get(s);
    }

    /** The cached bottom (lowest address) for {@code thread}, or 0. */
    long bottom(long thread) {
        int s = find(thread);
        return s < 0 ? 0 : bottoms.get(s);
    }

    private int find(long thread) {
        int start = slot(thread);
        for (int i = 0; i < SLOTS; i++) {
            int s = (start + i) & (SLOTS - 1);
            long key = keys.get(s);
            if (key == thread) {
                return s;
            }
            if (key == 0) {
                return -1;
            }
        }
        return -1;
    }

    void put(long thread, long bottom, long top) {
        int start = slot(thread);
        for (int i = 0; i < SLOTS; i++) {
            int s = (start + i) & (SLOTS - 1);
            long key = keys.get(s);
            if (key == thread) {
                return;
            }
            // The bounds are written before the key is published, so a reader that finds the key finds them.
            if (key == 0 && tops.compareAndSet(s, 0, top)) {
                bottoms.set(s, bottom);
                keys.set(s, thread);
                return;
            }
        }
    }

    private static int slot(long thread) {
        long h = thread * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 56) & (SLOTS - 1);
    }
}
