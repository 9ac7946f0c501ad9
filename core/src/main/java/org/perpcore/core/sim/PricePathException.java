package org.perpcore.core.sim;

/** A price file that cannot be used: the message is {@code line N: why} (or just why, for the file as a whole). */
public final class PricePathException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    PricePathException(int line, String why) {
        super(line > 0 ? "line " + line + ": " + why : why);
        this.line = line;
    }

    /** The 1-based line of the file at fault, or 0 when the fault is the file as a whole. */
    public int line() {
        return line;
    }
}
