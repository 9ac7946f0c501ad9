package org.perpcore.journal;

/** A journal that cannot be read as it should: corrupt, truncated, of an unknown version. */
public final class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message) {
        super(message);
    }
}
