package org.perpcore.perf.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.EngineHook;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.journal.CommandJournal;
import org.perpcore.journal.EventJournal;

/**
 * One measurement: the workload's setup through a fresh pipeline (ingress ring, command journal, engine, event
 * journal, output stage; by default the server's layout, journal and engine fused on one thread, with
 * {@code --layout split} each on its own), then the open-loop load.
 *
 * <p><b>Open loop.</b> Command i of the load is due at {@code start + i / rate}: the sender waits for that instant
 * (spinning, or parked when it is more than 0.3 ms away; with {@code --sender park} always parked, which frees a
 * core but makes it wake late by the timer's granularity, tens of microseconds, which the latencies then include),
 * writes it down as the command's intended send time and
 * publishes. A command the sender could only publish late (the ring was full, the thread lost its core) still
 * counts from its intended time, and so does every command behind it: stalls are charged to every command they
 * delay, with no coordinated omission. The sender never waits for answers.
 *
 * <p><b>Where the clocks are read</b> ({@code System.nanoTime}, all in this process): the sender (intended time),
 * the journal stage right after the command journal's append, the engine thread right after the engine applied a
 * command (an {@link EngineHook}), and the output stage after the event journal wrote the command's events. A
 * command's engine time runs from the later of its append and the end of the engine's previous command to the end
 * of its application: the engine's own work, with no queueing in it (in the split layout it includes the engine
 * thread's wake-up when it had nothing to do).
 *
 * <p><b>JIT warm-up.</b> Before the pipeline starts, {@code --jit-warmup} rounds of the workload itself run on small
 * bare engines (setup, then the flow with the walk's ticks), so that every stage of the liquidation path the
 * measured run reaches (the book's ladder, the fund, auto-deleveraging and its ranking) is compiled beforehand.
 */
final class BenchRun {
    private static final int MASK = (1 << 20) - 1;

    private final BenchOptions o;
    private final PrintStream progress;
    private final long[] intendedNs = new long[MASK + 1];
    private final long[] appendedNs = new long[MASK + 1];
    private final Map<BenchPath, PathRecorder> paths = new EnumMap<>(BenchPath.class);
    private final EventCounts outputCounts = new EventCounts();
    private final EventCounts engineCounts = new EventCounts();
    private final AtomicLong setupSeen = new AtomicLong();
    private final AtomicLong lastSeen = new AtomicLong();
    private volatile long measureFrom = Long.MAX_VALUE;
    private long lastAppliedNs;

    BenchRun(BenchOptions options, PrintStream progress) {
        this.o = options;
        this.progress = progress;
    }

    BenchResult run() throws IOException, InterruptedException {
        Files.createDirectories(o.out);
        final Map<String, Object> env = Environment.capture(o);
        final long setupStart = System.nanoTime();
        final BenchWorkload workload = new BenchWorkload(o.accounts, o.liquidateShare, o.resting, o.seed);
        warmJit(workload);
        final long startMs = System.currentTimeMillis();
        for (BenchPath p : BenchPath.values()) {
            paths.put(p, new PathRecorder(p, o.out, startMs));
        }
        final Path journalDir = o.journal ? Files.createTempDirectory("perpcore-bench-journal-") : null;
        final Engine engine = new Engine(Math.max(1 << 12, o.resting + 4096),
            o.accounts + workload.depthAccounts + 256);
        final CommandJournal commands = journalDir == null ? null : new CommandJournal(journalDir);
        final OutputStage output = journalDir == null ? this::onOutput : new EventJournal(journalDir, this::onOutput);
        final CommandStage journal = commands == null ? CommandStage.NONE : commands;
        final CommandStage stamping = new CommandStage() {
            @Override
            public void onStart() {
                journal.onStart();
            }

            @Override
            public void onCommand(Command c, boolean endOfBatch) {
                journal.onCommand(c, endOfBatch);
                appendedNs[(int) (c.correlationId & MASK)] = System.nanoTime();
            }

            @Override
            public void onShutdown() {
                journal.onShutdown();
            }
        };
        final PipelineConfig config = PipelineConfig.DEFAULT.withWaitStrategy(o.waitStrategy).withFused(o.fused);
        final Pipeline pipeline = new Pipeline(engine, config, stamping, this::afterApply, output);
        final Load load;
        try {
            final long setupCommands = setup(pipeline, workload);
            final double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            progress.printf(Locale.ROOT, "setup: %,d commands (%,d accounts, %,d resting orders) in %.1f s%n",
                setupCommands, engine.accountCount(), engine.openOrderCount(), setupSeconds);
            load = drive(pipeline, workload);
        } finally {
            pipeline.close();
            if (commands != null) {
                commands.close();
            }
            if (journalDir != null) {
                delete(journalDir);
            }
        }
        if (pipeline.failure() != null) {
            throw new IllegalStateException("the pipeline failed: " + pipeline.failure(), pipeline.failure());
        }
        final Map<BenchPath, Histogram> totals = new EnumMap<>(BenchPath.class);
        for (PathRecorder r : paths.values()) {
            r.drain();
            r.close();
            totals.put(r.path, r.total());
        }
        return new BenchResult(o, env, totals, load.achievedRate, load.measuredSeconds, load.sent, load.maxLagNs,
            outputCounts, workload, engine.accountCount(), engine.openOrderCount());
    }

    /**
     * Compiles the engine's paths before the measured run: {@code --jit-warmup} rounds of this workload on small
     * engines of their own (2,000 accounts, a tenth of them victims, so that every round reaches the book, the
     * fund and auto-deleveraging), applied directly, with the flow between the ticks of a walk.
     */
    private void warmJit(BenchWorkload measured) {
        if (o.jitWarmupRounds == 0) {
            return;
        }
        final long startNs = System.nanoTime();
        final Command c = new Command();
        final EventCounts counts = new EventCounts();
        final int flowPerTick = BenchWorkload.FLOW_PAIRS * BenchWorkload.FLOW_CYCLE;
        final long ticks = 100;
        for (int round = 0; round < o.jitWarmupRounds; round++) {
            final BenchWorkload w = new BenchWorkload(2_000, 0.1, Math.min(measured.resting, 2_000), o.seed + round);
            final Engine engine = new Engine(4_096, 4_096);
            long seq = 0;
            while (w.nextSetup(c)) {
                c.seq = ++seq;
                c.timestampMs = BenchWorkload.START_MS;
                engine.apply(c);
            }
            long n = 0;
            for (long k = 0; k < ticks; k++) {
                for (int f = 0; f < flowPerTick; f++) {
                    c.copyFrom(w.flow(n++));
                    c.seq = ++seq;
                    c.timestampMs = BenchWorkload.START_MS;
                    engine.apply(c);
                }
                BenchWorkload.index(c, BenchWorkload.walkTickE8(k, ticks));
                c.seq = ++seq;
                c.timestampMs = BenchWorkload.START_MS;
                engine.apply(c);
                counts.add(c);
            }
        }
        progress.printf(Locale.ROOT, "JIT warm-up: %d rounds on 2,000-account engines, %,d liquidations (%,d ADL"
                + " fills) in %.1f s%n", o.jitWarmupRounds, counts.liquidatedAccounts, counts.adlFills,
            (System.nanoTime() - startNs) / 1e9);
    }

    private long setup(Pipeline pipeline, BenchWorkload workload) throws InterruptedException {
        final Command c = new Command();
        long n = 0;
        while (workload.nextSetup(c)) {
            c.timestampMs = BenchWorkload.START_MS;
            c.correlationId = 0;
            pipeline.publish(c);
            n++;
        }
        final long deadline = System.nanoTime() + 600_000_000_000L;
        while (setupSeen.get() < n) {
            if (pipeline.failure() != null || System.nanoTime() > deadline) {
                throw new IllegalStateException("setup did not complete: " + setupSeen.get() + " of " + n
                    + " commands answered" + (pipeline.failure() == null ? "" : ": " + pipeline.failure()));
            }
            Thread.sleep(5);
        }
        if (outputCounts.rejects != 0) {
            throw new IllegalStateException("the setup had " + outputCounts.rejects + " rejected commands");
        }
        outputCounts.rejects = 0;
        return n;
    }

    private record Load(double achievedRate, double measuredSeconds, long sent, long maxLagNs) {
    }

    /** The open-loop sender (this thread) and the once-a-second reporter. */
    private Load drive(Pipeline pipeline, BenchWorkload workload) throws InterruptedException {
        final long warmSlots = Math.round(o.warmupS * o.rate);
        final long measuredSlots = Math.max(1, Math.round(o.durationS * o.rate));
        final long total = warmSlots + measuredSlots;
        final long tickEvery = Math.max(1, Math.round(o.rate * o.tickMs / 1000.0));
        final long measuredTicks = countTicks(warmSlots, total, tickEvery);
        measureFrom = warmSlots + 1;
        final Command tick = new Command();
        final double periodNs = 1e9 / o.rate;
        final boolean parkingSender = o.sender.equals("park");
        final Progress bar = new Progress(progress, o, total, warmSlots);
        final Thread reporter = new Thread(() -> report(bar), "perpcore-bench-reporter");
        reporter.setDaemon(true);
        final long start = System.nanoTime() + 2_000_000;
        bar.start(start);
        reporter.start();
        long flowN = 0;
        long warmTick = 0;
        long walkTick = 0;
        long maxLag = 0;
        long measuredStart = start;
        for (long i = 0; i < total; i++) {
            final long due = start + (long) (i * periodNs);
            long now;
            while ((now = System.nanoTime()) < due) {
                if (parkingSender || due - now > 300_000) {
                    LockSupport.parkNanos(due - now - 250_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            if (i >= warmSlots && now - due > maxLag) {
                maxLag = now - due;
            }
            if (i == warmSlots) {
                measuredStart = due;
            }
            final long id = i + 1;
            final Command c;
            if (i % tickEvery == 0) {
                c = tick;
                BenchWorkload.index(c, i < warmSlots ? BenchWorkload.warmTickE8(warmTick++)
                    : BenchWorkload.walkTickE8(walkTick++, measuredTicks));
            } else {
                c = workload.flow(flowN++);
            }
            c.timestampMs = BenchWorkload.START_MS;
            c.correlationId = id;
            intendedNs[(int) (id & MASK)] = due;
            pipeline.publish(c);
        }
        final long sendEnd = System.nanoTime();
        final long deadline = sendEnd + 120_000_000_000L;
        while (lastSeen.get() < total && pipeline.failure() == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        bar.stop();
        reporter.interrupt();
        reporter.join(5_000);
        bar.finish(lastSeen.get());
        if (lastSeen.get() < total) {
            throw new IllegalStateException("the pipeline answered " + lastSeen.get() + " of " + total
                + " commands within 120 s of the last send"
                + (pipeline.failure() == null ? "" : ": " + pipeline.failure()));
        }
        final double seconds = (sendEnd - measuredStart) / 1e9;
        return new Load(measuredSlots / seconds, seconds, measuredSlots, maxLag);
    }

    private static long countTicks(long from, long to, long every) {
        final long first = (from + every - 1) / every * every;
        return first >= to ? 0 : (to - 1 - first) / every + 1;
    }

    private void report(Progress bar) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1_000);
                final Histogram orders = paths.get(BenchPath.ORDER_ACK).drain();
                for (PathRecorder r : paths.values()) {
                    if (r.path != BenchPath.ORDER_ACK) {
                        r.drain();
                    }
                }
                bar.update(lastSeen.get(), orders);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Engine thread, right after the engine applied a command. */
    private void afterApply(Command c) {
        final long now = System.nanoTime();
        final long engineNs = now - Math.max(lastAppliedNs, appendedNs[(int) (c.correlationId & MASK)]);
        lastAppliedNs = now;
        if (c.correlationId < measureFrom) {
            return;
        }
        if (c.type != CommandType.INDEX) {
            paths.get(BenchPath.ENGINE_ORDER).record(engineNs);
            return;
        }
        final int liquidated = engineCounts.liquidatedAccounts(c);
        if (liquidated > 0) {
            paths.get(BenchPath.TICK_LIQUIDATION).record(now - intendedNs[(int) (c.correlationId & MASK)]);
            paths.get(BenchPath.LIQUIDATION_COST).record(engineNs / liquidated, liquidated);
            paths.get(EventCounts.reachedAdl(c) ? BenchPath.TICK_ENGINE_ADL : BenchPath.TICK_ENGINE_NO_ADL)
                .record(engineNs);
        }
    }

    /** Output stage (after the event journal, when on). */
    private void onOutput(Command c, boolean endOfBatch) {
        final long now = System.nanoTime();
        final long id = c.correlationId;
        if (id <= 0) {
            outputCounts.add(c);
            setupSeen.lazySet(setupSeen.get() + 1);
            return;
        }
        final long latency = now - intendedNs[(int) (id & MASK)];
        if (id >= measureFrom) {
            final int liquidated = outputCounts.add(c);
            if (c.type == CommandType.INDEX) {
                paths.get(liquidated > 0 ? BenchPath.TICK_CASCADE : BenchPath.TICK_QUIET).record(latency);
            } else {
                paths.get(BenchPath.ORDER_ACK).record(latency);
            }
        }
        lastSeen.lazySet(id);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
