package dev.forkguard.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class LineLayoutTest {

    @Test
    void writesWhatThePatternWouldForEveryLevelAndTime() {
        LoggerContext ctx = new LoggerContext();
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(ctx);
        pattern.setPattern(AgentLogging.PATTERN);
        pattern.start();
        LineLayout line = new LineLayout();
        line.setContext(ctx);
        line.start();
        ch.qos.logback.classic.Logger logger = ctx.getLogger("forkguard.Test");
        long[] times = {0L, 1_795_598_326_439L, 1_795_598_326_009L, 951_782_400_000L + 86_399_999L};
        Level[] levels = {Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE};
        for (long time : times) {
            for (Level level : levels) {
                LoggingEvent e = new LoggingEvent("fqcn", logger, level, "forkguard: fork #{} in pid {}", null,
                        new Object[] {3, 4242});
                e.setTimeStamp(time);
                assertThat(line.doLayout(e)).isEqualTo(pattern.doLayout(e));
            }
        }
    }
}
