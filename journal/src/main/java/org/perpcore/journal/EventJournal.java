package org.perpcore.journal;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.pipeline.OutputStage;

/**
 * The event journal, in the output stage: appends the engine's events of each command, then hands the command to
 * the next output stage. One excerpt per command that produced events:
 * {@code i64 seq | i64 timestampMs | i32 eventCount | i32 length | events...} (events in the
 * {@link EventBuffer} binary format).
 */
public final class EventJournal implements OutputStage, AutoCloseable {
    private final ChronicleQueue queue;
    private final OutputStage next;
    private ExcerptAppender appender;

    public EventJournal(Path dir, OutputStage next) {
        this.queue = JournalFiles.open(dir, JournalFiles.EVENTS);
        this.next = next;
    }

    @Override
    public void onStart() {
        appender = queue.createAppender();
        next.onStart();
    }

    @Override
    public void onEvents(Command command, boolean endOfBatch) {
        final EventBuffer events = command.events();
        if (events.count() > 0) {
            if (appender == null) {
                appender = queue.createAppender();
            }
            try (DocumentContext dc = appender.writingDocument()) {
                final Bytes<?> bytes = dc.wire().bytes();
                bytes.writeLong(command.seq);
                bytes.writeLong(command.timestampMs);
                bytes.writeInt(events.count());
                bytes.writeInt(events.length());
                bytes.write(events.buffer().byteArray(), 0, events.length());
            }
        }
        next.onEvents(command, endOfBatch);
    }

    @Override
    public void onShutdown() {
        next.onShutdown();
        close();
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.close();
            appender = null;
        }
        queue.close();
    }
}
