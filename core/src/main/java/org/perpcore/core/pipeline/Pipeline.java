package org.perpcore.core.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;

/**
 * The single-writer pipeline: producers claim a preallocated {@link Command} slot, fill it and publish; a sequencing
 * and journal stage stamps the sequence number and journals the command; the engine stage applies it; the output
 * stage sees its events. Stages run in that order for every slot, so nothing is applied that was not journaled
 * and nobody hears of an effect before its cause is journaled.
 *
 * <pre>
 *   producers ──► [ sequence + journal ] ──► [ engine ] ──► [ output ]        (3 threads)
 *   producers ──► [ sequence + journal + engine ] ──► [ output ]              (fused: 2 threads)
 *   producers ──► [ sequence + journal + engine, then output per batch ]      (fused, output on the engine thread: 1)
 * </pre>
 * With the output stage on the engine thread ({@link PipelineConfig#outputOnEngineThread()}), the engine thread hands
 * a batch to the output stage once it has applied the whole batch, which is also when the journal stage has finished
 * it: the output stage still sees nothing before its command is journaled.
 *
 * <p>Any number of threads may publish. An exception in a stage is a bug: the pipeline stops (no further command
 * is applied to possibly corrupt state), {@link #failure()} says why, and publishing throws.
 */
public final class Pipeline implements AutoCloseable {
    private static final EventTranslatorOneArg<Command, Command> COPY =
        (slot, sequence, source) -> slot.copyFrom(source);

    private final Disruptor<Command> disruptor;
    private final RingBuffer<Command> ring;
    private final CountDownLatch started;
    // counted down as each stage thread's onShutdown returns: close() waits for it, so that what the stages close
    // on shutdown (journals, output files) is closed before close() returns and the caller may touch it
    private final CountDownLatch stopped;
    private volatile Throwable failure;
    private boolean closed;

    public Pipeline(Engine engine, PipelineConfig config, CommandStage journal, OutputStage output) {
        this(engine, config, journal, EngineHook.NONE, output);
    }

    /**
     * A pipeline whose engine thread also runs {@code hook} after each command (snapshots): in the fused layout
     * journal, engine and hook share one thread; split, the hook runs on the engine's.
     */
    public Pipeline(Engine engine, PipelineConfig config, CommandStage journal, EngineHook hook, OutputStage output) {
        final AtomicInteger threadCount = new AtomicInteger();
        final ThreadFactory threads = runnable -> {
            final Thread t = new Thread(runnable, "perpcore-stage-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        disruptor = new Disruptor<>(Command::new, config.ringSize(), threads, ProducerType.MULTI,
            WaitStrategies.create(config.waitStrategy()));
        disruptor.setDefaultExceptionHandler(new HaltOnFailure());

        final long seqBase = config.firstSeq() - 1;
        final RingBuffer<Command> slots = disruptor.getRingBuffer();
        final boolean outputHere = config.outputOnEngineThread();
        // Disruptor's shutdown only waits for processors that are running: wait for every stage thread to start,
        // or a close right after construction could stop them before they saw the published commands.
        started = new CountDownLatch((config.fuseJournalEngine() ? 1 : 2) + (outputHere ? 0 : 1));
        stopped = new CountDownLatch((int) started.getCount());
        final EngineOutput engineOutput = new EngineOutput(slots, output, outputHere);
        final EventHandler<Command> outputHandler = new EventHandler<>() {
            @Override
            public void onStart() {
                output.onStart();
                started.countDown();
            }

            @Override
            public void onEvent(Command c, long sequence, boolean endOfBatch) {
                output.onEvents(c, endOfBatch);
            }

            @Override
            public void onShutdown() {
                try {
                    output.onShutdown();
                } finally {
                    stopped.countDown();
                }
            }
        };
        if (config.fuseJournalEngine()) {
            final EventHandler<Command> fused = new EventHandler<>() {
                @Override
                public void onStart() {
                    journal.onStart();
                    hook.onStart();
                    engineOutput.onStart();
                    started.countDown();
                }

                @Override
                public void onEvent(Command c, long sequence, boolean endOfBatch) {
                    c.seq = seqBase + sequence + 1;
                    journal.onCommand(c, endOfBatch);
                    engine.apply(c);
                    hook.afterApply(c);
                    engineOutput.applied(sequence, endOfBatch);
                }

                @Override
                public void onShutdown() {
                    try {
                        engineOutput.onShutdown();
                    } finally {
                        try {
                            hook.onShutdown();
                            journal.onShutdown();
                        } finally {
                            stopped.countDown();
                        }
                    }
                }
            };
            if (outputHere) {
                disruptor.handleEventsWith(fused);
            } else {
                disruptor.handleEventsWith(fused).then(outputHandler);
            }
        } else {
            final EventHandler<Command> journalHandler = new EventHandler<>() {
                @Override
                public void onStart() {
                    journal.onStart();
                    started.countDown();
                }

                @Override
                public void onEvent(Command c, long sequence, boolean endOfBatch) {
                    c.seq = seqBase + sequence + 1;
                    journal.onCommand(c, endOfBatch);
                }

                @Override
                public void onShutdown() {
                    try {
                        journal.onShutdown();
                    } finally {
                        stopped.countDown();
                    }
                }
            };
            final EventHandler<Command> engineHandler = new EventHandler<>() {
                @Override
                public void onStart() {
                    hook.onStart();
                    engineOutput.onStart();
                    started.countDown();
                }

                @Override
                public void onEvent(Command c, long sequence, boolean endOfBatch) {
                    engine.apply(c);
                    hook.afterApply(c);
                    engineOutput.applied(sequence, endOfBatch);
                }

                @Override
                public void onShutdown() {
                    try {
                        engineOutput.onShutdown();
                    } finally {
                        try {
                            hook.onShutdown();
                        } finally {
                            stopped.countDown();
                        }
                    }
                }
            };
            if (outputHere) {
                disruptor.handleEventsWith(journalHandler).then(engineHandler);
            } else {
                disruptor.handleEventsWith(journalHandler).then(engineHandler).then(outputHandler);
            }
        }
        ring = disruptor.start();
        try {
            if (!started.await(60, TimeUnit.SECONDS)) {
                disruptor.halt();
                throw new IllegalStateException("pipeline stages did not start within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disruptor.halt();
            throw new IllegalStateException("interrupted while starting the pipeline", e);
        }
        if (failure != null) {
            disruptor.halt();
            throw new IllegalStateException("a pipeline stage failed to start: " + failure, failure);
        }
    }

    /** Copies {@code source} into the next slot and publishes it (blocks while the ring is full). */
    public void publish(Command source) {
        publish(COPY, source);
    }

    /**
     * Claims a slot, lets {@code translator} fill it from {@code arg} and publishes it. Use a non-capturing
     * {@code static final} translator: a capturing lambda allocates on every call.
     */
    public <A> void publish(EventTranslatorOneArg<Command, A> translator, A arg) {
        final Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("pipeline stopped after a failure: " + f, f);
        }
        ring.publishEvent(translator, arg);
    }

    /** The ring, for producers that claim and publish slots themselves. */
    public RingBuffer<Command> ring() {
        return ring;
    }

    /** The failure that stopped the pipeline, or null. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Lets every published command run through all stages, then stops the stage threads and waits until each has
     * run its stages' shutdown. After a failure, stops at once (and still waits for the shutdowns). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (failure != null) {
                disruptor.halt();
                awaitStopped(deadline);
                return;
            }
            try {
                disruptor.shutdown(100, TimeUnit.MILLISECONDS);
                awaitStopped(deadline);
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    disruptor.halt();
                    throw new IllegalStateException("pipeline did not drain within 60 s", e);
                }
            }
        }
    }

    /** Waits (until {@code deadline}, a {@link System#nanoTime} value) for every stage thread's shutdown to return. */
    private void awaitStopped(long deadline) {
        try {
            if (!stopped.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("pipeline stages did not shut down within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the pipeline stages shut down", e);
        }
    }

    /**
     * The output stage run by the engine thread ({@link PipelineConfig#outputOnEngineThread()}): at the end of each
     * batch, over the batch's slots in order. The slots stay the engine's until its handler returns from the batch's
     * last command, so they are still there to read. Does nothing in the other layouts.
     */
    private static final class EngineOutput {
        private final RingBuffer<Command> slots;
        private final OutputStage output;
        private final boolean enabled;
        private long batchStart = -1;

        EngineOutput(RingBuffer<Command> slots, OutputStage output, boolean enabled) {
            this.slots = slots;
            this.output = output;
            this.enabled = enabled;
        }

        void onStart() {
            if (enabled) {
                output.onStart();
            }
        }

        void applied(long sequence, boolean endOfBatch) {
            if (!enabled) {
                return;
            }
            if (batchStart < 0) {
                batchStart = sequence;
            }
            if (endOfBatch) {
                for (long s = batchStart; s <= sequence; s++) {
                    output.onEvents(slots.get(s), s == sequence);
                }
                batchStart = -1;
            }
        }

        void onShutdown() {
            if (enabled) {
                output.onShutdown();
            }
        }
    }

    /** Records the failure and rethrows it, which ends the stage's thread: nothing after it is applied. */
    private final class HaltOnFailure implements ExceptionHandler<Command> {
        @Override
        public void handleEventException(Throwable ex, long sequence, Command event) {
            failure = ex;
            System.err.println("perpcore: pipeline stopped at slot " + sequence + " (command seq "
                + (event == null ? "?" : event.seq) + "): " + ex);
            throw ex instanceof RuntimeException re ? re : new IllegalStateException(ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            failure = ex;
            while (started.getCount() > 0) {
                started.countDown(); // wake the constructor: it reports the failure
            }
            throw ex instanceof RuntimeException re ? re : new IllegalStateException(ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            failure = ex;
        }
    }
}
