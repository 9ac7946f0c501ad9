package org.perpcore.journal;

import java.nio.file.Path;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.pipeline.OutputStage;

/**
 * The event journal, first in the output stage: appends the engine's events of every command (an entry even when
 * there are none, so the journal has one entry per sequence number), then hands the command to the next output
 * stage. Entry format in {@link JournalEntries}; events in the {@link EventBuffer} binary format, byte for byte as
 * the engine produced them; the entries of a batch in one frame ({@link FrameWriter}), published at the end of the
 * batch. Durability as {@link CommandJournal}: under {@link Durability#SYNC} the batch is flushed before the next
 * stage sees its last command. (The next stage may see a command before its events' frame is published: the command
 * itself is journaled by then, and recovery writes events that did not reach the journal again from it.)
 */
public final class EventJournal implements OutputStage, AutoCloseable {
    private final SingleChronicleQueue queue;
    private final boolean ownsQueue;
    private final boolean sync;
    private final OutputStage next;
    private final EntryWriter writer = new EntryWriter();
    private ExcerptAppender appender;
    private FrameWriter frames;
    private QueuePretoucher pretoucher;
    private long nextSeq;

    /** A journal of its own in {@code dir}, memory-mapped, accepting any first sequence number. */
    public EventJournal(Path dir, OutputStage next) {
        this(dir, JournalOptions.DEFAULT, next);
    }

    public EventJournal(Path dir, JournalOptions options, OutputStage next) {
        this(JournalFiles.open(dir, JournalFiles.EVENTS, options, false), true, options, 0, next);
    }

    EventJournal(SingleChronicleQueue queue, boolean ownsQueue, JournalOptions options, long nextSeq,
                 OutputStage next) {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.sync = options.durability() == Durability.SYNC;
        this.nextSeq = nextSeq;
        this.next = next;
    }

    @Override
    public void onStart() {
        openAppender();
        next.onStart();
    }

    private void openAppender() {
        appender = queue.createAppender();
        frames = new FrameWriter(appender);
        pretoucher = new QueuePretoucher(frames, JournalFiles.EVENTS);
    }

    @Override
    public void onEvents(Command command, boolean endOfBatch) {
        if (appender == null) {
            openAppender();
        }
        if (nextSeq != 0 && command.seq != nextSeq) {
            throw new IllegalStateException("event journal: seq " + command.seq + " where " + nextSeq + " comes next");
        }
        nextSeq = command.seq + 1;
        final EventBuffer events = command.events();
        writer.append(frames, command.seq, command.timestampMs, events.count(), events.buffer().byteArray(),
            events.length());
        frames.endEntry(endOfBatch);
        if (endOfBatch && sync) {
            appender.sync();
        }
        next.onEvents(command, endOfBatch);
    }

    @Override
    public void onShutdown() {
        try {
            next.onShutdown();
        } finally {
            close();
        }
    }

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

    /** Writes events entries into frames (the caller ends each entry); reusable, no allocation. Not thread-safe. */
    static final class EntryWriter {
        private final byte[] header = new byte[JournalEntries.EVENTS_HEADER];
        private final byte[] trailer = new byte[JournalEntries.CRC_LENGTH];
        private final CRC32C crc = new CRC32C();

        void append(FrameWriter frames, long seq, long timestampMs, int count, byte[] events, int length) {
            header[0] = JournalEntries.EVENTS_VERSION;
            JournalEntries.putLong(header, 1, seq);
            JournalEntries.putLong(header, 9, timestampMs);
            JournalEntries.putInt(header, 17, count);
            JournalEntries.putInt(header, 21, length);
            crc.reset();
            crc.update(header, 0, header.length);
            crc.update(events, 0, length);
            JournalEntries.putInt(trailer, 0, (int) crc.getValue());
            final Bytes<?> bytes = frames.beginEntry(seq, header.length + length + trailer.length);
            bytes.write(header, 0, header.length);
            bytes.write(events, 0, length);
            bytes.write(trailer, 0, trailer.length);
        }
    }
}
