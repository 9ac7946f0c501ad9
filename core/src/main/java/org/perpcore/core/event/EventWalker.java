package org.perpcore.core.event;

import org.agrona.DirectBuffer;
import org.perpcore.core.command.Command;
import org.perpcore.core.pipeline.OutputStage;

/**
 * Reads a run's events command by command, one event at a time: each command's events are decoded in order into
 * {@link #view} and handed to {@link #event}, between {@link #beginCommand} and {@link #endCommand}. Feed it as a
 * pipeline's {@link OutputStage}, with {@link #accept(Command)}, or from an event journal with
 * {@link #accept(long, long, DirectBuffer, int, int)}. Single-threaded.
 */
public abstract class EventWalker implements OutputStage {
    /** The event being read: valid inside {@link #event} only. */
    protected final EventView view = new EventView();

    @Override
    public void onEvents(Command command, boolean endOfBatch) {
        accept(command);
    }

    /** The events the engine wrote into {@code command}. */
    public void accept(Command command) {
        accept(command.seq, command.timestampMs, command.events().buffer(), 0, command.events().length());
    }

    /**
     * The events of one command, {@code buffer[offset, offset + length)} in the engine's binary format.
     *
     * @throws IllegalArgumentException when an event does not decode (the buffer is not the engine's events)
     */
    public void accept(long seq, long timestampMs, DirectBuffer buffer, int offset, int length) {
        beginCommand(seq, timestampMs);
        int p = offset;
        final int end = offset + length;
        while (p < end) {
            final int n = view.decode(buffer, p);
            if (n <= 0) {
                throw new IllegalArgumentException("command " + seq + ": undecodable event at offset " + (p - offset));
            }
            event(seq, timestampMs, buffer, p, n);
            p += n;
        }
        endCommand(seq, timestampMs);
    }

    /** Before the first event of command {@code seq} (also called for a command without events). */
    protected void beginCommand(long seq, long timestampMs) {
    }

    /** One event, decoded into {@link #view}; its bytes are {@code buffer[at, at + length)}. */
    protected abstract void event(long seq, long timestampMs, DirectBuffer buffer, int at, int length);

    /** After the last event of command {@code seq}. */
    protected void endCommand(long seq, long timestampMs) {
    }
}
