package org.perpcore.core.scenario;

/** A scenario line that cannot be parsed. The message is {@code line N: why}. */
public final class ScenarioException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    public ScenarioException(int line, String why) {
        super("line " + line + ": " + why);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
