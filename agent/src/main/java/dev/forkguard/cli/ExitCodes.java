package dev.forkguard.cli;

/** The CLI's exit codes, one a failure, documented in the README and in {@code --help}. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int UNREADABLE_INPUT = 3;
    static final int NO_SUCH_PROCESS = 4;
    static final int NOT_A_JVM = 5;
    static final int OTHER_USER = 6;
    static final int DYNAMIC_AGENTS_REFUSED = 7;
    static final int NOT_ACTIVE = 8;

    private ExitCodes() {}
}
