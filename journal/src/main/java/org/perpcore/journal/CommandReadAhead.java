package org.perpcore.journal;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.perpcore.core.command.Command;

/**
 * Reads a journal's commands on a thread of its own, ahead of the thread that applies them: the reader thread reads,
 * checks and decodes entries ({@link JournalReader}: checksum, version, sequence) into a ring of preallocated
 * commands, at most {@code capacity} ahead, while the caller applies the ones before. A replay then costs the engine's
 * time per command, not the engine's plus the reader's. Bounded by the engine: the reader waits (parks) while the
 * ring is full.
 *
 * <p>What the caller sees is exactly what a {@link JournalReader} gives, in the same order: the commands, then the
 * end, or the {@link JournalException} of a damaged entry at the place where a sequential read meets it (the
 * commands before it come first). The reader never reads past {@code toSeq}.
 *
 * <p>Measured on this project's 2-core machine (docs/PERFORMANCE.md, "Journal") it is slower than reading on the
 * engine's thread (the hand-over between cores costs more than the 0.07 µs a command takes to read), so
 * {@link Replayer} reads sequentially; on a machine with cores to spare, or with an engine that leaves the reading a
 * larger share, this is the way to take the reading off the engine's thread.
 *
 * <p>One consumer thread; the command {@link #next} returns is the caller's until the next call (the slot is then
 * handed back to the reader). No allocation per command. Close it to stop the reader thread.
 *
 * <p>The two threads tell each other of their progress in steps of {@link #STEP} commands (or before they wait), on
 * counters of their own cache lines: a volatile write per command, and counters sharing a line, cost the engine
 * thread more than the reading it saves.
 */
public final class CommandReadAhead implements AutoCloseable {
    private static final int STEP = 32;
    private static final int SPINS = 64;
    private static final int YIELDS = 64;
    private static final long PARK_NANOS = 20_000;

    private final Command[] slots;
    private final int mask;
    private final Thread thread;
    /** Commands the reader has filled in (written by the reader thread). */
    private final PaddedCounter produced = new PaddedCounter();
    /** Commands the caller has handed back (written by the caller). */
    private final PaddedCounter consumed = new PaddedCounter();
    private volatile boolean done;
    private volatile boolean stop;
    private volatile RuntimeException failure;
    /** The caller's: commands taken, and what {@link #produced} said last. */
    private long taken;
    private long available;

    /**
     * Starts reading {@code dir}'s commands from {@code fromSeq} up to {@code toSeq} (Long.MAX_VALUE: to the end),
     * read only.
     */
    public CommandReadAhead(Path dir, long fromSeq, long toSeq, int capacity) {
        this(JournalReader.openReadOnly(dir), true, fromSeq, toSeq, capacity);
    }

    /** On a queue owned (and closed after this) by the caller, unless {@code ownsQueue}. */
    CommandReadAhead(SingleChronicleQueue queue, boolean ownsQueue, long fromSeq, long toSeq, int capacity) {
        if (capacity < 2 * STEP || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= " + 2 * STEP + ": " + capacity);
        }
        slots = new Command[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new Command();
        }
        mask = capacity - 1;
        // the reader (its Chronicle tailer) is created, used and closed on the reader thread, as Chronicle requires
        thread = new Thread(() -> read(queue, ownsQueue, fromSeq, toSeq), "perpcore-replay-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(SingleChronicleQueue queue, boolean ownsQueue, long fromSeq, long toSeq) {
        long n = 0;
        try (JournalReader reader = new JournalReader(queue, false, fromSeq)) {
            long free = slots.length;
            while (!stop && reader.lastSeq() < toSeq) {
                if (n == free) {
                    produced.value = n; // before waiting: the caller may be waiting for these
                    int idle = 0;
                    while (n == (free = consumed.value + slots.length)) {
                        if (stop) {
                            return;
                        }
                        idle = idle(idle);
                    }
                }
                if (!reader.next(slots[(int) n & mask])) {
                    break;
                }
                n++;
                if ((n & (STEP - 1)) == 0) {
                    produced.value = n;
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            produced.value = n;
            done = true;
            if (ownsQueue) {
                queue.close();
            }
        }
    }

    /**
     * The next command (valid until the next call), or null at the end (or at {@code toSeq}).
     *
     * @throws JournalException where the journal is damaged, as {@link JournalReader#next} would at that point
     */
    public Command next() {
        if ((taken & (STEP - 1)) == 0) {
            consumed.value = taken; // the commands before are handed back
        }
        if (taken == available) {
            consumed.value = taken;
            int idle = 0;
            while ((available = produced.value) == taken) {
                if (done && (available = produced.value) == taken) {
                    final RuntimeException f = failure;
                    if (f != null) {
                        throw f;
                    }
                    return null;
                }
                idle = idle(idle);
            }
        }
        return slots[(int) taken++ & mask];
    }

    private static int idle(int n) {
        if (n < SPINS) {
            Thread.onSpinWait();
        } else if (n < SPINS + YIELDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(PARK_NANOS);
        }
        return n + 1;
    }

    /** A volatile counter alone on its cache line (the padding on both sides keeps neighbours off it). */
    @SuppressWarnings("unused")
    private static class LeftPad {
        long p1, p2, p3, p4, p5, p6, p7;
    }

    private static class CounterValue extends LeftPad {
        volatile long value;
    }

    @SuppressWarnings("unused")
    private static final class PaddedCounter extends CounterValue {
        long q1, q2, q3, q4, q5, q6, q7;
    }

    /** Stops the reader thread and waits for it (it closes its reader). */
    @Override
    public void close() {
        stop = true;
        Threads.joinUninterruptibly(thread);
    }
}
