package dev.forkguard.agent.report.html;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.JsonReporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Renders a fork report as one self-contained HTML page: the report itself as embedded JSON, the
 * page's own script and style, and Cytoscape.js (MIT licence, header kept) for the graph of threads
 * and locks, all inline. A Content-Security-Policy of {@code default-src 'none'} keeps the page from
 * loading anything, so it opens the same offline, from a mail attachment or from a ticket.
 */
public final class HtmlView {

    private static final String PAGE = "view.html";
    private static final String[] INLINED = {"view.css", "cytoscape.min.js", "view.js"};

    private HtmlView() {}

    public static String render(ForkReport report) throws IOException {
        String page = resource(PAGE);
        page = page.replace("<!--forkguard:title-->", escapeHtml("forkguard: fork #" + report.sequence() + " in pid "
                + report.parentPid()));
        page = page.replace("<!--forkguard:report-->", scriptSafeJson(report));
        for (String name : INLINED) {
            String content = resource(name);
            if (content.contains("</script") || content.contains("</style")) {
                throw new IllegalStateException(name + " cannot be inlined: it closes its own element");
            }
            page = page.replace("<!--forkguard:" + name + "-->", content);
        }
        return page;
    }

    /**
     * The report as JSON that cannot end its script element: {@code <}, {@code >} and {@code &} appear
     * in JSON only inside strings, where their {@code \}{@code u} escapes mean the same text.
     */
    static String scriptSafeJson(ForkReport report) throws IOException {
        return JsonReporter.mapper().writeValueAsString(report)
                .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlView.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + HtmlView.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
