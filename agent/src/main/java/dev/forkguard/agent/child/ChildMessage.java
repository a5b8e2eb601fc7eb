package dev.forkguard.agent.child;

import dev.forkguard.probe.Libc;
import java.nio.charset.StandardCharsets;

/**
 * Builds the child's message in a buffer allocated in the parent and writes it to file descriptor 2
 * with one system call. Child path: it allocates nothing, because in a forked JVM an allocation that
 * needs a garbage collection never returns (no VM Thread): a check that built its text with a
 * {@code StringBuilder} hung children with a nearly full heap (docs/DESIGN.md, Child-safe code).
 *
 * <p>The buffer's monitor is never taken in the parent, so no vanished thread can hold it.
 */
final class ChildMessage {

    private static final byte[] BUFFER = new byte[8192];
    private static int length;

    private ChildMessage() {}

    /** Starts a message; call under {@code synchronized (ChildMessage.lock())}. */
    static void start() {
        length = 0;
    }

    static Object lock() {
        return BUFFER;
    }

    static void bytes(byte[] b) {
        int n = Math.min(b.length, BUFFER.length - length);
        System.arraycopy(b, 0, BUFFER, length, n);
        length += n;
    }

    /** Characters as one byte each; anything outside ASCII becomes '?'. No encoder, no allocation. */
    static void chars(String s) {
        for (int i = 0; i < s.length() && length < BUFFER.length; i++) {
            char c = s.charAt(i);
            BUFFER[length++] = c < 0x80 ? (byte) c : (byte) '?';
        }
    }

    static void decimal(long value) {
        if (value < 0) {
            chars("-");
            value = -value;
        }
        long div = 1;
        while (value / div >= 10) {
            div *= 10;
        }
        for (; div > 0 && length < BUFFER.length; div /= 10) {
            BUFFER[length++] = (byte) ('0' + (value / div) % 10);
        }
    }

    static void hex(int value) {
        boolean started = false;
        for (int shift = 28; shift >= 0 && length < BUFFER.length; shift -= 4) {
            int digit = (value >>> shift) & 0xf;
            if (digit != 0 || started || shift == 0) {
                started = true;
                BUFFER[length++] = (byte) (digit < 10 ? '0' + digit : 'a' + digit - 10);
            }
        }
    }

    /** Writes the message, ending it with a newline, to standard error. */
    static void writeToStderr() {
        if (length < BUFFER.length) {
            BUFFER[length++] = '\n';
        }
        Libc.write(2, BUFFER, length);
    }

    /** Writes nothing: runs the write path once in the parent. */
    static void warmUp() {
        Libc.write(2, BUFFER, 0);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
