package dev.forkguard.agent.registry;

import java.util.ArrayList;
import java.util.List;

/** Formats stack frames the way people read them: {@code Class.method(File.java:line)}, no module. */
public final class Frames {

    private Frames() {}

    public static String format(StackTraceElement e) {
        if (e == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(96);
        b.append(e.getClassName()).append('.').append(e.getMethodName()).append('(');
        if (e.isNativeMethod()) {
            b.append("Native Method");
        } else if (e.getFileName() == null) {
            b.append("Unknown Source");
        } else {
            b.append(e.getFileName());
            if (e.getLineNumber() >= 0) {
                b.append(':').append(e.getLineNumber());
            }
        }
        return b.append(')').toString();
    }

    public static List<String> format(StackTraceElement[] frames) {
        List<String> out = new ArrayList<>(frames.length);
        for (StackTraceElement e : frames) {
            out.add(format(e));
        }
        return out;
    }
}
