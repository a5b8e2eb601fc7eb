package dev.forkguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadBlockRendererTest {

    private static ForkReport report(ForkReport.Tracking tracking) {
        return new ForkReport(ForkReport.SCHEMA, "test", 1, "2026-01-01T00:00:00Z", 4242, 4243, "17", "INFO",
                "headline", "verdict", 10, 0, null, null, List.of(), List.of(), List.of(), List.of(), tracking, null);
    }

    @Test
    void whatWentUntrackedIsSaidWithItsCounts() {
        String text = ThreadBlockRenderer.render(report(new ForkReport.Tracking(10, 3, 1_234, 5)));
        assertThat(text).contains("Not tracked (trackRate, maxTracked): 1234 locks, 5 threads and executors since the"
                + " start");
    }

    @Test
    void nothingIsSaidWhenEverythingWasTracked() {
        assertThat(ThreadBlockRenderer.render(report(new ForkReport.Tracking(10, 3, 0, 0)))).doesNotContain("Not tracked");
    }
}
