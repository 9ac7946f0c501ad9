package org.perpcore.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.perpcore.core.command.Command;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;

/** Running streams into journals, and damaging journals the ways disks and crashes do. */
final class Journals {
    private Journals() {
    }

    /** Publishes commands {@code from..to-1} of the stream through a journaled pipeline on {@code dir}. */
    static RecoveryReport run(Path dir, Streams stream, int from, int to, PipelineConfig config, JournalOptions options,
                              OutputStage output) {
        try (JournaledEngine journal = JournaledEngine.open(dir, options)) {
            if (journal.nextSeq() != from + 1) {
                throw new IllegalStateException("journal continues at seq " + journal.nextSeq() + ", stream at "
                    + (from + 1));
            }
            final Command c = new Command();
            try (Pipeline pipeline = journal.startPipeline(config, output)) {
                for (int i = from; i < to; i++) {
                    pipeline.publish(stream.get(i, c));
                }
            }
            if (journal.snapshotsFailed() > 0) {
                throw new IllegalStateException(journal.snapshotsFailed() + " snapshots failed");
            }
            return journal.recovery();
        }
    }

    static RecoveryReport run(Path dir, Streams stream, int from, int to) {
        return run(dir, stream, from, to, PipelineConfig.DEFAULT, JournalOptions.DEFAULT, OutputStage.NONE);
    }

    /** The raw bytes of every entry of a queue, in order, whatever documents hold them (frames or one each). */
    static List<byte[]> entries(Path dir, String queue) {
        final List<byte[]> result = new ArrayList<>();
        for (Located e : locate(dir, queue)) {
            result.add(e.bytes());
        }
        return result;
    }

    /** Where an entry lies: its file and the byte range of its content. */
    record Place(Path file, long start, long end) {
    }

    /** An entry's bytes and place. */
    record Located(byte[] bytes, Place place) {
    }

    /**
     * Every entry of a queue with its place, read with Chronicle and split by this test's own reading of the
     * layouts (docs/JOURNAL.md): a document starting with 0x82 is a frame (17-byte header, then u32 length and entry
     * per entry), any other one is a single entry.
     */
    static List<Located> locate(Path dir, String queue) {
        final List<Located> result = new ArrayList<>();
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir.resolve(queue)).readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    final long start = dc.wire().bytes().readPosition();
                    final byte[] doc = new byte[(int) dc.wire().bytes().readRemaining()];
                    dc.wire().bytes().read(doc);
                    final Path file = t.currentFile().toPath();
                    if (doc.length > 0 && doc[0] == (byte) 0x82) {
                        final int count = JournalEntries.getInt(doc, 1);
                        int at = 17;
                        for (int i = 0; i < count; i++) {
                            final int length = JournalEntries.getInt(doc, at);
                            at += 4;
                            result.add(new Located(java.util.Arrays.copyOfRange(doc, at, at + length),
                                new Place(file, start + at, start + at + length)));
                            at += length;
                        }
                    } else {
                        result.add(new Located(doc, new Place(file, start, start + doc.length)));
                    }
                }
            }
        }
        return result;
    }

    /** The documents of a queue, raw (a frame or a layout-1 entry each). */
    static int documents(Path dir, String queue) {
        int n = 0;
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir.resolve(queue)).readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return n;
                    }
                    n++;
                }
            }
        }
    }

    static Place lastEntry(Path dir, String queue) {
        final List<Located> all = locate(dir, queue);
        if (all.isEmpty()) {
            throw new IllegalStateException("empty queue " + queue);
        }
        return all.get(all.size() - 1).place();
    }

    /** Where the entry of {@code seq} (the seq-th entry) lies. */
    static Place placeOf(Path dir, String queue, long seq) {
        return locate(dir, queue).get((int) (seq - 1)).place();
    }

    /**
     * Rewrites a journal queue in layout 1, as builds before frames wrote it: one Chronicle document per entry, the
     * entry's bytes unchanged.
     */
    static void rewriteAsLayout1(Path dir, String queue) {
        final List<byte[]> all = entries(dir, queue);
        final Path old = dir.resolve(queue + ".frames");
        try {
            Files.move(dir.resolve(queue), old);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir.resolve(queue)).build();
             ExcerptAppender a = q.createAppender()) {
            for (byte[] entry : all) {
                try (DocumentContext dc = a.writingDocument()) {
                    dc.wire().bytes().write(entry);
                }
            }
        }
        try (Stream<Path> files = Files.walk(old)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends raw bytes as one more Chronicle document, a layout-1 entry (a foreign or buggy writer, or an older build). */
    static void appendRaw(Path dir, String queue, byte[] bytes) {
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir.resolve(queue)).build();
             ExcerptAppender a = q.createAppender()) {
            try (DocumentContext dc = a.writingDocument()) {
                dc.wire().bytes().write(bytes);
            }
        }
    }

    /** Overwrites bytes of a file at a position. */
    static void write(Path file, long at, byte[] bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), at);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file, long at, int n) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            final ByteBuffer b = ByteBuffer.allocate(n);
            ch.read(b, at);
            return b.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void truncate(Path file, long size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 of every file under {@code dir} by relative path: "nothing changed on disk" is equal fingerprints. */
    static TreeMap<String, String> fingerprint(Path dir) {
        final TreeMap<String, String> result = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().endsWith(".cq4t")) {
                    continue; // Chronicle's table store records reader and lock state even for read-only opens
                }
                final MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(Files.readAllBytes(f));
                result.put(dir.relativize(f).toString(), HexFormat.of().formatHex(sha.digest()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }
}
