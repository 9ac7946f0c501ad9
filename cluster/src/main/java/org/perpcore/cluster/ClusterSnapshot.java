package org.perpcore.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.logbuffer.FragmentHandler;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.engine.EngineSnapshot;
import org.perpcore.core.snapshot.SnapshotBuffer;
import org.perpcore.core.snapshot.SnapshotFormatException;

/**
 * The engine's state through Aeron Cluster's snapshot mechanism: the same canonical {@link EngineSnapshot} stream
 * the journal's snapshot files hold, sent on the snapshot publication as a header message and chunks.
 *
 * <pre>
 *   header  u64 magic "PERPCLSN" | i32 file version (1) | i32 engine format version | i64 seq | i64 engine time ms
 *           | i64 state hash | i32 body length | i32 CRC-32C of the body
 *   body    the EngineSnapshot stream, in chunks of at most {@link #CHUNK} bytes
 * </pre>
 *
 * Restoring checks the magic, both versions, the length, the checksum and (EngineSnapshot itself) the state hash.
 */
final class ClusterSnapshot {
    static final long MAGIC = 0x4e534c4350524550L; // "PERPCLSN" little-endian
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 8 + 4 + 4 + 8 + 8 + 8 + 4 + 4;
    /** Well below the smallest maximum message length of an IPC snapshot publication (term length / 8). */
    static final int CHUNK = 32 * 1024;

    private ClusterSnapshot() {
    }

    /**
     * Writes {@code engine} to {@code publication}, retrying back pressure with {@code idle}.
     *
     * @return the state hash written
     */
    static long write(Engine engine, ExclusivePublication publication, IdleStrategy idle) {
        final SnapshotBuffer body = new SnapshotBuffer(1 << 16);
        final long hash = EngineSnapshot.write(engine, body);
        final byte[] bytes = body.toByteArray();
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        final UnsafeBuffer header = new UnsafeBuffer(new byte[HEADER_LENGTH]);
        header.putLong(0, MAGIC);
        header.putInt(8, VERSION);
        header.putInt(12, EngineSnapshot.FORMAT_VERSION);
        header.putLong(16, engine.lastSeq());
        header.putLong(24, engine.nowMs());
        header.putLong(32, hash);
        header.putInt(40, bytes.length);
        header.putInt(44, (int) crc.getValue());
        offer(publication, header, 0, HEADER_LENGTH, idle);
        final UnsafeBuffer chunk = new UnsafeBuffer(bytes);
        for (int off = 0; off < bytes.length; off += CHUNK) {
            offer(publication, chunk, off, Math.min(CHUNK, bytes.length - off), idle);
        }
        return hash;
    }

    private static void offer(ExclusivePublication p, DirectBuffer b, int off, int len, IdleStrategy idle) {
        idle.reset();
        while (true) {
            final long r = p.offer(b, off, len);
            if (r > 0) {
                return;
            }
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException("the snapshot publication refused the snapshot (" + r + ")");
            }
            idle.idle();
        }
    }

    /**
     * Reads the engine from the snapshot image (blocks, idling, until the whole snapshot is read).
     *
     * @throws SnapshotFormatException when the snapshot is not one of this format, damaged, or does not restore
     */
    static Engine read(Image image, IdleStrategy idle) {
        final Reader reader = new Reader();
        idle.reset();
        while (!reader.done()) {
            final int n = image.poll(reader, 16);
            if (n == 0) {
                if (image.isEndOfStream() || image.isClosed()) {
                    if (!reader.done()) {
                        throw new SnapshotFormatException("the cluster snapshot ends after " + reader.received
                            + " of " + (reader.body == null ? "?" : reader.body.length) + " body bytes");
                    }
                    break;
                }
                idle.idle();
            } else {
                idle.reset();
            }
        }
        final CRC32C crc = new CRC32C();
        crc.update(reader.body, 0, reader.body.length);
        if ((int) crc.getValue() != reader.crc) {
            throw new SnapshotFormatException("the cluster snapshot's checksum does not match: it is damaged");
        }
        final Engine engine = EngineSnapshot.read(SnapshotBuffer.of(reader.body, 0, reader.body.length));
        if (engine.stateHash() != reader.stateHash || engine.lastSeq() != reader.seq) {
            throw new SnapshotFormatException("the cluster snapshot restores to seq " + engine.lastSeq()
                + " hash " + Long.toHexString(engine.stateHash()) + ", not the seq " + reader.seq + " hash "
                + Long.toHexString(reader.stateHash) + " it was written with");
        }
        return engine;
    }

    private static final class Reader implements FragmentHandler {
        byte[] body;
        int received;
        int crc;
        long seq;
        long stateHash;

        boolean done() {
            return body != null && received == body.length;
        }

        @Override
        public void onFragment(DirectBuffer buffer, int offset, int length, io.aeron.logbuffer.Header header) {
            if (body == null) {
                if (length != HEADER_LENGTH || buffer.getLong(offset) != MAGIC) {
                    throw new SnapshotFormatException("not a Perpcore cluster snapshot (" + length + " bytes)");
                }
                final int version = buffer.getInt(offset + 8);
                if (version != VERSION) {
                    throw new SnapshotFormatException("cluster snapshot version " + version
                        + " is unknown to this build (it reads version " + VERSION + ")");
                }
                final int engineVersion = buffer.getInt(offset + 12);
                if (!EngineSnapshot.readable(engineVersion)) {
                    throw new SnapshotFormatException("engine state version " + engineVersion
                        + " is unknown to this build (it reads versions " + EngineSnapshot.OLDEST_READABLE_VERSION
                        + " to " + EngineSnapshot.FORMAT_VERSION + ")");
                }
                seq = buffer.getLong(offset + 16);
                stateHash = buffer.getLong(offset + 32);
                final int len = buffer.getInt(offset + 40);
                if (len < 0) {
                    throw new SnapshotFormatException("cluster snapshot body length " + len);
                }
                crc = buffer.getInt(offset + 44);
                body = new byte[len];
                return;
            }
            if (received + length > body.length) {
                throw new SnapshotFormatException("the cluster snapshot has more bytes than its header says");
            }
            buffer.getBytes(offset, body, received, length);
            received += length;
        }
    }
}
