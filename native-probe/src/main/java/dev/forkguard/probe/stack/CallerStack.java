package dev.forkguard.probe.stack;

/**
 * Raw stack words above {@code fork()}'s frame, nearest first, copied in the fork window; turned into
 * frames later by {@link NativeFrameResolver}.
 *
 * @param forkFunction the address of {@code fork}, which the first caller must have called
 */
public record CallerStack(long forkFunction, long[] words) {}
