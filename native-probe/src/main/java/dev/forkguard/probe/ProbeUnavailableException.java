package dev.forkguard.probe;

/**
 * Signals that the native probe cannot work in this process, so the agent can say why and carry on without it.
 */
public class ProbeUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProbeUnavailableException(String message) {
        super(message);
    }

    public ProbeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
