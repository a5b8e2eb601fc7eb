package dev.forkguard.agent.report;

/**
 * Recognises HotSpot's own threads by their OS names ({@code /proc/self/task/<tid>/comm}, at most 15
 * characters). They never appear in {@code ThreadMXBean}, yet the child needs some of them: without
 * the VM Thread no safepoint, and so no garbage collection, ever completes.
 */
final class JvmThreadNames {

    private static final String[] PREFIXES = {
        "VM Thread", "VM Periodic Tas", "GC Thread#", "G1 ", "C1 CompilerThre", "C2 CompilerThre",
        "Sweeper thread", "Service Thread", "Monitor Deflati", "ParGC Thread#", "Parallel GC",
        "Conc. GC", "ZDirector", "ZDriver", "ZStat", "ZUnmapper", "ZWorker", "Shenandoah", "JFR ",
        "StrDedup", "CodeCacheSweepe", "VM JFR", "Notification Th"
    };

    private JvmThreadNames() {}

    static boolean isJvmInternal(String osName) {
        for (String p : PREFIXES) {
            if (osName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    static boolean isVmThread(String osName) {
        return osName.equals("VM Thread");
    }
}
