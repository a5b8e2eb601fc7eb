package dev.forkguard.agent.fork;

import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Recognises the JDK's own fork-then-exec ({@code ProcessBuilder} with
 * {@code -Djdk.lang.Process.launchMechanism=FORK}): its child runs no Java code and either execs or
 * exits at once, so the fork is harmless and worth neither a snapshot nor a report. A bounded stack
 * walk costs microseconds; the snapshot it saves costs about a millisecond of launch time.
 */
final class JdkLaunch {

    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final int MAX_FRAMES = 64;
    private static final Function<Stream<StackWalker.StackFrame>, Boolean> FIND = new Function<>() {
        @Override
        public Boolean apply(Stream<StackWalker.StackFrame> frames) {
            Iterator<StackWalker.StackFrame> it = frames.iterator();
            for (int i = 0; i < MAX_FRAMES && it.hasNext(); i++) {
                StackWalker.StackFrame f = it.next();
                if ("forkAndExec".equals(f.getMethodName()) && "java.lang.ProcessImpl".equals(f.getClassName())) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
    };

    private JdkLaunch() {}

    /** True when the calling thread is inside {@code ProcessImpl.forkAndExec}. */
    static boolean inProgress() {
        return WALKER.walk(FIND);
    }
}
