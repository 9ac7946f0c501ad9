package org.perpcore.core.snapshot;

/** A snapshot that cannot be read back: truncated, of an unknown version, or describing an impossible state. */
public final class SnapshotFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnapshotFormatException(String message) {
        super(message);
    }

    public SnapshotFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
