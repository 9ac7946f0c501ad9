package org.perpcore.journal;

import java.nio.file.Path;
import java.util.zip.CRC32C;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.perpcore.core.codec.CommandCodec;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.pipeline.CommandStage;

/**
 * The command journal stage: appends every sequenced command to the {@code commands} queue before the engine
 * applies it, one entry per command ({@link JournalEntries}: the {@link CommandCodec} encoding, which carries the
 * schema version, sequence number and timestamp, then a CRC-32C), the entries of a batch in one frame
 * ({@link FrameWriter}). The frame is published at the end of the batch the ring delivered, before any later stage
 * sees the batch, and right after a SNAPSHOT command (so the snapshot the engine hook then writes is never ahead of
 * the journal). Under {@link Durability#SYNC} it flushes the queue to disk at the end of every batch; under
 * {@link Durability#MAPPED} a published frame survives a crash of the process, not a power loss.
 *
 * <p>Sequence numbers must follow each other (n, n + 1, ...): a gap is a bug upstream, and the stage throws rather
 * than write a journal that cannot be replayed, which halts the pipeline before the engine applies the command.
 *
 * <p>The appender is created on the stage thread in {@link #onStart()}, as Chronicle requires; no allocation per
 * command.
 */
public final class CommandJournal implements CommandStage, AutoCloseable {
    private final SingleChronicleQueue queue;
    private final boolean ownsQueue;
    private final boolean sync;
    private final byte[] scratch = new byte[CommandCodec.MAX_LENGTH + JournalEntries.CRC_LENGTH];
    private final UnsafeBuffer scratchBuffer = new UnsafeBuffer(scratch);
    private final CRC32C crc = new CRC32C();
    private ExcerptAppender appender;
    private FrameWriter frames;
    private QueuePretoucher pretoucher;
    private long appended;
    private long nextSeq;

    /** A journal of its own in {@code dir} (memory-mapped durability), accepting any first sequence number. */
    public CommandJournal(Path dir) {
        this(dir, JournalOptions.DEFAULT);
    }

    public CommandJournal(Path dir, JournalOptions options) {
        this(JournalFiles.open(dir, JournalFiles.COMMANDS, options, false), true, options, 0);
    }

    /** On a queue opened (and closed) by its owner; {@code nextSeq} 0 accepts any first sequence number. */
    CommandJournal(SingleChronicleQueue queue, boolean ownsQueue, JournalOptions options, long nextSeq) {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.sync = options.durability() == Durability.SYNC;
        this.nextSeq = nextSeq;
    }

    @Override
    public void onStart() {
        appender = queue.createAppender();
        frames = new FrameWriter(appender);
        pretoucher = new QueuePretoucher(frames, JournalFiles.COMMANDS);
    }

    @Override
    public void onCommand(Command command, boolean endOfBatch) {
        if (appender == null) {
            onStart();
        }
        if (nextSeq != 0 && command.seq != nextSeq) {
            throw new IllegalStateException("command journal: seq " + command.seq + " where " + nextSeq
                + " comes next; nothing was journaled");
        }
        nextSeq = command.seq + 1;
        final int length = CommandCodec.encode(command, scratchBuffer, 0);
        JournalEntries.putInt(scratch, length, JournalEntries.crc(crc, scratch, 0, length));
        frames.beginEntry(command.seq, length + JournalEntries.CRC_LENGTH)
            .write(scratch, 0, length + JournalEntries.CRC_LENGTH);
        frames.endEntry(endOfBatch || command.type == CommandType.SNAPSHOT);
        appended++;
        if (endOfBatch && sync) {
            appender.sync();
        }
    }

    /** Pages of the queue file touched ahead of the appender so far ({@link QueuePretoucher}). */
    long pretouchedPages() {
        return pretoucher == null ? 0 : pretoucher.touchedPages();
    }

    /** Commands appended by this journal. */
    public long appended() {
        return appended;
    }

    @Override
    public void onShutdown() {
        close();
    }

    /**
     * Publishes an open frame, closes the appender (on the thread that used it) and, when this journal opened it, the
     * queue.
     */
    @Override
    public void close() {
        if (appender != null) {
            pretoucher.close();
            frames.endFrame();
            if (sync) {
                appender.sync();
            }
            appender.close();
            appender = null;
        }
        if (ownsQueue && !queue.isClosed()) {
            queue.close();
        }
    }
}
