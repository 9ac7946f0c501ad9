package org.perpcore.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.engine.EngineSnapshot;
import org.perpcore.core.snapshot.SnapshotFormatException;
import org.perpcore.core.snapshot.SnapshotSink;
import org.perpcore.core.snapshot.SnapshotSource;

/**
 * Snapshot files of a journal, {@code DIR/snapshots/snapshot-SEQ.snap}:
 * <pre>
 *   header, 64 bytes: "PERPSNAP" | u32 file version (1) | u32 engine format version | i64 seq | i64 nowMs
 *                     | i64 stateHash | i64 bodyLength | u32 crc32c(body) | u32 crc32c(header bytes 0..51) | 0 x 8
 *   body:             the engine state ({@link EngineSnapshot})
 * </pre>
 * A snapshot is written to a {@code .tmp} file, synced to disk, then renamed into place (and the directory
 * synced): a file with the final name is complete, whatever the durability mode of the journals. Reading one checks
 * both checksums, restores the engine, and checks the restored state hash and sequence number against the header.
 */
final class SnapshotStore {
    static final int HEADER = 64;
    static final int FILE_VERSION = 1;
    private static final byte[] MAGIC = "PERPSNAP".getBytes(StandardCharsets.US_ASCII);
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";
    private static final int BUFFER = 1 << 20;
    /** The pruning record: one line, the highest seq whose snapshot {@link #prune} deleted. */
    static final String PRUNED = "pruned";

    private final Path dir;

    SnapshotStore(Path journalDir) {
        this.dir = journalDir.resolve(JournalFiles.SNAPSHOTS);
    }

    Path dir() {
        return dir;
    }

    Path fileFor(long seq) {
        return dir.resolve(String.format("%s%020d%s", PREFIX, seq, SUFFIX));
    }

    /** Every snapshot file by ascending sequence number, each with its header read (or the reason it cannot be). */
    List<SnapshotInfo> list() {
        final List<SnapshotInfo> result = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path f : files) {
                final String name = f.getFileName().toString();
                final String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
                if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                result.add(readHeader(f, Long.parseLong(digits)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        result.sort(Comparator.comparingLong(SnapshotInfo::seq));
        return result;
    }

    /** Files a writer left behind when it was interrupted ({@code .tmp}). */
    List<Path> leftovers() {
        final List<Path> result = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX + ".tmp")) {
            files.forEach(result::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return result;
    }

    private static SnapshotInfo readHeader(Path f, long seqFromName) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            final ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            while (h.hasRemaining() && ch.read(h) >= 0) {
                // read the whole header
            }
            if (h.hasRemaining()) {
                return bad(f, seqFromName, "truncated: " + ch.size() + " bytes, shorter than its header");
            }
            final byte[] b = h.array();
            for (int i = 0; i < MAGIC.length; i++) {
                if (b[i] != MAGIC[i]) {
                    return bad(f, seqFromName, "not a Perpcore snapshot (no PERPSNAP header)");
                }
            }
            final CRC32C crc = new CRC32C();
            crc.update(b, 0, 52);
            if ((int) crc.getValue() != h.getInt(52)) {
                return bad(f, seqFromName, "checksum mismatch in its header: the file is damaged");
            }
            final int fileVersion = h.getInt(8);
            final int engineVersion = h.getInt(12);
            if (fileVersion != FILE_VERSION || !EngineSnapshot.readable(engineVersion)) {
                return bad(f, seqFromName, "snapshot format " + fileVersion + "/" + engineVersion
                    + " is unknown to this build (it reads " + FILE_VERSION + "/"
                    + EngineSnapshot.OLDEST_READABLE_VERSION + " to " + FILE_VERSION + "/"
                    + EngineSnapshot.FORMAT_VERSION + ")");
            }
            final long seq = h.getLong(16);
            final long bodyLength = h.getLong(40);
            if (seq != seqFromName) {
                return bad(f, seqFromName, "its header says seq " + seq);
            }
            if (ch.size() != HEADER + bodyLength) {
                return bad(f, seqFromName, "truncated: " + ch.size() + " bytes where its header announces "
                    + (HEADER + bodyLength));
            }
            return new SnapshotInfo(f, seq, h.getLong(24), h.getLong(32), bodyLength, null);
        } catch (IOException e) {
            return bad(f, seqFromName, "unreadable: " + e.getMessage());
        }
    }

    private static SnapshotInfo bad(Path f, long seq, String problem) {
        return new SnapshotInfo(f, seq, 0, 0, 0, problem);
    }

    /**
     * Writes the engine's state at its current sequence number: a {@code .tmp} file synced to disk, renamed into
     * place, the directory synced. Call on the engine thread, between commands.
     *
     * @return the file as its header describes it
     */
    SnapshotInfo write(Engine engine) throws IOException {
        Files.createDirectories(dir);
        final long seq = engine.lastSeq();
        final Path target = fileFor(seq);
        final Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        final long hash;
        final long length;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
            final FileSink sink = new FileSink(ch, HEADER);
            hash = EngineSnapshot.write(engine, sink);
            sink.flush();
            length = sink.written();
            final ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.put(MAGIC).putInt(FILE_VERSION).putInt(EngineSnapshot.FORMAT_VERSION).putLong(seq)
                .putLong(engine.nowMs()).putLong(hash).putLong(sink.written()).putInt(sink.crc());
            final CRC32C crc = new CRC32C();
            crc.update(h.array(), 0, 52);
            h.putInt((int) crc.getValue());
            h.clear();
            while (h.hasRemaining()) {
                ch.write(h, h.position());
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
        return new SnapshotInfo(target, seq, engine.nowMs(), hash, length, null);
    }

    // ------------------------------------------------------------------------------------------ pruning

    /**
     * The highest sequence number whose snapshot was deleted by {@link #prune} (0: none). Kept in
     * {@code snapshots/pruned}, so that the SNAPSHOT commands up to it are known to have had their file deleted on
     * purpose: neither recovery (which would write them again) nor {@code journal verify} (which would call them
     * missing) treat them as lost.
     */
    long prunedThrough() {
        final Path f = dir.resolve(PRUNED);
        if (!Files.exists(f)) {
            return 0;
        }
        try {
            final String text = Files.readString(f, StandardCharsets.US_ASCII).strip();
            return Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            throw new JournalException("snapshots/" + PRUNED + " is unreadable (" + e.getMessage() + "): it says which"
                + " snapshots were deleted on purpose; restore it or delete it (journal verify then lists those"
                + " snapshots as missing)");
        }
    }

    /**
     * Deletes the oldest valid snapshot files beyond the newest {@code keep} ({@link JournalOptions#KEEP_ALL}:
     * none). Damaged files are left alone (recovery sets them aside). The record of what was pruned is written
     * (synced) before any file is deleted, so a crash in between leaves only files that the record already covers.
     *
     * @return the files deleted
     */
    List<Path> prune(int keep) throws IOException {
        final List<Path> deleted = new ArrayList<>();
        if (keep == JournalOptions.KEEP_ALL) {
            return deleted;
        }
        final List<SnapshotInfo> valid = new ArrayList<>();
        for (SnapshotInfo s : list()) {
            if (s.problem() == null) {
                valid.add(s);
            }
        }
        if (valid.size() <= keep) {
            return deleted;
        }
        final List<SnapshotInfo> old = valid.subList(0, valid.size() - keep);
        final long through = old.get(old.size() - 1).seq();
        if (through > prunedThrough()) {
            final Path tmp = dir.resolve(PRUNED + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
                final ByteBuffer text = ByteBuffer.wrap((through + "\n").getBytes(StandardCharsets.US_ASCII));
                while (text.hasRemaining()) {
                    ch.write(text);
                }
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(PRUNED), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        }
        for (SnapshotInfo s : old) {
            Files.deleteIfExists(s.file());
            deleted.add(s.file());
        }
        syncDirectory(dir);
        return deleted;
    }

    /**
     * Restores the engine a snapshot holds, after checking its body's checksum.
     *
     * @throws JournalException when the file is damaged, of an unknown format, or restores into another state
     */
    Engine restore(SnapshotInfo info) {
        if (info.problem() != null) {
            throw new JournalException("snapshot " + info.file().getFileName() + ": " + info.problem(), info.seq());
        }
        try (FileChannel ch = FileChannel.open(info.file(), StandardOpenOption.READ)) {
            final ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(h, 0);
            final int expectedCrc = h.getInt(48);
            if (bodyCrc(ch, info.bodyLength()) != expectedCrc) {
                throw new JournalException("snapshot " + info.file().getFileName()
                    + ": checksum mismatch: the file is damaged", info.seq());
            }
            final FileSource source = new FileSource(ch, HEADER, info.bodyLength());
            final Engine engine;
            try {
                engine = EngineSnapshot.read(source);
            } catch (SnapshotFormatException e) {
                throw new JournalException("snapshot " + info.file().getFileName() + ": " + e.getMessage(), info.seq());
            }
            if (engine.lastSeq() != info.seq() || engine.stateHash() != info.stateHash()) {
                throw new JournalException("snapshot " + info.file().getFileName() + ": it restores seq "
                    + engine.lastSeq() + " with another state hash than its header's", info.seq());
            }
            return engine;
        } catch (IOException e) {
            throw new JournalException("snapshot " + info.file().getFileName() + ": unreadable: " + e.getMessage(), e);
        }
    }

    /** Checks a snapshot's body checksum without restoring it; returns the problem, or null. */
    String check(SnapshotInfo info) {
        if (info.problem() != null) {
            return info.problem();
        }
        try (FileChannel ch = FileChannel.open(info.file(), StandardOpenOption.READ)) {
            final ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(h, 0);
            return bodyCrc(ch, info.bodyLength()) == h.getInt(48) ? null : "checksum mismatch: the file is damaged";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /**
     * Compares a snapshot with an engine's state, byte for byte, without holding either in memory.
     *
     * @return null when the file holds exactly the engine's state (a file of an older engine format: the same state
     *     hash); otherwise where it differs
     */
    String compare(SnapshotInfo info, Engine engine) {
        if (info.problem() != null) {
            return info.problem();
        }
        final long hash = engine.stateHash();
        if (hash != info.stateHash()) {
            return String.format("its state hash %016x is not the replayed state's %016x", info.stateHash(), hash);
        }
        try (FileChannel ch = FileChannel.open(info.file(), StandardOpenOption.READ)) {
            final ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(h, 0);
            if (h.getInt(12) != EngineSnapshot.FORMAT_VERSION) {
                return null; // an older engine format: its bytes are not this build's, its state hash matched
            }
            final ComparingSink sink = new ComparingSink(new FileSource(ch, HEADER, info.bodyLength()));
            EngineSnapshot.write(engine, sink);
            if (sink.difference >= 0) {
                return "its body differs from the replayed state at byte " + sink.difference;
            }
            if (sink.position != info.bodyLength()) {
                return "its body is " + info.bodyLength() + " bytes, the replayed state " + sink.position;
            }
            return null;
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** A sink that compares what it is given with a source; remembers the first differing byte offset. */
    private static final class ComparingSink implements SnapshotSink {
        private final SnapshotSource source;
        long position;
        long difference = -1;

        ComparingSink(SnapshotSource source) {
            this.source = source;
        }

        private void compare(long expected, long actual, int size) {
            if (difference < 0 && expected != actual) {
                difference = position;
            }
            position += size;
        }

        private boolean open() {
            return difference < 0;
        }

        @Override
        public void putByte(int value) {
            if (open()) {
                try {
                    compare(source.getByte(), (byte) value, 1);
                } catch (SnapshotFormatException e) {
                    difference = position;
                }
            } else {
                position++;
            }
        }

        @Override
        public void putInt(int value) {
            if (open()) {
                try {
                    compare(source.getInt(), value, 4);
                } catch (SnapshotFormatException e) {
                    difference = position;
                }
            } else {
                position += 4;
            }
        }

        @Override
        public void putLong(long value) {
            if (open()) {
                try {
                    compare(source.getLong(), value, 8);
                } catch (SnapshotFormatException e) {
                    difference = position;
                }
            } else {
                position += 8;
            }
        }

        @Override
        public void putBytes(byte[] src, int offset, int length) {
            for (int i = 0; i < length; i++) {
                putByte(src[offset + i]);
            }
        }
    }

    private static int bodyCrc(FileChannel ch, long length) throws IOException {
        final CRC32C crc = new CRC32C();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        long position = HEADER;
        final long end = HEADER + length;
        while (position < end) {
            buffer.clear();
            buffer.limit((int) Math.min(BUFFER, end - position));
            final int n = ch.read(buffer, position);
            if (n < 0) {
                break;
            }
            buffer.flip();
            crc.update(buffer);
            position += n;
        }
        return (int) crc.getValue();
    }

    /** Renames an unusable snapshot out of the way ({@code .damaged-TIME}); returns the new name. */
    static Path setAside(Path file) throws IOException {
        final Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + stamp());
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(file.getParent());
        return aside;
    }

    static String stamp() {
        return Instant.now().toString().replace(':', '-');
    }

    static void syncDirectory(Path directory) {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be synced; the rename itself is atomic
        }
    }

    /** A buffered little-endian sink over a file channel from a position, with a running CRC-32C. */
    private static final class FileSink implements SnapshotSink {
        private final FileChannel ch;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private long position;
        private long written;

        FileSink(FileChannel ch, long start) {
            this.ch = ch;
            this.position = start;
        }

        private void room(int n) {
            if (buffer.remaining() < n) {
                flush();
            }
        }

        void flush() {
            buffer.flip();
            final ByteBuffer forCrc = buffer.duplicate();
            crc.update(forCrc);
            try {
                while (buffer.hasRemaining()) {
                    position += ch.write(buffer, position);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the snapshot", e);
            }
            buffer.clear();
        }

        long written() {
            return written;
        }

        int crc() {
            return (int) crc.getValue();
        }

        @Override
        public void putByte(int value) {
            room(1);
            buffer.put((byte) value);
            written++;
        }

        @Override
        public void putInt(int value) {
            room(4);
            buffer.putInt(value);
            written += 4;
        }

        @Override
        public void putLong(long value) {
            room(8);
            buffer.putLong(value);
            written += 8;
        }

        @Override
        public void putBytes(byte[] src, int offset, int length) {
            int done = 0;
            while (done < length) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                final int n = Math.min(length - done, buffer.remaining());
                buffer.put(src, offset + done, n);
                done += n;
            }
            written += length;
        }
    }

    /** A buffered little-endian source over {@code length} bytes of a file channel from a position. */
    private static final class FileSource implements SnapshotSource {
        private final FileChannel ch;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private long position;
        private final long end;

        FileSource(FileChannel ch, long start, long length) {
            this.ch = ch;
            this.position = start;
            this.end = start + length;
            buffer.limit(0);
        }

        private void need(int n) {
            if (buffer.remaining() >= n) {
                return;
            }
            buffer.compact();
            try {
                while (buffer.position() < n && position < end) {
                    final int want = (int) Math.min(buffer.remaining(), end - position);
                    final ByteBuffer slice = buffer.duplicate();
                    slice.limit(slice.position() + want);
                    final int r = ch.read(slice, position);
                    if (r < 0) {
                        break;
                    }
                    position += r;
                    buffer.position(buffer.position() + r);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the snapshot", e);
            }
            buffer.flip();
            if (buffer.remaining() < n) {
                throw new SnapshotFormatException("the snapshot ends early");
            }
        }

        @Override
        public byte getByte() {
            need(1);
            return buffer.get();
        }

        @Override
        public int getInt() {
            need(4);
            return buffer.getInt();
        }

        @Override
        public long getLong() {
            need(8);
            return buffer.getLong();
        }

        @Override
        public void getBytes(byte[] dst, int offset, int length) {
            int done = 0;
            while (done < length) {
                need(1);
                final int n = Math.min(length - done, buffer.remaining());
                buffer.get(dst, offset + done, n);
                done += n;
            }
        }
    }
}
