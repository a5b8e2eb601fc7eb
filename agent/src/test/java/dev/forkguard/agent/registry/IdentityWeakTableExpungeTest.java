package dev.forkguard.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentityWeakTableExpungeTest {

    @Test
    void collectedEntriesAreDroppedAndTablesShrinkWithoutAnotherPut() throws InterruptedException {
        IdentityWeakTable<String> table = new IdentityWeakTable<>(1_000_000);
        int emptyCapacity = table.capacity();
        Object[] keys = new Object[200_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Object();
            table.put(keys[i], "v");
        }
        assertThat(table.capacity()).isGreaterThan(200_000);

        keys = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (table.capacity() != emptyCapacity && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
            table.expungeStale();
        }

        assertThat(table.capacity()).as("buckets left after the keys were collected").isEqualTo(emptyCapacity);
        assertThat(table.size()).isZero();
    }
}
