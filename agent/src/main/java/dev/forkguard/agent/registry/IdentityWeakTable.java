package dev.forkguard.agent.registry;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded, striped map from objects, held weakly and compared by identity, to values.
 *
 * <p>Why not {@code WeakHashMap}: the fork-time snapshot only knows a held lock by its identity hash
 * (that is all {@code ThreadMXBean} gives), so entries must also be found by hash alone; and keys
 * are compared by identity, whatever {@code equals} the key's class defines. A full table drops new
 * entries and counts them rather than grow without bound; tables may share one {@link TrackedCapacity}.
 *
 * <p>An entry is the weak reference itself, with the key's identity hash, an int tag (the tracked
 * object's own identity hash, when the key is its synchronizer) and a value meant to be shared
 * (an interned creation site): 48 bytes with compressed pointers, plus its bucket slot.
 */
public final class IdentityWeakTable<V> {

    private static final int STRIPES = 16;
    private static final int MIN_TABLE = 16;

    /** Receives the live entries of {@link #forEach}: key, value and the tag they were put with. */
    public interface Visitor<V> {
        void visit(Object key, V value, int tag);
    }

    private final Stripe<V>[] stripes;
    private final TrackedCapacity capacity;
    private final LongAdder dropped = new LongAdder();

    /** A table of its own capacity. */
    public IdentityWeakTable(int maxEntries) {
        this(new TrackedCapacity(maxEntries));
    }

    @SuppressWarnings("unchecked")
    public IdentityWeakTable(TrackedCapacity capacity) {
        this.capacity = capacity;
        this.stripes = (Stripe<V>[]) new Stripe<?>[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe<>(capacity);
        }
    }

    /** Adds or replaces the value for {@code key}; false when the capacity is spent and it was dropped. */
    public boolean put(Object key, V value) {
        return put(key, value, 0);
    }

    /** {@link #put(Object, Object)} with a tag kept beside the value (see {@link Visitor}). */
    public boolean put(Object key, V value, int tag) {
        int hash = System.identityHashCode(key);
        Stripe<V> s = stripeOf(hash);
        synchronized (s) {
            s.expunge();
            Entry<V> e = s.find(key, hash);
            if (e != null) {
                e.value = value;
                e.tag = tag;
                return true;
            }
            if (!capacity.tryTake()) {
                dropped.increment();
                return false;
            }
            s.add(new Entry<>(key, hash, value, tag, s.queue));
            return true;
        }
    }

    /** The value for {@code key}, or null. */
    public V get(Object key) {
        int hash = System.identityHashCode(key);
        Stripe<V> s = stripeOf(hash);
        synchronized (s) {
            Entry<V> e = s.find(key, hash);
            return e == null ? null : e.value;
        }
    }

    /** Visits the live entries whose key's identity hash is {@code hash}. */
    public void findByIdentityHash(int hash, Visitor<V> visitor) {
        Stripe<V> s = stripeOf(hash);
        synchronized (s) {
            for (Entry<V> e = s.table[s.indexOf(hash)]; e != null; e = e.next) {
                Object key = e.get();
                if (e.hash == hash && key != null) {
                    visitor.visit(key, e.value, e.tag);
                }
            }
        }
    }

    /**
     * Drops the entries whose keys were collected, in every stripe, and shrinks tables left mostly
     * empty. {@link #put} only cleans its own stripe: without this, the entries (and creation
     * traces) of a burst of short-lived locks stayed until the next put into the same stripe
     * (docs/DESIGN.md, Instrumentation).
     * For a background thread, not the fork window.
     */
    public void expungeStale() {
        for (Stripe<V> s : stripes) {
            synchronized (s) {
                s.expunge();
            }
        }
    }

    /** Visits every live entry; the visitor runs under a stripe's lock and must be quick. */
    public void forEach(Visitor<V> visitor) {
        for (Stripe<V> s : stripes) {
            synchronized (s) {
                for (Entry<V> head : s.table) {
                    for (Entry<V> e = head; e != null; e = e.next) {
                        Object key = e.get();
                        if (key != null) {
                            visitor.visit(key, e.value, e.tag);
                        }
                    }
                }
            }
        }
    }

    /** Live entries, after dropping those whose keys were collected. */
    public int size() {
        int n = 0;
        for (Stripe<V> s : stripes) {
            synchronized (s) {
                s.expunge();
                n += s.size;
            }
        }
        return n;
    }

    /** Buckets over all stripes: what the table costs when empty. */
    int capacity() {
        int n = 0;
        for (Stripe<V> s : stripes) {
            synchronized (s) {
                n += s.table.length;
            }
        }
        return n;
    }

    /** Entries refused because the capacity was spent. */
    public long dropped() {
        return dropped.sum();
    }

    private Stripe<V> stripeOf(int hash) {
        return stripes[(hash ^ (hash >>> 16)) & (STRIPES - 1)];
    }

    private static final class Entry<V> extends WeakReference<Object> {
        final int hash;
        int tag;
        V value;
        Entry<V> next;

        Entry(Object key, int hash, V value, int tag, ReferenceQueue<Object> queue) {
            super(key, queue);
            this.hash = hash;
            this.value = value;
            this.tag = tag;
        }
    }

    private static final class Stripe<V> {
        final ReferenceQueue<Object> queue = new ReferenceQueue<>();
        final TrackedCapacity capacity;
        Entry<V>[] table = newTable(MIN_TABLE);
        int size;

        Stripe(TrackedCapacity capacity) {
            this.capacity = capacity;
        }

        @SuppressWarnings("unchecked")
        private static <V> Entry<V>[] newTable(int length) {
            return (Entry<V>[]) new Entry<?>[length];
        }

        int indexOf(int hash) {
            // The low bits chose the stripe; mix so the bucket does not depend on them alone.
            int h = hash * 0x9E3779B9;
            return (h ^ (h >>> 15)) & (table.length - 1);
        }

        Entry<V> find(Object key, int hash) {
            for (Entry<V> e = table[indexOf(hash)]; e != null; e = e.next) {
                if (e.hash == hash && e.get() == key) {
                    return e;
                }
            }
            return null;
        }

        void add(Entry<V> e) {
            if (size >= table.length - (table.length >>> 2)) {
                resize();
            }
            int i = indexOf(e.hash);
            e.next = table[i];
            table[i] = e;
            size++;
        }

        @SuppressWarnings("unchecked")
        void expunge() {
            Reference<?> ref;
            boolean removed = false;
            while ((ref = queue.poll()) != null) {
                remove((Entry<V>) ref);
                removed = true;
            }
            if (removed && table.length > MIN_TABLE && size < table.length >>> 3) {
                int length = MIN_TABLE;
                while (length - (length >>> 2) <= size * 2) {
                    length <<= 1;
                }
                rehash(length);
            }
        }

        private void remove(Entry<V> dead) {
            int i = indexOf(dead.hash);
            Entry<V> prev = null;
            for (Entry<V> e = table[i]; e != null; prev = e, e = e.next) {
                if (e == dead) {
                    if (prev == null) {
                        table[i] = e.next;
                    } else {
                        prev.next = e.next;
                    }
                    e.value = null;
                    size--;
                    capacity.release();
                    return;
                }
            }
        }

        private void resize() {
            rehash(table.length * 2);
        }

        private void rehash(int length) {
            Entry<V>[] old = table;
            table = newTable(length);
            for (Entry<V> head : old) {
                Entry<V> e = head;
                while (e != null) {
                    Entry<V> next = e.next;
                    int i = indexOf(e.hash);
                    e.next = table[i];
                    table[i] = e;
                    e = next;
                }
            }
        }
    }
}
