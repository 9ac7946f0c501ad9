package org.perpcore.core.snapshot;

import java.util.Arrays;

/**
 * An in-memory snapshot: a growable little-endian byte array that is both a {@link SnapshotSink} (appends) and a
 * {@link SnapshotSource} (reads from its own read position). For tests, for comparing two snapshots byte for byte,
 * and for state small enough to hold in memory. Not thread-safe.
 */
public final class SnapshotBuffer implements SnapshotSink, SnapshotSource {
    private byte[] bytes;
    private int length;
    private int readPosition;

    public SnapshotBuffer() {
        this(1 << 12);
    }

    public SnapshotBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** A source over {@code length} bytes of {@code src} (copied). */
    public static SnapshotBuffer of(byte[] src, int offset, int length) {
        final SnapshotBuffer b = new SnapshotBuffer(length);
        System.arraycopy(src, offset, b.bytes, 0, length);
        b.length = length;
        return b;
    }

    /** Bytes written. */
    public int length() {
        return length;
    }

    /** Bytes not read yet. */
    public int remaining() {
        return length - readPosition;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** Forgets the content. */
    public void clear() {
        length = 0;
        readPosition = 0;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    @Override
    public void putByte(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    @Override
    public void putInt(int value) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[length++] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public void putLong(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[length++] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public void putBytes(byte[] src, int offset, int len) {
        ensure(len);
        System.arraycopy(src, offset, bytes, length, len);
        length += len;
    }

    private void need(int n) {
        if (readPosition + n > length) {
            throw new SnapshotFormatException("the snapshot ends early (" + n + " more bytes needed at offset "
                + readPosition + " of " + length + ")");
        }
    }

    @Override
    public byte getByte() {
        need(1);
        return bytes[readPosition++];
    }

    @Override
    public int getInt() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (bytes[readPosition++] & 0xff) << (8 * i);
        }
        return v;
    }

    @Override
    public long getLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (bytes[readPosition++] & 0xffL) << (8 * i);
        }
        return v;
    }

    @Override
    public void getBytes(byte[] dst, int offset, int len) {
        need(len);
        System.arraycopy(bytes, readPosition, dst, offset, len);
        readPosition += len;
    }
}
