package dev.forkguard.probe.stack;

/**
 * One native caller of {@code fork()}: the file it lives in and, when that file exports one, the
 * function containing the return address; else the offset into the file, for {@code addr2line}.
 *
 * @param file the mapped file's name without directories, e.g. {@code libpython3.11.so.1.0}
 * @param function the exported function containing the address, or null
 * @param offset from the function's start when known, else from the file's load address
 */
public record NativeFrame(String file, String function, long offset) {

    /** {@code os_fork+0x2a (python3.11)}, or {@code python3.11+0x1b2c3d} when no function is known. */
    @Override
    public String toString() {
        if (function != null) {
            return function + "+0x" + Long.toHexString(offset) + " (" + file + ")";
        }
        return file + "+0x" + Long.toHexString(offset);
    }
}
