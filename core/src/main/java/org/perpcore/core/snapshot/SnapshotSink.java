package org.perpcore.core.snapshot;

/**
 * Where engine state is written by {@code EngineSnapshot}: a stream of little-endian primitives. The engine hands
 * its state to a sink and never learns where it goes (memory, a file, a replication channel), so it stays free of
 * I/O. An implementation that fails (a full disk) throws an unchecked exception; the engine's state is unchanged by
 * a snapshot, whatever happens to the sink.
 */
public interface SnapshotSink {
    void putByte(int value);

    void putInt(int value);

    void putLong(long value);

    void putBytes(byte[] src, int offset, int length);

    default void putBoolean(boolean value) {
        putByte(value ? 1 : 0);
    }
}
