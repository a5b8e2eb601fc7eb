package dev.forkguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The machine and JDKs a run measured on, read from /proc and the JDKs themselves. */
final class MachineInfo {

    private MachineInfo() {
    }

    static void describe(Map<String, String> into, RunConfig config) throws IOException, InterruptedException {
        into.put("CPU", cpuModel());
        into.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        into.put("memory", memTotal());
        into.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        into.put("JDK 17", javaVersion(config.jdk17));
        if (config.jdk25 != null) {
            into.put("JDK 25", javaVersion(config.jdk25));
        }
        into.put("agent jar", config.agentJar.getFileName() + ", " + Files.size(config.agentJar) / 1024 + " KiB");
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg"), StandardCharsets.UTF_8).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static String memTotal() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/meminfo"), StandardCharsets.UTF_8)) {
            if (line.startsWith("MemTotal:")) {
                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }

    /** The first line of {@code java -version} after the word "version", e.g. {@code 17.0.15+6-Debian-1deb12u1}. */
    private static String javaVersion(Path javaHome) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        p.waitFor(30, TimeUnit.SECONDS);
        String vendor = "";
        String version = "";
        for (String line : lines) {
            String t = line.trim();
            if (t.startsWith("java.runtime.version = ")) {
                version = t.substring("java.runtime.version = ".length());
            } else if (t.startsWith("java.vm.vendor = ")) {
                vendor = t.substring("java.vm.vendor = ".length());
            }
        }
        return version + " (" + vendor + ", " + javaHome + ")";
    }
}
