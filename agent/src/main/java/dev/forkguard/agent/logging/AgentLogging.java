package dev.forkguard.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;

/**
 * The agent's own Logback, built by hand. It never goes through SLF4J's {@code LoggerFactory}, so
 * it reads no {@code logback.xml}, no {@code logback.configurationFile} property and no service
 * files: the application's logging configuration is never seen, and never disturbed.
 */
public final class AgentLogging {

    /** The line format, as a Logback pattern; written by {@link LineLayout}. */
    public static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} [forkguard] %-5level %msg%n";

    private static volatile LoggerContext context;
    private static volatile String problem;

    private AgentLogging() {}

    /**
     * Sets up the agent's logging once.
     *
     * @param logFile where to log, or null for standard error
     * @param level the lowest level logged (error, warn, info, debug)
     */
    public static synchronized void configure(Path logFile, String level) {
        if (context != null) {
            context.stop();
        }
        LoggerContext ctx = new LoggerContext();
        ctx.setName("forkguard");
        ctx.setMDCAdapter(new LogbackMDCAdapter());
        LineLayout layout = new LineLayout();
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = null;
        problem = null;
        if (logFile != null) {
            Path dir = logFile.getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                problem = "forkguard: option log='" + logFile + "' is unusable: directory " + dir
                        + " does not exist; logging to standard error";
            } else {
                FileAppender<ILoggingEvent> file = new FileAppender<>();
                file.setContext(ctx);
                file.setName("forkguard-file");
                file.setFile(logFile.toString());
                file.setAppend(true);
                file.setEncoder(encoder);
                file.start();
                if (file.isStarted()) {
                    appender = file;
                } else {
                    problem = "forkguard: option log='" + logFile + "' is unusable: the file cannot be opened for "
                            + "writing; logging to standard error";
                }
            }
        }
        if (appender == null) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setContext(ctx);
            console.setName("forkguard-stderr");
            console.setTarget("System.err");
            console.setEncoder(encoder);
            console.start();
            appender = console;
        }
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setAdditive(false);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(appender);
        ctx.start();
        context = ctx;
    }

    /** Changes the lowest level logged, while running. */
    public static void setLevel(String level) {
        LoggerContext ctx = context;
        if (ctx != null) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
        }
    }

    /** Why the requested log file is not used, or null. */
    public static String problem() {
        return problem;
    }

    /** A logger of the agent's own context; standard error at INFO until {@link #configure} runs. */
    public static Logger logger(Class<?> owner) {
        LoggerContext ctx = context;
        if (ctx == null) {
            configure(null, "info");
            ctx = context;
        }
        return ctx.getLogger("forkguard." + owner.getSimpleName());
    }
}
