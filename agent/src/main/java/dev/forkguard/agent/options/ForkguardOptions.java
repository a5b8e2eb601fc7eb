package dev.forkguard.agent.options;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every option of the agent, declared once, and the values in force. Sources, strongest first:
 * agent arguments ({@code -javaagent:forkguard-agent.jar=key=value,key=value}), system properties
 * ({@code -Dforkguard.key=value}), environment variables ({@code FORKGUARD_KEY=value}). A bad key or
 * value never stops the agent: it becomes one line in {@link #problems()} and the default is used.
 */
public final class ForkguardOptions {

    /** The JSON reports' directory; created 0700 when absent. */
    public static final Option<Path> REPORT_DIR = new Option<>("reportDir", null, "(none: no JSON reports)",
            "Directory for one JSON report per fork (files 0600; the directory is created 0700 when absent).",
            PathParser.INSTANCE);

    public static final Option<Path> LOG = new Option<>("log", null, "(none: standard error)",
            "File the agent's log goes to instead of standard error; its directory must exist.",
            PathParser.INSTANCE);

    public static final Option<String> LOG_LEVEL = new Option<>("logLevel", "info", "info",
            "Lowest level the agent logs: error, warn, info or debug.",
            new OneOf("error", "warn", "info", "debug"));

    public static final Option<Integer> WATCHDOG = new Option<>("watchdog", 5, "5",
            "Seconds the parent watches each forked child before its verdict; 0 turns the watchdog off.",
            new IntIn(0, 3600));

    public static final Option<String> ON_HUNG = new Option<>("onHung", "report", "report",
            "What the parent does with a child the watchdog calls HUNG (every thread waits, with no time-out, on "
                    + "a futex only its own threads could wake): report, or kill (SIGKILL once it has been HUNG for "
                    + "hungGrace seconds, after checking again that it is the same child, without exec, still hung). "
                    + "Needs the watchdog.",
            new OneOf("report", "kill"));

    public static final Option<Integer> HUNG_GRACE = new Option<>("hungGrace", 5, "5",
            "Seconds a child stays HUNG before onHung=kill ends it.", new IntIn(0, 3600));

    public static final Option<String> CHILD_POLICY = new Option<>("childPolicy", "report", "report",
            "What a forked child does when it is about to block on a lock held by a vanished thread: "
                    + "report (log and block), throw (an error instead of the hang) or exit.",
            new OneOf("report", "throw", "exit"));

    public static final Option<Integer> CHILD_EXIT_CODE = new Option<>("childExitCode", 70, "70",
            "Exit code of a child stopped by childPolicy=exit.", new IntIn(1, 255));

    public static final Option<Integer> STACK_DEPTH = new Option<>("stackDepth", 32, "32",
            "Frames kept per thread at fork time; monitors locked deeper are not seen. Deeper stacks cost more "
                    + "inside the fork pause.",
            new IntIn(1, 1024));

    public static final Option<Integer> MAX_TRACKED = new Option<>("maxTracked", 200_000, "200000",
            "Most locks, threads and executors tracked at once, together; past it new ones go untracked (counted, "
                    + "and reports say how many). Each costs about 60 bytes of heap, so with the 8,192 creation "
                    + "sites kept at most (about 0.7 KB each) the agent's registries stay near 20 MiB by default.",
            new IntIn(1_000, 100_000_000));

    public static final Option<Integer> TRACK_RATE = new Option<>("trackRate", 20_000, "20000",
            "Locks tracked per second at most, after a burst of ten times as many; 0 tracks every lock. "
                    + "Untracked locks still appear in reports, without a creation site. Virtual thread starts "
                    + "have a budget of the same size (over it, no origin).",
            new IntIn(0, 100_000_000));

    public static final Option<String> HELD_LOCKS = new Option<>("heldLocks", "tracked", "tracked",
            "How the fork-time snapshot finds held java.util.concurrent locks: tracked (read the owner of "
                    + "each lock the agent tracks; cost grows with tracked locks) or heap (the JVM's own heap "
                    + "walk; finds untracked locks too, but its cost, inside the fork pause, grows with the heap). When "
                    + "attached to a running JVM the default is heap, so locks created before the attach are found.",
            new OneOf("tracked", "heap"));

    public static final Option<String> STACKS = new Option<>("stacks", "fork", "fork",
            "When the snapshot takes the threads' stacks, states and held monitors: fork (inside the fork, "
                    + "exact; a thread dump is a safepoint, and the first one after an earlier fork is slow, "
                    + "so it lengthens the fork pause) or after (just after the fork, on the agent's own "
                    + "thread: the fork pause stays short, but a monitor or class initialisation seen then may "
                    + "have begun after the fork, and one that ended meanwhile is missed). Which threads exist "
                    + "and who owns each tracked java.util.concurrent lock are read inside the fork either way.",
            new OneOf("fork", "after"));

    public static final Option<String> FORK_HANDLERS = new Option<>("forkHandlers", "native", "native",
            "Which fork handlers the C library calls: native (the agent's own small C library, on Linux x86-64 "
                    + "and aarch64: a fork made by a forked child, or inside a JDK process launch, never enters "
                    + "Java) or java (JNA callbacks only, which decide the same in Java; used wherever the "
                    + "native library cannot load). Reports are the same either way.",
            new OneOf("native", "java"));

    public static final Option<Integer> MAX_REPORTS = new Option<>("maxReports", 100, "100",
            "Most JSON reports this JVM keeps in reportDir; past it its oldest are deleted. Reports of other JVMs "
                    + "(other runs, other containers sharing the directory) are never touched.",
            new IntIn(1, 1_000_000));

    public static final Option<Integer> LOG_RATE = new Option<>("logRate", 10, "10",
            "Fork reports logged in full per minute at most; past it they are counted and the count is logged "
                    + "(JSON reports keep every fork).",
            new IntIn(1, 100_000));

    /** All options, in the order the docs list them. */
    public static final List<Option<?>> ALL = List.of(
            REPORT_DIR, LOG, LOG_LEVEL, WATCHDOG, ON_HUNG, HUNG_GRACE, CHILD_POLICY, CHILD_EXIT_CODE, STACK_DEPTH, MAX_TRACKED, TRACK_RATE, HELD_LOCKS, STACKS, FORK_HANDLERS, MAX_REPORTS, LOG_RATE);

    private final Map<Option<?>, Object> values;
    private final List<String> problems;
    private final java.util.Set<Option<?>> given;

    private ForkguardOptions(Map<Option<?>, Object> values, List<String> problems, java.util.Set<Option<?>> given) {
        this.values = values;
        this.problems = problems;
        this.given = given;
    }

    /** Whether the user gave this option a valid value (in any source). */
    public boolean given(Option<?> option) {
        return given.contains(option);
    }

    /** The defaults alone. */
    public static ForkguardOptions defaults() {
        return resolve(null, Collections.<String, String>emptyMap(), Collections.<String, String>emptyMap());
    }

    /**
     * @param agentArgs the text after {@code =} in {@code -javaagent:}, or null
     * @param properties system properties (only {@code forkguard.*} are read)
     * @param environment environment variables (only {@code FORKGUARD_*} are read)
     */
    public static ForkguardOptions resolve(String agentArgs, Map<?, ?> properties, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Map<String, Source> raw = new LinkedHashMap<>();
        readEnvironment(environment, raw, problems);
        readProperties(properties, raw, problems);
        readAgentArgs(agentArgs, raw, problems);
        Map<Option<?>, Object> values = new LinkedHashMap<>();
        java.util.Set<Option<?>> given = new java.util.HashSet<>();
        for (Option<?> option : ALL) {
            Source source = raw.get(option.name());
            Object value = option.defaultValue();
            if (source != null) {
                try {
                    value = option.parse(source.text().trim());
                    given.add(option);
                } catch (IllegalArgumentException e) {
                    problems.add("forkguard: option " + option.name() + "='" + source.text() + "' (" + source.origin()
                            + ") is invalid: " + e.getMessage() + "; using the default " + option.defaultText());
                }
            }
            values.put(option, value);
        }
        return new ForkguardOptions(values, Collections.unmodifiableList(problems), given);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        return (T) values.get(option);
    }

    /** One line a problem, each naming the option and quoting the value. */
    public List<String> problems() {
        return problems;
    }

    /** The same options with {@code option} replaced, for code that turns a feature off after a check. */
    public <T> ForkguardOptions with(Option<T> option, T value) {
        Map<Option<?>, Object> copy = new LinkedHashMap<>(values);
        copy.put(option, value);
        return new ForkguardOptions(copy, problems, given);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Option<?>, Object> e : values.entrySet()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.getKey().name()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    /** An option's raw text and where it came from ("agent argument", "system property …"). */
    private record Source(String text, String origin) {}

    private static void readAgentArgs(String agentArgs, Map<String, Source> raw, List<String> problems) {
        if (agentArgs == null || agentArgs.isBlank()) {
            return;
        }
        for (String pair : agentArgs.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                problems.add("forkguard: agent argument '" + pair + "' is not key=value; ignored");
                continue;
            }
            String key = pair.substring(0, eq).trim();
            accept(key, pair.substring(eq + 1), "agent argument", raw, problems);
        }
    }

    private static void readProperties(Map<?, ?> properties, Map<String, Source> raw, List<String> problems) {
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.startsWith("forkguard.")) {
                accept(key.substring("forkguard.".length()), String.valueOf(e.getValue()),
                        "system property -D" + key, raw, problems);
            }
        }
    }

    /** Variables of forkguard's other tools, not options: the Python package's jar location. */
    private static final java.util.Set<String> NOT_OPTIONS = java.util.Set.of("FORKGUARD_AGENT_JAR");

    private static void readEnvironment(Map<String, String> environment, Map<String, Source> raw, List<String> problems) {
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (!e.getKey().startsWith("FORKGUARD_") || NOT_OPTIONS.contains(e.getKey())) {
                continue;
            }
            Option<?> option = byEnvironmentVariable(e.getKey());
            if (option == null) {
                problems.add("forkguard: unknown environment variable " + e.getKey() + "; known options: "
                        + knownNames() + "; ignored");
            } else {
                raw.put(option.name(), new Source(e.getValue(), "environment variable " + e.getKey()));
            }
        }
    }

    private static void accept(String key, String text, String origin, Map<String, Source> raw, List<String> problems) {
        Option<?> option = byName(key);
        if (option == null) {
            problems.add("forkguard: unknown option '" + key + "' (" + origin + "); known options: " + knownNames()
                    + "; ignored");
        } else {
            raw.put(option.name(), new Source(text, origin));
        }
    }

    static Option<?> byName(String name) {
        for (Option<?> option : ALL) {
            if (option.name().equals(name)) {
                return option;
            }
        }
        return null;
    }

    private static Option<?> byEnvironmentVariable(String variable) {
        for (Option<?> option : ALL) {
            if (option.environmentVariable().equals(variable)) {
                return option;
            }
        }
        return null;
    }

    private static String knownNames() {
        StringBuilder b = new StringBuilder();
        for (Option<?> option : ALL) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(option.name());
        }
        return b.toString();
    }

    // The parsers are classes, not lambdas: each lambda is spun into a class at start, which cost more
    // than loading these three (measured with -Xlog:class+load, JDK 17).

    private static final class PathParser implements Option.Parser<Path> {
        static final PathParser INSTANCE = new PathParser();

        @Override
        public Path parse(String text) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("a path is required");
            }
            try {
                return Paths.get(text).toAbsolutePath().normalize();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a valid path");
            }
        }
    }

    private static final class OneOf implements Option.Parser<String> {
        private final String[] allowed;

        OneOf(String... allowed) {
            this.allowed = allowed;
        }

        @Override
        public String parse(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String a : allowed) {
                if (a.equals(lower)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
        }
    }

    private static final class IntIn implements Option.Parser<Integer> {
        private final int min;
        private final int max;

        IntIn(int min, int max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer parse(String text) {
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
            }
            return value;
        }
    }
}
