package dev.forkguard.agent.report.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.JsonReporter;
import dev.forkguard.agent.report.ThreadBlockRenderer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PythonHostTest {

    /** As python/forkguard/_context.py writes it (python/tests check that side). */
    static final String HANDED_OVER = "{\"host\":\"python\",\"version\":\"3.11.2\",\"implementation\":\"CPython\","
            + "\"startMethod\":\"fork\",\"forkedBy\":\"multiprocessing\",\"collectMicros\":140,"
            + "\"files\":[\"/srv/app.py\",\"/usr/lib/python3.11/multiprocessing/popen_fork.py\"],"
            + "\"forkingThread\":{\"name\":\"MainThread\",\"nativeId\":4000,\"daemon\":false,\"frames\":["
            + "[0,40,\"launch_workers\",\"child.start()\"],[1,66,\"_launch\",\"self.pid = os.fork()\"]]},"
            + "\"threads\":[{\"name\":\"model-loader\",\"nativeId\":4010,\"daemon\":true,\"frames\":["
            + "[0,28,\"wait_for_model\"]],\"someLaterField\":1},"
            + "{\"name\":\"<thread 7 not known to threading>\",\"nativeId\":null,\"daemon\":false,\"frames\":[]}]}";

    @Test
    void theHandOverIsReadWithUnknownFieldsIgnored() {
        PythonHost p = PythonHostParser.parse(HANDED_OVER);
        assertThat(p).isNotNull();
        assertThat(p.version()).isEqualTo("3.11.2");
        assertThat(p.startMethod()).isEqualTo("fork");
        assertThat(p.forkingThread().stack()).extracting(PythonHost.PythonFrame::function)
                .containsExactly("launch_workers", "_launch");
        assertThat(p.vanishingThreads()).extracting(PythonHost.PythonThread::name)
                .containsExactly("model-loader", "<thread 7 not known to threading>");
        assertThat(p.vanishingThreads().get(1).nativeId()).isNull();
        assertThat(p.isVanishingPythonThread(4010)).isTrue();
        assertThat(p.isVanishingPythonThread(4000)).isFalse(); // the forking thread lives on in the child
    }

    @Test
    void anythingElseIsNoPythonSection() {
        assertThat(PythonHostParser.parse(null)).isNull();
        assertThat(PythonHostParser.parse("not json")).isNull();
        assertThat(PythonHostParser.parse("{\"host\":\"ruby\"}")).isNull();
        assertThat(PythonHostParser.parse("[1,2]")).isNull();
        assertThat(PythonHostParser.parse("{\"host\":\"python\",\"threads\":7}").vanishingThreads()).isEmpty();
    }

    @Test
    void textIsPythonsTracebackNewestLast() {
        StringBuilder b = new StringBuilder();
        PythonHost p = PythonHostParser.parse(HANDED_OVER);
        PythonBlockRenderer.forkingCode(b, p);
        PythonBlockRenderer.vanishingThreads(b, p);
        assertThat(b.toString()).isEqualTo(""
                + "Python code that forked (thread \"MainThread\", native id 4000, most recent call last):\n"
                + "    File \"/srv/app.py\", line 40, in launch_workers\n"
                + "      child.start()\n"
                + "    File \"/usr/lib/python3.11/multiprocessing/popen_fork.py\", line 66, in _launch\n"
                + "      self.pid = os.fork()\n"
                + "Python threads that will not exist in the child (CPython 3.11.2; forked by multiprocessing, "
                + "multiprocessing start method fork):\n"
                + "  \"model-loader\" daemon, native id 4010 (most recent call last):\n"
                + "    File \"/srv/app.py\", line 28, in wait_for_model\n"
                + "  \"<thread 7 not known to threading>\" (most recent call last):\n");
    }

    @Test
    void aReportWithItsPythonSectionReadsBackAndRendersTheSame() throws Exception {
        ForkReport r = new ForkReport(ForkReport.SCHEMA, "test", 1, "2026-01-01T00:00:00Z", 4000, 4001, "17",
                "WARN", "headline", "verdict", 10, 0, null, null, List.of(), List.of(), List.of(), List.of(),
                new ForkReport.Tracking(0, 0, 0, 0), null, null, PythonHostParser.parse(HANDED_OVER));
        String json = JsonReporter.mapper().writeValueAsString(r);
        ForkReport back = JsonReporter.mapper().readValue(json, ForkReport.class);
        assertThat(back.python()).isEqualTo(r.python());
        assertThat(ThreadBlockRenderer.render(back)).isEqualTo(ThreadBlockRenderer.render(r))
                .contains("    File \"/srv/app.py\", line 40, in launch_workers\n");
        assertThat(r.withOutcome(null).python()).isEqualTo(r.python());
    }
}
