package dev.forkguard.agent.startup;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of forkguard's own threads (its reporter, its JNA's cleaner), which vanish in a child like
 * any other but harm nobody; reports list them apart so they do not read as the application's.
 */
final class AgentThreads {

    private final Set<Long> ids = ConcurrentHashMap.newKeySet();
    private final ClassLoader agentLoader;
    private final ClassLoader jnaLoader;

    AgentThreads(ClassLoader agentLoader, ClassLoader jnaLoader) {
        this.agentLoader = agentLoader;
        this.jnaLoader = jnaLoader;
    }

    Set<Long> ids() {
        return ids;
    }

    void add(Thread thread) {
        ids.add(thread.getId());
    }

    /** A thread whose class, or whose task's class, the agent loaded, is the agent's. */
    void consider(Thread thread) {
        ClassLoader loader = thread.getClass().getClassLoader();
        if (loader != null && (loader == agentLoader || loader == jnaLoader)) {
            ids.add(thread.getId());
        }
    }

    /** Threads the agent started before its hooks were in place. */
    void scanLive() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            consider(t);
        }
    }
}
