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
import net.openhft.chronicle.queue.TailerDirection;
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

    /** The raw bytes of every entry of a queue, in order. */
    static List<byte[]> entries(Path dir, String queue) {
        final List<byte[]> result = new ArrayList<>();
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir.resolve(queue)).readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    final byte[] b = new byte[(int) dc.wire().bytes().readRemaining()];
                    dc.wire().bytes().read(b);
                    result.add(b);
                }
            }
        }
        return result;
    }

    /** Where the last entry of a queue lies: its file and the byte range of its content. */
    record Place(Path file, long start, long end) {
    }

    static Place lastEntry(Path dir, String queue) {
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir.resolve(queue)).readOnly(true).build();
             ExcerptTailer t = q.createTailer().direction(TailerDirection.BACKWARD).toEnd()) {
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) {
                    throw new IllegalStateException("empty queue " + queue);
                }
                return new Place(t.currentFile().toPath(), dc.wire().bytes().readPosition(),
                    dc.wire().bytes().readLimit());
            }
        }
    }

    /** Appends raw bytes as one more Chronicle entry (a foreign or buggy writer). */
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
