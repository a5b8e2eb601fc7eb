package dev.forkguard.agent.instrument;

import dev.forkguard.launcher.UserCache;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Keeps each transformed JDK class in the user cache, so that later starts inline the advice without
 * running Byte Buddy, the largest cost of a start (see docs/DESIGN.md, Start-up).
 *
 * <p>An entry is found by the class name, a fingerprint of the agent jar (any change to the advice
 * or to Byte Buddy changes it) and the CRC-32 of the class file the JVM hands over; it holds that
 * class file in full and is used only when it is byte for byte the one handed over, so another JDK
 * build, or another JVM's reconstitution of the same class, can never receive the wrong result.
 */
final class TransformCache {

    private final UserCache cache;
    private final String agentKey;

    /** @param agentFingerprint identifies the agent jar's content */
    TransformCache(UserCache cache, String agentFingerprint) {
        this.cache = cache;
        this.agentKey = agentFingerprint;
    }

    /** The transformed class for exactly {@code original}, or null. */
    byte[] get(String className, byte[] original) {
        byte[] entry = cache.read(entryName(className, original));
        if (entry == null || entry.length < 4) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(entry);
        int originalLength = b.getInt();
        if (originalLength != original.length || 4 + originalLength > entry.length
                || !Arrays.equals(entry, 4, 4 + originalLength, original, 0, original.length)) {
            return null;
        }
        return Arrays.copyOfRange(entry, 4 + originalLength, entry.length);
    }

    void put(String className, byte[] original, byte[] transformed) {
        ByteBuffer entry = ByteBuffer.allocate(4 + original.length + transformed.length);
        entry.putInt(original.length).put(original).put(transformed);
        cache.write(entryName(className, original), entry.array());
        cache.prune(className + "-", className + "-" + agentKey + "-");
    }

    private String entryName(String className, byte[] original) {
        CRC32 crc = new CRC32();
        crc.update(original);
        return className + "-" + agentKey + "-" + Long.toHexString(crc.getValue()) + ".class";
    }
}
