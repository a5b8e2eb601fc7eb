package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Plants a symbolic link where forkguard will write its first report (forkguard-PID-START-1.json in
 * the given directory, START being this JVM's start time from /proc/self/stat), pointing at the given
 * file, then forks once. Args: report directory, link target.
 */
public final class PlantedReportLinkApp {

    private PlantedReportLinkApp() {}

    public static void main(String[] args) throws Exception {
        Libc.bind();
        int pid = Libc.getpid();
        long start = dev.forkguard.probe.proc.ProcessStat.read(pid).orElseThrow().startTime();
        Path link = Paths.get(args[0]).resolve("forkguard-" + pid + "-" + start + "-1.json");
        Files.createSymbolicLink(link, Paths.get(args[1]));
        int child = Libc.fork();
        if (child == 0) {
            Libc._exit(0);
        }
        ChildWaits.awaitOrKill(child, 5000);
        System.out.println("app: planted " + link + " and forked");
    }
}
