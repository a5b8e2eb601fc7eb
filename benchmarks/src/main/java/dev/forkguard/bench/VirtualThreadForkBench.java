package dev.forkguard.bench;

import dev.forkguard.bench.subject.VirtualThreadForkTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fork pause and report cost with 0, 1,000 and 10,000 virtual threads alive (JDK 21+), without and
 * with the agent, side by side; prints the rows of the "Virtual threads" section of
 * docs/PERFORMANCE.md (that section is pasted from this output: PerformanceRun rewrites the rest).
 *
 * <pre>
 * java -cp benchmarks/target/forkguard-benchmarks.jar dev.forkguard.bench.VirtualThreadForkBench \
 *     [--agent JAR] [--jdk DIR] [--counts 0,1000,10000] [--forks WARMUP,MEASURED] [--settle MS]
 * </pre>
 */
public final class VirtualThreadForkBench {

    private static final Pattern SNAPSHOT = Pattern.compile("\"snapshotMicros\"\\s*:\\s*(\\d+)");
    private static final Pattern VIRTUAL_LATE = Pattern.compile("\"virtualThreadsAfterForkMicros\"\\s*:\\s*(\\d+)");
    private static final Pattern SEQUENCE = Pattern.compile("\"sequence\"\\s*:\\s*(\\d+)");

    private VirtualThreadForkBench() {
    }

    public static void main(String[] args) throws Exception {
        Path agent = Paths.get("agent/target/forkguard-agent.jar");
        Path jdk = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");
        int[] counts = {0, 1000, 10000};
        int warmUp = 3;
        int measured = 10;
        long settle = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agent" -> agent = Paths.get(args[++i]);
                case "--jdk" -> jdk = Paths.get(args[++i]);
                case "--counts" -> counts = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                case "--forks" -> {
                    String[] f = args[++i].split(",");
                    warmUp = Integer.parseInt(f[0]);
                    measured = Integer.parseInt(f[1]);
                }
                case "--settle" -> settle = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path jar = Paths.get(VirtualThreadForkBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        RunConfig config = new RunConfig(false, agent, jar, Paths.get(System.getProperty("java.home")), jdk, null, null);
        System.out.println("| virtual threads | fork pause, no agent | no agent, dumpThreads after each fork "
                + "| fork pause, agent | snapshot in the window | virtual threads dumped after the fork "
                + "| fork to JSON report | JSON report | log lines | RSS, no agent | RSS, no agent, dumping "
                + "| RSS, agent |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int v : counts) {
            ChildJvm.Result none = config.jvm(jdk, VirtualThreadForkTarget.class)
                    .args(v, warmUp, measured, settle, "-").timeoutSeconds(600).run();
            // The application itself dumping as the agent does after each fork: what that alone costs.
            ChildJvm.Result dumping = config.jvm(jdk, VirtualThreadForkTarget.class)
                    .args(v, warmUp, measured, settle, "-", VirtualThreadForkTarget.DUMP_EACH_FORK)
                    .timeoutSeconds(900).run();
            Path reports = Files.createTempDirectory("forkguard-bench-vt-");
            Path log = Files.createTempDirectory("forkguard-bench-vt-log-").resolve("agent.log");
            ChildJvm.Result withAgent = config.jvm(jdk, VirtualThreadForkTarget.class)
                    .args(v, warmUp, measured, settle, reports.toAbsolutePath())
                    .agent(agent, "reportDir=" + reports.toAbsolutePath() + ",maxReports=1000,log=" + log)
                    .timeoutSeconds(900).run();
            List<Long> snapshot = new ArrayList<>();
            List<Long> late = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            try (Stream<Path> files = Files.list(reports)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String json = Files.readString(f, StandardCharsets.UTF_8);
                    Matcher seq = SEQUENCE.matcher(json);
                    if (!seq.find() || Long.parseLong(seq.group(1)) <= warmUp) {
                        continue;
                    }
                    sizes.add(Files.size(f) * 1000);
                    snapshot.add(micros(SNAPSHOT, json));
                    late.add(micros(VIRTUAL_LATE, json));
                }
            }
            int logLines = logLines(Files.readString(log, StandardCharsets.UTF_8));
            Files.deleteIfExists(log);
            Files.deleteIfExists(log.getParent());
            for (Path f : Files.list(reports).toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(reports);
            System.out.printf(Locale.ROOT, "| %,d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %s | %.0f ms | %,d KB "
                    + "| %d | %d MB | %d MB | %d MB |%n", v,
                    Stats.ofNanosAsMillis(none.longs("forkNanos")).median(),
                    Stats.ofNanosAsMillis(dumping.longs("forkNanos")).median(),
                    Stats.ofNanosAsMillis(withAgent.longs("forkNanos")).median(), median(snapshot) / 1e6,
                    v == 0 && median(late) == 0 ? "none" : String.format(Locale.ROOT, "%.0f ms", median(late) / 1e6),
                    Stats.ofNanosAsMillis(withAgent.longs("forkToReportNanos")).median(), median(sizes) / 1000 / 1024,
                    logLines, none.one("rssBytes") >> 20, dumping.one("rssBytes") >> 20,
                    withAgent.one("rssBytes") >> 20);
        }
    }

    private static long micros(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) * 1000 : 0;
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** Lines of the last fork report the agent logged (headline to verdict). */
    private static int logLines(String output) {
        int from = output.lastIndexOf("] WARN  fork #");
        if (from < 0) {
            from = output.lastIndexOf("] INFO  fork #");
        }
        if (from < 0) {
            return 0;
        }
        int to = output.indexOf("\nVerdict: ", from);
        return to < 0 ? 0 : output.substring(from, to).split("\n").length + 1;
    }
}
