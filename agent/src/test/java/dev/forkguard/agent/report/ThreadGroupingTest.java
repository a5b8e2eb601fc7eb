package dev.forkguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.agent.report.ForkReport.ThreadEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThreadGroupingTest {

    private static final List<String> PARKED = List.of("jdk.internal.misc.Unsafe.park(Native Method)",
            "java.util.concurrent.CountDownLatch.await(CountDownLatch.java:230)");

    private static ThreadEntry thread(long id, String name, List<String> stack) {
        return new ThreadEntry(id, name, "WAITING", false, stack, "main", "App.main(App.java:10)", List.of(), null,
                false);
    }

    @Test
    void alikeThreadsFormOneGroupAndHoldersStayAlone() {
        List<ThreadEntry> threads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            threads.add(thread(100 + i, "parked-" + i, PARKED));
        }
        threads.add(thread(7, "holder", PARKED));
        threads.add(thread(8, "other", List.of("App.run(App.java:3)")));
        ThreadGrouping.Result r = ThreadGrouping.group(threads, Set.of(7L), 1000);

        assertThat(r.groups()).hasSize(1);
        ForkReport.ThreadGroupEntry g = r.groups().get(0);
        assertThat(g.count()).isEqualTo(50);
        assertThat(g.namePattern()).isEqualTo("parked-*");
        assertThat(g.firstId()).isEqualTo(100);
        assertThat(g.lastId()).isEqualTo(149);
        assertThat(g.someNames()).containsExactly("parked-0", "parked-1", "parked-2", "parked-3", "parked-4");
        assertThat(r.listed()).hasSize(52);
        assertThat(r.omitted()).isZero();
        for (ThreadEntry t : r.listed()) {
            assertThat(t.group()).as(t.name()).isEqualTo(t.name().startsWith("parked-") ? Integer.valueOf(1) : null);
        }
    }

    @Test
    void theCapKeepsEveryLoneThreadAndOneMemberOfEachGroupFirst() {
        List<ThreadEntry> threads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            threads.add(thread(i, "a-" + i, PARKED));
            threads.add(thread(1000 + i, "b-" + i, List.of("B.run(B.java:1)")));
        }
        threads.add(thread(5000, "holder", PARKED));
        ThreadGrouping.Result r = ThreadGrouping.group(threads, Set.of(5000L), 3);

        assertThat(r.listed()).extracting(ThreadEntry::name).containsExactly("a-0", "b-0", "holder");
        assertThat(r.omitted()).isEqualTo(58);
        assertThat(r.groups()).extracting(ForkReport.ThreadGroupEntry::count).containsExactly(30, 30);
    }

    @Test
    void aGroupOfOneIsNoGroupAndNamesWithoutCommonPartGiveAStar() {
        ThreadGrouping.Result r = ThreadGrouping.group(List.of(thread(1, "x", PARKED)), Set.of(), 10);
        assertThat(r.groups()).isEmpty();
        assertThat(r.listed().get(0).group()).isNull();
        assertThat(ThreadGrouping.namePattern(List.of("Signal Dispatcher", "Attach Listener"))).isEqualTo("*");
        assertThat(ThreadGrouping.namePattern(List.of("pool-1-thread-1", "pool-1-thread-12"))).isEqualTo("pool-*-thread-*");
        assertThat(ThreadGrouping.namePattern(List.of("web-a", "web-b"))).isEqualTo("web-*");
        assertThat(ThreadGrouping.namePattern(List.of("", ""))).isEmpty();
    }
}
