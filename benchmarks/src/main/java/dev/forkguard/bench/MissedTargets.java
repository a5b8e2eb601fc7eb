package dev.forkguard.bench;

/**
 * Why a target is missed, measured, and what would fix it: the text the document prints under a
 * missed target. Kept here, beside the generator, so that a re-run keeps it; it is printed only
 * when the run misses that target.
 */
final class MissedTargets {

    private MissedTargets() {
    }

    static String explanation(String key) {
        return switch (key) {
            default -> "No measured cause is recorded for this target (`" + key + "`) yet.";
        };
    }
}
