package dev.forkguard.probe;

/**
 * Holds {@code gettid} apart from {@link Libc} because only glibc 2.30+ (and musl 1.2.2+) export it,
 * and {@code Native.register} binds a class's natives all or nothing.
 */
final class GettidNative {

    private GettidNative() {
    }

    static native int gettid();
}
