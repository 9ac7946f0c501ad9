package org.perpcore.journal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.perpcore.core.codec.CommandCodec;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.reference.RandomCommands;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;
import org.perpcore.core.testkit.CascadeScript;

/**
 * Command streams for journal tests, held compactly (each command in its {@link CommandCodec} encoding) and
 * decoded into a reused {@link Command}: the cascade script of core's test kit (liquidations, the insurance fund,
 * ADL, slices, a circuit breaker, funding) with SNAPSHOT commands at fixed places, and the order-entry generator of
 * the differential test. Sequence numbers are 1, 2, 3... in stream order.
 */
final class Streams {
    private final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(1 << 20);
    private int[] offsets = new int[1 << 12];
    private int count;
    private int length;

    int size() {
        return count;
    }

    /** Writes the stream to a file ({@code i32 count}, offsets, bytes) for another JVM to read. */
    void writeTo(java.nio.file.Path file) throws java.io.IOException {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * (count + 1) + length)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(count);
        for (int i = 0; i <= count; i++) {
            b.putInt(offsets[i]);
        }
        final byte[] data = new byte[length];
        bytes.getBytes(0, data);
        b.put(data);
        java.nio.file.Files.write(file, b.array());
    }

    static Streams readFrom(java.nio.file.Path file) throws java.io.IOException {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final Streams s = new Streams();
        s.count = b.getInt();
        s.offsets = new int[s.count + 1];
        for (int i = 0; i <= s.count; i++) {
            s.offsets[i] = b.getInt();
        }
        s.length = s.offsets[s.count];
        final byte[] data = new byte[s.length];
        b.get(data);
        s.bytes.putBytes(0, data);
        return s;
    }

    /** The state hash after every command (index i: after seq i + 1). */
    long[] allHashes() {
        final long[] hashes = new long[count];
        final Engine e = new Engine();
        final Command c = new Command();
        for (int i = 0; i < count; i++) {
            e.apply(get(i, c));
            hashes[i] = e.stateHash();
        }
        return hashes;
    }

    private void add(Command c) {
        if (count + 1 >= offsets.length) {
            offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
        }
        bytes.checkLimit(length + CommandCodec.MAX_LENGTH);
        offsets[count] = length;
        length += CommandCodec.encode(c, bytes, length);
        offsets[++count] = length;
    }

    /** Decodes command {@code i} (0-based; its seq is i + 1) into {@code into}. */
    Command get(int i, Command into) {
        final int r = CommandCodec.decode(bytes, offsets[i], offsets[i + 1] - offsets[i], into);
        if (r < 0) {
            throw new IllegalStateException("stream command " + i + ": " + CommandCodec.DecodeError.describe(r));
        }
        return into;
    }

    /**
     * {@code n} commands of the cascade script of {@code seed}, a SNAPSHOT command in place of every
     * {@code snapshotEvery}-th one (0: none), stamped with the script clock.
     */
    static Streams cascade(long seed, int n, int snapshotEvery) {
        final Streams s = new Streams();
        final CascadeScript script = new CascadeScript(seed);
        final ScenarioParser parser = new ScenarioParser();
        final Command c = new Command();
        int line = 0;
        while (s.count < n) {
            if (snapshotEvery > 0 && (s.count + 1) % snapshotEvery == 0) {
                JournaledEngine.snapshotCommand(c, parser.clockMs());
            } else {
                try {
                    if (!parser.parse(script.next(), ++line, c)) {
                        continue;
                    }
                } catch (ScenarioException e) {
                    throw new IllegalStateException(e);
                }
            }
            c.seq = s.count + 1;
            s.add(c);
        }
        return s;
    }

    /** {@code n} commands of the order-entry generator (it learns from a generation engine as it goes). */
    static Streams orderEntry(long seed, int n, int snapshotEvery) {
        final Streams s = new Streams();
        final RandomCommands commands = new RandomCommands(seed, 3, 200);
        final Engine engine = new Engine();
        final Command c = new Command();
        long lastTime = 0;
        while (s.count < n) {
            if (snapshotEvery > 0 && (s.count + 1) % snapshotEvery == 0) {
                JournaledEngine.snapshotCommand(c, lastTime);
            } else {
                commands.next(c);
                lastTime = c.timestampMs;
            }
            c.seq = s.count + 1;
            s.add(c);
            engine.apply(c);
            if (c.type != CommandType.SNAPSHOT) {
                commands.observe(c.events());
            }
        }
        return s;
    }

    /** The first {@code n} commands applied to a fresh engine, without pipeline or journal. */
    Reference reference(int n) {
        final Engine e = new Engine();
        final Command c = new Command();
        final Digest digest = new Digest();
        for (int i = 0; i < n; i++) {
            get(i, c);
            e.apply(c);
            digest.add(c);
        }
        return new Reference(e, digest.hex());
    }

    /** The state hash after each of the given sequence numbers (ascending), in one pass. */
    long[] hashesAt(long... seqs) {
        final long[] sorted = seqs.clone();
        java.util.Arrays.sort(sorted);
        final java.util.Map<Long, Long> bySeq = new java.util.HashMap<>();
        final Engine e = new Engine();
        final Command c = new Command();
        int next = 0;
        for (int i = 0; i < count && next < sorted.length; i++) {
            get(i, c);
            e.apply(c);
            while (next < sorted.length && sorted[next] == c.seq) {
                bySeq.put(sorted[next++], e.stateHash());
            }
        }
        final long[] result = new long[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            result[i] = bySeq.get(seqs[i]);
        }
        return result;
    }

    record Reference(Engine engine, String eventDigest) {
    }

    /** The event digest the {@link Replayer} computes: SHA-256 of (seq, count, length, bytes) per command. */
    static final class Digest {
        private final MessageDigest sha;
        private final byte[] header = new byte[16];

        Digest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void add(Command c) {
            final UnsafeBuffer h = new UnsafeBuffer(header);
            h.putLong(0, c.seq, java.nio.ByteOrder.LITTLE_ENDIAN);
            h.putInt(8, c.events().count(), java.nio.ByteOrder.LITTLE_ENDIAN);
            h.putInt(12, c.events().length(), java.nio.ByteOrder.LITTLE_ENDIAN);
            sha.update(header);
            sha.update(c.events().buffer().byteArray(), 0, c.events().length());
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
