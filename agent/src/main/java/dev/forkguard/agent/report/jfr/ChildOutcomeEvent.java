package dev.forkguard.agent.report.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A verdict of the parent's watchdog on a reported child: the first one, and each later one. */
@Name("forkguard.ChildOutcome")
@Label("Child Outcome")
@Category("forkguard")
@Description("What became of a forked child, from the parent's watchdog: EXEC, EXITED, RUNNING, HUNG or KILLED")
@StackTrace(false)
public final class ChildOutcomeEvent extends jdk.jfr.Event {

    @Label("Sequence")
    @Description("The fork's number in this JVM, as in forkguard.Fork")
    public long sequence;

    @Label("Child PID")
    public int childPid;

    @Label("Verdict")
    public String verdict;

    @Label("Exit Code")
    @Description("-1 unless the child exited normally")
    public int exitCode;

    @Label("Signal")
    @Description("0 unless a signal ended the child")
    public int signal;

    @Label("Ended By forkguard")
    @Description("True when forkguard sent the child SIGKILL after it was HUNG for the grace period (onHung=kill)")
    public boolean endedByForkguard;

    @Label("After Fork")
    @Timespan(Timespan.MILLISECONDS)
    public long afterFork;

    @Label("Detail")
    public String detail;

    @Label("Likely Causes")
    @Description("For a HUNG child: the orphaned locks and lost threads that explain it, one per line")
    public String causes;
}
