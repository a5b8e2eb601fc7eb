package dev.forkguard.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityWeakTableTest {

    /** Equal to every other instance: the table must still tell them apart. */
    private static final class AllEqual {
        @Override
        public boolean equals(Object o) {
            return o instanceof AllEqual;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void keysAreComparedByIdentityNotEquals() {
        IdentityWeakTable<String> t = new IdentityWeakTable<>(1000);
        AllEqual a = new AllEqual();
        AllEqual b = new AllEqual();
        t.put(a, "a");
        t.put(b, "b");
        assertThat(t.get(a)).isEqualTo("a");
        assertThat(t.get(b)).isEqualTo("b");
        assertThat(t.size()).isEqualTo(2);
    }

    @Test
    void valuesAndTagsAreFoundByIdentityHashAlone() {
        IdentityWeakTable<String> t = new IdentityWeakTable<>(1000);
        Object key = new Object();
        t.put(key, "v", 42);
        final List<String> found = new ArrayList<>();
        t.findByIdentityHash(System.identityHashCode(key), new IdentityWeakTable.Visitor<String>() {
            @Override
            public void visit(Object k, String value, int tag) {
                found.add(value + "/" + tag + "/" + (k == key));
            }
        });
        assertThat(found).containsExactly("v/42/true");
    }

    @Test
    void tablesSharingACapacityHoldNoMoreThanItTogetherAndGetItBackWhenKeysAreCollected() throws Exception {
        TrackedCapacity capacity = new TrackedCapacity(100);
        IdentityWeakTable<String> a = new IdentityWeakTable<>(capacity);
        IdentityWeakTable<String> b = new IdentityWeakTable<>(capacity);
        List<Object> keep = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            Object k = new Object();
            keep.add(k);
            a.put(k, "a");
        }
        for (int i = 0; i < 80; i++) {
            Object k = new Object();
            keep.add(k);
            b.put(k, "b");
        }
        assertThat(a.size()).isEqualTo(80);
        assertThat(b.size()).isEqualTo(20);
        assertThat(a.dropped() + b.dropped()).isEqualTo(60);

        keep.clear();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (capacity.used() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
            a.expungeStale();
            b.expungeStale();
        }
        assertThat(capacity.used()).isZero();
        assertThat(b.put(new Object(), "again")).isTrue();
    }

    @Test
    void aFullTableDropsAndCountsNewEntries() {
        IdentityWeakTable<Integer> t = new IdentityWeakTable<>(16 * 4);
        List<Object> keep = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Object k = new Object();
            keep.add(k);
            t.put(k, i);
        }
        assertThat(t.size()).isLessThanOrEqualTo(64);
        assertThat(t.dropped()).isEqualTo(10_000 - t.size());
    }

    @Test
    void collectedKeysLeaveTheTable() throws Exception {
        IdentityWeakTable<Integer> t = new IdentityWeakTable<>(1_000_000);
        for (int i = 0; i < 100_000; i++) {
            t.put(new Object(), i);
        }
        for (int attempt = 0; attempt < 50 && t.size() > 0; attempt++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(t.size()).isZero();
    }
}
