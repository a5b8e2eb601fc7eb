package dev.forkguard.agent.snapshot;

import java.util.List;

/**
 * One virtual thread as the JVM's thread dump lists it: id, name (often empty), state, stack
 * (nearest first), the monitors it owns with the depth of the frame that locked each, and its
 * thread container (the executor that started it, or {@code <root>}).
 */
public record VirtualThreadInfo(long id, String name, String state, List<String> stack, List<Monitor> monitors,
        String container) {

    /** A monitor held; {@code depth} indexes {@link #stack}, -1 when unknown. */
    public record Monitor(String identity, int depth) {}
}
