package dev.forkguard.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackingBudgetTest {

    @Test
    void aBurstOfTenSecondsWorthIsAllowedThenRefused() {
        TrackingBudget budget = new TrackingBudget(1_000);
        int taken = 0;
        for (int i = 0; i < 50_000; i++) {
            taken += budget.tryTake() ? 1 : 0;
        }
        // 10,000 burst plus what refilled while the loop ran (a few ms here, so a few tokens).
        assertThat(taken).isBetween(10_000, 11_000);
        assertThat(budget.refused()).isEqualTo(50_000 - taken);
    }

    @Test
    void unlimitedNeverRefuses() {
        for (int i = 0; i < 100_000; i++) {
            assertThat(TrackingBudget.UNLIMITED.tryTake()).isTrue();
        }
        assertThat(TrackingBudget.UNLIMITED.refused()).isZero();
    }
}
