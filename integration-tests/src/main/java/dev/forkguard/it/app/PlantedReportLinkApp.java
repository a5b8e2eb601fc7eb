package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Plants a symbolic link where forkguard will write its first report (forkguard-PID-1.json in the
 * given directory), pointing at the given file, then forks once. Args: report directory, link target.
 */
public final class PlantedReportLinkApp {

    private PlantedReportLinkApp() {}

    public static void main(String[] args) throws Exception {
        Libc.bind();
        Path link = Paths.get(args[0]).resolve("forkguard-" + ProcessHandle.current().pid() + "-1.json");
        Files.createSymbolicLink(link, Paths.get(args[1]));
        int child = Libc.fork();
        if (child == 0) {
            Libc._exit(0);
        }
        ChildWaits.awaitOrKill(child, 5000);
        System.out.println("app: planted " + link + " and forked");
    }
}
