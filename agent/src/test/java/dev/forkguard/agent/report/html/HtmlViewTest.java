package dev.forkguard.agent.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.JsonReporter;
import org.junit.jupiter.api.Test;

class HtmlViewTest {

    /** A thread name that tries to end the embedded JSON's script element and run its own. */
    private static final String HOSTILE = "</script><script>alert(1)</script><!--forkguard:view.js--> & co";

    /** Built from JSON, so that fields added to the report later need no change here. */
    static ForkReport report(String threadName) throws Exception {
        String json = "{\"schema\":\"forkguard.fork-report/1\",\"sequence\":3,\"time\":\"2026-01-01T00:00:00Z\","
                + "\"parentPid\":4242,\"childPid\":4243,\"severity\":\"WARN\",\"headline\":\"h <b>\","
                + "\"verdict\":\"v\",\"snapshotMicros\":10,"
                + "\"forkingThread\":{\"id\":1,\"name\":\"main\",\"state\":\"RUNNABLE\",\"stack\":[\"a.B.fork(B.java:1)\"]},"
                + "\"vanishingThreads\":[{\"id\":7,\"name\":" + JsonReporter.mapper().writeValueAsString(threadName)
                + ",\"state\":\"WAITING\",\"stack\":[]}],"
                + "\"osThreads\":[],\"orphanedLocks\":[{\"kind\":\"SYNCHRONIZER\",\"type\":\"java.util.concurrent.locks."
                + "ReentrantLock\",\"identity\":\"java.util.concurrent.locks.ReentrantLock@1\",\"holderId\":7,"
                + "\"holderName\":\"x\",\"createdAt\":\"a.B.<init>(B.java:2)\"}],\"classInitInProgress\":[]}";
        return JsonReporter.mapper().readValue(json, ForkReport.class);
    }

    @Test
    void reportTextCannotEndItsScriptElement() throws Exception {
        String page = HtmlView.render(report(HOSTILE));
        // The page's own three script elements and no more; the name is there, escaped, once.
        assertThat(page.split("</script>", -1)).hasSize(4);
        assertThat(page).doesNotContain("alert(1)</script>")
                .contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)")
                .contains("<title>forkguard: fork #3 in pid 4242</title>");
    }

    @Test
    void embeddedReportReadsBackAsTheSameReport() throws Exception {
        ForkReport report = report(HOSTILE);
        String page = HtmlView.render(report);
        String open = "<script type=\"application/json\" id=\"forkguard-report\">";
        int from = page.indexOf(open) + open.length();
        String json = page.substring(from, page.indexOf("</script>", from));
        assertThat(JsonReporter.mapper().readValue(json, ForkReport.class)).isEqualTo(report);
    }

    @Test
    void pageLoadsNothingFromOutside() throws Exception {
        String page = HtmlView.render(report("worker"));
        assertThat(page).doesNotContainPattern("<(script|link|img|iframe|object|embed)\\b[^>]*\\b(src|href)=")
                .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
                .contains("Copyright (c) 2016-2025, The Cytoscape Consortium.")
                .doesNotContain("<!--forkguard:");
    }
}
