package org.perpcore.journal;

/**
 * A journal that cannot be used as it is: a damaged or truncated entry, a gap in the sequence numbers, an unknown
 * schema version, a damaged snapshot, events that do not match their commands, or a journal in use by another
 * process. The message says what and where, in words an operator can act on.
 */
public final class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long seq;

    public JournalException(String message) {
        this(message, -1);
    }

    public JournalException(String message, long seq) {
        super(message);
        this.seq = seq;
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
        this.seq = -1;
    }

    /** The sequence number of the first command affected, or -1 when the problem is not about one. */
    public long seq() {
        return seq;
    }
}
