package dev.forkguard.agent.report.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;

/**
 * One fork without exec, as its report says it: committed by the reporter thread when the report is
 * published, so its own start time is the report's; {@code forkTime} is when the fork happened.
 */
@Name("forkguard.Fork")
@Label("Fork")
@Category("forkguard")
@Description("A fork() of this JVM and what its child lost: threads that do not exist in it, locks that stay locked")
@StackTrace(false)
public final class ForkEvent extends jdk.jfr.Event {

    @Label("Sequence")
    @Description("The fork's number in this JVM, from 1")
    public long sequence;

    @Label("Fork Time")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    public long forkTime;

    @Label("Forking Thread")
    @Description("Name of the thread that called fork(), the only thread the child has")
    public String forkingThread;

    @Label("Forking Thread Id")
    public long forkingThreadId;

    @Label("Child PID")
    @Description("0 when the child was gone before the reporter looked")
    public int childPid;

    @Label("Vanishing Java Threads")
    @Description("Java threads of the application that do not exist in the child")
    public int vanishingJavaThreads;

    @Label("Vanishing Virtual Threads")
    @Description("Of the vanishing Java threads, those that are virtual (JDK 21+)")
    public int vanishingVirtualThreads;

    @Label("Vanishing OS Threads")
    @Description("JVM-internal and native threads that do not exist in the child")
    public int vanishingOsThreads;

    @Label("Orphaned Locks")
    @Description("Locks held by vanishing threads: locked for ever in the child")
    public int orphanedLocks;

    @Label("Class Initialisations In Progress")
    public int classInitsInProgress;

    @Label("Severity")
    public String severity;

    @Label("Child Verdict")
    @Description("The watchdog's first verdict on the child: EXITED, RUNNING or HUNG; null without the watchdog")
    public String childVerdict;

    @Label("Verdict")
    @Description("What will happen to the child unless it execs")
    public String verdict;

    @Label("Snapshot Pause")
    @Timespan(Timespan.MICROSECONDS)
    public long snapshotPause;
}
