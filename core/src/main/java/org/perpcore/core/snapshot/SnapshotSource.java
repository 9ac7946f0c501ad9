package org.perpcore.core.snapshot;

/**
 * Where a snapshot is read back from: the primitives a {@link SnapshotSink} received, in the same order.
 * Reading past the end throws {@link SnapshotFormatException}, never returns made-up values.
 */
public interface SnapshotSource {
    byte getByte();

    int getInt();

    long getLong();

    void getBytes(byte[] dst, int offset, int length);

    /** A boolean written by {@link SnapshotSink#putBoolean}; any byte other than 0 or 1 is a format error. */
    default boolean getBoolean() {
        final byte b = getByte();
        if (b != 0 && b != 1) {
            throw new SnapshotFormatException("a boolean byte is " + b);
        }
        return b == 1;
    }
}
