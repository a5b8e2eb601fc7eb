package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkguard.demo.ForkDemo;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML view of a real fork report, opened in a real browser: the demo forks, the CLI renders its
 * JSON report to one HTML file, and headless Chromium (Debian's, installed here when missing, as root,
 * as CI runs) loads it from disk. The page writes what it laid out into the DOM; the screenshot is
 * checked for the graph's colours where the graph is. With {@code -Dforkguard.it.writeDocs=true} the
 * screenshot replaces docs/images/fork-view.png, which docs/USAGE.md shows.
 */
class HtmlViewIT {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path DOCS_SCREENSHOT = Paths.get("../docs/images/fork-view.png");
    private static final String WINDOW = "--window-size=1400,900";
    private static final int FORKING_GREEN = 0x1e8e3e;
    private static final int HOLDER_ORANGE = 0xe8710a;
    private static final int LOCK_RED = 0xd93025;

    @TempDir
    Path tmp;

    @BeforeAll
    static void chromiumInstalled() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            Output out = run(List.of("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y "
                    + "-qq chromium"), Files.createTempDirectory("forkguard-apt-"), 900);
            assertThat(CHROMIUM).as("Chromium is needed: apt-get install chromium (as root)\n" + out.stdout + out.stderr)
                    .isExecutable();
        }
    }

    @Test
    void htmlViewOfARealForkRendersTheForkingThreadTheHolderAndItsOrphanedLock() throws Exception {
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result demo = ForkedJvm.app(ForkDemo.class).agentArgs("reportDir=" + reports).run();
        assertThat(demo.exitCode).as(demo.toString()).isZero();
        Path json;
        try (Stream<Path> s = Files.list(reports)) {
            json = s.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        String forking = "thread:" + report.get("forkingThread").get("id").asLong();
        String holder = null;
        String lock = null;
        for (JsonNode l : report.get("orphanedLocks")) {
            if ("cache-refresher".equals(l.get("holderName").asText())) {
                holder = "thread:" + l.get("holderId").asLong();
                lock = "lock:" + l.get("identity").asText();
            }
        }
        assertThat(lock).as(report.toPrettyString()).isNotNull();

        Path html = tmp.resolve("fork-view.html");
        Output cli = run(List.of(ForkedJvm.JAVA_HOME.resolve("bin/java").toString(), "-jar",
                ForkedJvm.AGENT_JAR.toString(), "report", "--format", "html", json.toString(), "-o", html.toString()),
                tmp, 60);
        assertThat(cli.exitCode).as(cli.stdout + cli.stderr).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(html)))
                .as("owner-only, like the JSON report").isEqualTo("rw-------");
        String page = Files.readString(html);
        assertThat(page).doesNotContainPattern("<(script|link|img|iframe)\\b[^>]*\\b(src|href)=");

        // Opened on the lock, as a click on it would: its details say where it was created.
        Output dump = chromium(html.toUri() + "#select=" + java.net.URLEncoder.encode(lock, StandardCharsets.UTF_8)
                .replace("+", "%20"), "--dump-dom");
        assertThat(dump.exitCode).as(dump.stderr).isZero();
        String dom = dump.stdout;
        assertThat(dom).as(dom).contains("data-graph=\"rendered\"");
        Map<String, Map<String, String>> nodes = renderedNodes(dom);
        assertThat(nodes).as(dom).containsKeys(forking, holder, lock);
        assertThat(nodes.get(forking).get("data-classes")).contains("forking");
        assertThat(nodes.get(holder).get("data-classes")).contains("vanishing").contains("holder");
        assertThat(nodes.get(lock).get("data-classes")).contains("orphaned");
        for (String id : List.of(forking, holder, lock)) {
            assertThat(nodes.get(id).get("data-in-view")).as(id).isEqualTo("true");
        }
        String details = dom.substring(dom.indexOf("<aside id=\"details\""), dom.indexOf("</aside>"));
        assertThat(details).contains("orphaned lock (SYNCHRONIZER)").contains("<dt>Created at</dt>")
                .contains("dev.forkguard.demo.ForkDemo.main(ForkDemo.java:").contains("Held by");
        assertThat(Integer.parseInt(attribute(dom, "data-edge-count"))).as("holds, locked and fork edges")
                .isGreaterThanOrEqualTo(3);

        Path png = Paths.get("target/fork-view.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Output shot = chromium(html.toUri().toString(), "--screenshot=" + png, "--hide-scrollbars");
        assertThat(shot.exitCode).as(shot.stderr).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1400);
        String[] rect = attribute(dom, "data-graph-rect").split(",");
        int x = Integer.parseInt(rect[0]);
        int y = Integer.parseInt(rect[1]);
        int w = Integer.parseInt(rect[2]);
        int h = Integer.parseInt(rect[3]);
        // Painted by Cytoscape on its canvas, not by the page's HTML: the graph was drawn, not only laid out.
        assertThat(pixelsNear(image, x, y, w, h, FORKING_GREEN)).as("forking thread's diamond").isGreaterThan(200);
        assertThat(pixelsNear(image, x, y, w, h, HOLDER_ORANGE)).as("holders' nodes").isGreaterThan(200);
        assertThat(pixelsNear(image, x, y, w, h, LOCK_RED)).as("orphaned locks' nodes").isGreaterThan(200);
        if (Boolean.getBoolean("forkguard.it.writeDocs")) {
            Files.createDirectories(DOCS_SCREENSHOT.getParent());
            Files.copy(png, DOCS_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Output chromium(String url, String... args) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile-");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, WINDOW, "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        cmd.add(url);
        return run(cmd, tmp, 120);
    }

    /** The legend of rendered nodes the page writes after layout: node id to its data attributes. */
    private static Map<String, Map<String, String>> renderedNodes(String dom) {
        Map<String, Map<String, String>> nodes = new HashMap<>();
        Matcher li = Pattern.compile("<li ([^>]*data-node-id=[^>]*)>").matcher(dom);
        while (li.find()) {
            Map<String, String> attrs = new HashMap<>();
            Matcher a = Pattern.compile("([a-z-]+)=\"([^\"]*)\"").matcher(li.group(1));
            while (a.find()) {
                attrs.put(a.group(1), a.group(2).replace("&amp;", "&"));
            }
            nodes.put(attrs.get("data-node-id"), attrs);
        }
        return nodes;
    }

    private static String attribute(String dom, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(dom);
        assertThat(m.find()).as(name + " in\n" + dom).isTrue();
        return m.group(1);
    }

    private static int pixelsNear(BufferedImage image, int x0, int y0, int w, int h, int rgb) {
        int count = 0;
        for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y0 + h); y++) {
            for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x0 + w); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 12
                        && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 12
                        && Math.abs((p & 0xff) - (rgb & 0xff)) < 12) {
                    count++;
                }
            }
        }
        return count;
    }

    private static final class Output {
        final int exitCode;
        final String stdout;
        final String stderr;

        Output(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }
    }

    /** Runs a command within {@code seconds}; on time-out it and its descendants get SIGKILL. */
    private static Output run(List<String> cmd, Path dir, long seconds) throws Exception {
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean finished = p.waitFor(seconds, TimeUnit.SECONDS);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        if (!finished) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        return new Output(finished ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                (finished ? "" : "timed out after " + seconds + " s: " + String.join(" ", cmd) + "\n") + stderr);
    }
}
