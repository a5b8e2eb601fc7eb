package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkguard.it.app.ClassInitForkApp;
import dev.forkguard.it.app.ConcurrentForksApp;
import dev.forkguard.it.app.EarlyForkAgent;
import dev.forkguard.it.app.ManyThreadsForkApp;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forks at awkward moments: from many threads at once, with thousands of threads alive, while a
 * class is being initialised, and while the agent itself is starting.
 */
class ForkConcurrencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static List<JsonNode> reports(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                out.add(JSON.readTree(p.toFile()));
            }
        }
        return out;
    }

    @Test
    void forksFromEightThreadsAtOnceGetOneReportEachWithTheirOwnThreadAndChild() throws Exception {
        int threads = 8;
        int forksEach = 5;
        Path dir = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(ConcurrentForksApp.class)
                .agentArgs("reportDir=" + dir + ",maxReports=1000,logRate=1000")
                .args(String.valueOf(threads), String.valueOf(forksEach)).run();
        assertThat(r.exitCode).as(r.toString()).isZero();

        // What the application saw: which thread forked which child.
        Map<Integer, String> forkerOfChild = new HashMap<>();
        Matcher m = Pattern.compile("app: (forker-\\d+) forked child (\\d+) \\((exited|killed)\\)").matcher(r.stdout);
        while (m.find()) {
            forkerOfChild.put(Integer.parseInt(m.group(2)), m.group(1));
        }
        assertThat(forkerOfChild).as(r.toString()).hasSize(threads * forksEach);

        List<JsonNode> reports = reports(dir);
        assertThat(reports).as(r.toString()).hasSize(threads * forksEach);
        Set<Long> sequences = new HashSet<>();
        Map<Integer, String> reported = new HashMap<>();
        for (JsonNode report : reports) {
            sequences.add(report.get("sequence").asLong());
            String forker = report.get("forkingThread").get("name").asText();
            int child = report.get("childPid").asInt();
            assertThat(reported.put(child, forker)).as("child %d reported once", child).isNull();
            // The forking thread's own stack, not another forker's: it is not among the vanishing threads.
            for (JsonNode t : report.get("vanishingThreads")) {
                assertThat(t.get("name").asText()).isNotEqualTo(forker);
            }
            assertThat(report.get("forkingThread").get("stack").get(0).asText())
                    .startsWith("dev.forkguard.probe.Libc.fork(");
        }
        assertThat(reported).isEqualTo(forkerOfChild);
        assertThat(sequences).hasSize(threads * forksEach);
        // Logged once each too (the child's later verdict, "fork #N in pid P: child pid C ...", aside).
        Matcher headline = Pattern.compile("\\[forkguard\\] (INFO|WARN)  fork #\\d+ in pid \\d+ by thread").matcher(r.stderr);
        int headlines = 0;
        while (headline.find()) {
            headlines++;
        }
        assertThat(headlines).isEqualTo(threads * forksEach);
        assertThat(r.stderr).doesNotContain("Exception").doesNotContain("could not report");
    }

    @Test
    void forkWithTwoThousandLiveThreadsCountsThemAllAndTheApplicationKeepsWorking() throws Exception {
        int threads = 2000;
        Path dir = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(ManyThreadsForkApp.class).agentArgs("reportDir=" + dir)
                .jvmArg("-Xss256k").args(String.valueOf(threads)).timeout(Duration.ofSeconds(120)).run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).contains("exited with code 0")
                .contains("app: forked with 2000 threads alive, all of them ended, still working");

        List<JsonNode> reports = reports(dir);
        assertThat(reports).as(r.toString()).hasSize(1);
        JsonNode report = reports.get(0);
        // Alike threads form one group, which counts them all; the list keeps up to its cap (docs/REPORT.md).
        JsonNode parkedGroup = null;
        for (JsonNode g : report.get("threadSummary").get("groups")) {
            if ("parked-*".equals(g.get("namePattern").asText())) {
                parkedGroup = g;
            }
        }
        assertThat(parkedGroup).as(report.toPrettyString()).isNotNull();
        assertThat(parkedGroup.get("count").asInt()).isEqualTo(threads);
        Set<String> parked = new HashSet<>();
        for (JsonNode t : report.get("vanishingThreads")) {
            if (t.get("name").asText().startsWith("parked-")) {
                parked.add(t.get("name").asText());
                assertThat(t.get("group").asInt()).isEqualTo(parkedGroup.get("id").asInt());
            }
        }
        assertThat(parked.size() + report.get("threadSummary").get("omitted").asInt()).isEqualTo(threads);
        assertThat(report.get("vanishingThreads").size()).isLessThanOrEqualTo(
                report.get("threadSummary").get("listCap").asInt());
        assertThat(report.get("outcome").get("verdict").asText()).isEqualTo("EXITED");
        assertThat(r.stderr).containsPattern("fork #1 in pid \\d+ by thread \"main\" \\(tid \\d+\\), child pid \\d+: "
                + "\\d{4} Java and \\d+ other threads vanish");
    }

    @Test
    void forkWhileAnotherThreadInitialisesAClassNamesTheClassInitHazard() throws Exception {
        Path dir = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(ClassInitForkApp.class).agentArgs("reportDir=" + dir).run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).contains("exited with code 0").contains("app: SlowInit initialised");

        String slowInit = ClassInitForkApp.class.getName() + "$SlowInit";
        assertThat(r.stderr).as(r.toString())
                .containsPattern("WARN  fork #1 in pid \\d+ by thread \"main\"")
                .containsPattern("Class initialisation in progress in vanishing threads:\n  "
                        + Pattern.quote(slowInit) + " by \"initialiser\" #\\d+\n")
                .contains("Class " + slowInit + " was being initialised by a vanishing thread: its first use in the "
                        + "child waits for ever.");
        JsonNode report = reports(dir).get(0);
        assertThat(report.get("severity").asText()).isEqualTo("WARN");
        assertThat(report.get("classInitInProgress")).hasSize(1);
        assertThat(report.get("classInitInProgress").get(0).get("className").asText()).isEqualTo(slowInit);
        assertThat(report.get("classInitInProgress").get(0).get("threadName").asText()).isEqualTo("initialiser");
    }

    /**
     * Forks go on from another thread all through the agent's start-up. Documented behaviour (see
     * docs/RELIABILITY.md): forks before the fork handlers are registered are not seen; every one
     * after is reported; the application neither fails nor hangs, and every child is reaped.
     */
    @Test
    void forksDuringAgentStartUpNeitherFailNorHangAndThoseAfterRegistrationAreReported() throws Exception {
        Path starter = tmp.resolve("early-fork-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), EarlyForkAgent.class.getName());
        try (OutputStream out = Files.newOutputStream(starter); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        Path dir = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(EarlyForkAgent.class).jvmArg("-javaagent:" + starter)
                .agentArgs("reportDir=" + dir + ",maxReports=100000,logRate=1").args("10")
                .timeout(Duration.ofSeconds(120)).run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        Matcher m = Pattern.compile("app: (\\d+) forks, (\\d+) of them before main, 0 failed, (\\d+) children killed")
                .matcher(r.stdout);
        assertThat(m.find()).as(r.toString()).isTrue();
        int forks = Integer.parseInt(m.group(1));
        int beforeMain = Integer.parseInt(m.group(2));
        // forkguard's premain runs after the early agent's and before main: the early forks overlap it.
        assertThat(beforeMain).as(r.toString()).isPositive();
        assertThat(forks).isEqualTo(beforeMain + 10);
        assertThat(r.stderrLines("fork handlers registered")).hasSize(1);
        assertThat(r.stderr).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("could not start");

        List<JsonNode> reports = reports(dir);
        // Every fork made after main (the handlers were registered before main), and none of those
        // made before the handlers were registered.
        assertThat(reports.size()).as(r.toString()).isBetween(10, forks);
        Set<Long> sequences = new HashSet<>();
        for (JsonNode report : reports) {
            assertThat(report.get("forkingThread").get("name").asText()).isEqualTo("early-forker");
            sequences.add(report.get("sequence").asLong());
        }
        // Numbered from 1 with no gap: no fork the handlers saw went unreported.
        assertThat(sequences).hasSize(reports.size());
        assertThat(sequences.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(reports.size());
    }
}
