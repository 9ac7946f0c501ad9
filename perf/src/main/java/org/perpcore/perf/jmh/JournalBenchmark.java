package org.perpcore.perf.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.journal.CommandJournal;
import org.perpcore.journal.CommandReadAhead;
import org.perpcore.journal.Durability;
import org.perpcore.journal.EventJournal;
import org.perpcore.journal.JournalOptions;
import org.perpcore.journal.JournalReader;

/**
 * Journal benchmarks with HdrHistogram (not JMH: they measure latency distributions, a sustained multi-threaded
 * pipeline and a replay from files). The workload is the realistic mix of {@link MixBenchmark} (16384 stream) on
 * its warm book: limit orders near the touch, cancels, IOC and market orders, steady over any number of cycles.
 *
 * <ol>
 *   <li><b>append</b>: latency of {@link CommandJournal#onCommand} per command (encoding, CRC-32C, Chronicle
 *       append; under SYNC the msync at the end of each batch is counted in the batch's last command), for batches
 *       of 1 and 64 commands, MAPPED and SYNC durability;</li>
 *   <li><b>pipeline</b>: sustained throughput of the whole pipeline on the warm engine (one producer thread
 *       publishing as fast as the ring takes commands, sequencing, command journal, engine, event journal), from
 *       the first publish to the end of the drain, journal off / MAPPED / SYNC, in three layouts: fused (journal and
 *       engine on one thread, the output stage on another), split (three stage threads) and one thread (fused, the
 *       output stage, which only journals here, on the engine thread too);</li>
 *   <li><b>replay</b>: the journal the MAPPED fused pipeline wrote, read back, checked (checksum, version,
 *       sequence) and applied to a fresh copy of the warm engine, on one thread, as {@code Replayer} does; the same
 *       with the reading on a second thread ({@link CommandReadAhead}); and read and checked only.</li>
 * </ol>
 * Usage: {@code bin/perpcore bench journal [--commands N] [--sync-commands N] [--dir DIR] [--ring N] [--wait NAME]
 * [--only append,pipeline,replay]} (run it under
 * {@code flock /work/bench.lock} on a shared machine). Prints one line per measurement.
 */
public final class JournalBenchmark {
    /** The pipeline layouts measured. */
    private enum Layout {
        FUSED("fused"), SPLIT("split"), ONE_THREAD("one-thread");

        final String label;

        Layout(String label) {
            this.label = label;
        }

        PipelineConfig config() {
            return PipelineConfig.DEFAULT.withFused(this != SPLIT).withOutputOnEngineThread(this == ONE_THREAD);
        }
    }

    private static int ringSize = PipelineConfig.DEFAULT.ringSize();
    private static String waitStrategy = PipelineConfig.DEFAULT.waitStrategy();

    private JournalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int commands = 5_000_000;
        int syncCommands = 50_000;
        Path base = null;
        String only = "append,pipeline,replay";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--commands" -> commands = Integer.parseInt(args[++i]);
                case "--sync-commands" -> syncCommands = Integer.parseInt(args[++i]);
                case "--dir" -> base = Path.of(args[++i]);
                case "--ring" -> ringSize = Integer.parseInt(args[++i]);
                case "--wait" -> waitStrategy = args[++i];
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        final Path dir = base != null ? Files.createDirectories(base) : Files.createTempDirectory("perpcore-bench");
        System.out.println("java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
            + " cpus, journal files in " + dir);
        final Command[] mix = MixStream.generate(new WarmBook(14, true, 1), 16384).commands;
        System.out.println("pipeline ring " + ringSize + ", wait strategy " + waitStrategy);
        try {
            if (only.contains("append")) {
                append(dir, mix, Durability.MAPPED, 1, 2_000_000);
                append(dir, mix, Durability.MAPPED, 1, 2_000_000); // again, warm
                append(dir, mix, Durability.MAPPED, 64, 2_000_000);
                append(dir, mix, Durability.SYNC, 1, syncCommands);
                append(dir, mix, Durability.SYNC, 64, syncCommands * 16);
            }
            final Path replayJournal = dir.resolve("pipeline-mapped-fused");
            if (only.contains("pipeline") || only.contains("replay") || only.equals("fused-mapped")) {
                for (Layout layout : Layout.values()) {
                    final boolean fused = layout == Layout.FUSED;
                    if (only.contains("pipeline") || (fused && only.contains("replay"))
                        || only.equals("fused-mapped") && fused) {
                        pipeline(dir, mix, layout, Durability.MAPPED, commands);
                    }
                    if (only.contains("pipeline")) {
                        pipeline(dir, mix, layout, Durability.MAPPED, false, commands);
                        pipeline(dir, mix, layout, null, commands);
                        pipeline(dir, mix, layout, Durability.SYNC, Math.min(commands, syncCommands * 40));
                    }
                }
            }
            if (only.contains("replay")) {
                for (int run = 0; run < 3; run++) {
                    replay(replayJournal, commands, true);
                    replayReadAhead(replayJournal, commands);
                    replay(replayJournal, commands, false);
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Latency of one command journal append, in batches; the first half of the commands warms up. */
    private static void append(Path base, Command[] mix, Durability durability, int batch, int n) {
        final Path dir = base.resolve("append-" + durability + "-" + batch);
        final Histogram h = new Histogram(3_600_000_000_000L, 3);
        final JournalOptions options = JournalOptions.DEFAULT.withDurability(durability);
        final Command c = new Command();
        long start = 0;
        try (CommandJournal journal = new CommandJournal(dir, options)) {
            journal.onStart();
            for (int i = 0; i < 2 * n; i++) {
                if (i == n) {
                    start = System.nanoTime();
                }
                c.copyFrom(mix[i % mix.length]);
                c.seq = i + 1;
                final long t0 = System.nanoTime();
                journal.onCommand(c, (i + 1) % batch == 0);
                final long t1 = System.nanoTime();
                if (i >= n) {
                    h.recordValue(t1 - t0);
                }
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("append %-6s batch %2d: %,d appends, p50 %,d ns, p99 %,d ns, p99.9 %,d ns, max %,d ns;"
                + " %.2f M/s%n", durability, batch, h.getTotalCount(), h.getValueAtPercentile(50),
            h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), n / seconds / 1e6);
        deleteTree(dir);
    }

    /** Sustained pipeline throughput on the warm engine; {@code durability} null: no journal. */
    private static void pipeline(Path base, Command[] mix, Layout layout, Durability durability, int n) {
        pipeline(base, mix, layout, durability, true, n);
    }

    /** As above; {@code events} false journals the commands only (the event journal stage left out). */
    private static void pipeline(Path base, Command[] mix, Layout layout, Durability durability, boolean events,
                                 int n) {
        final Engine engine = new WarmBook(14, true, 1).fixture.engine();
        final String name = "pipeline-" + (durability == null ? "off" : durability.name().toLowerCase())
            + (events ? "" : "-commands") + "-" + layout.label;
        final Path dir = base.resolve(name);
        final JournalOptions options = durability == null ? null : JournalOptions.DEFAULT.withDurability(durability);
        final CommandStage journal = durability == null ? CommandStage.NONE : new CommandJournal(dir, options);
        final long[] eventBytes = new long[1];
        final OutputStage count = (c, endOfBatch) -> eventBytes[0] += c.events().length();
        final OutputStage output = durability == null || !events ? count : new EventJournal(dir, options, count);
        final PipelineConfig config = layout.config().withRingSize(ringSize).withWaitStrategy(waitStrategy);
        final long start;
        final long end;
        try (Pipeline pipeline = new Pipeline(engine, config, journal, output)) {
            // warm-up: a million commands (or a tenth under SYNC), not timed
            final int warmup = durability == Durability.SYNC ? n / 10 : 1_000_000;
            int cursor = 0;
            for (int i = 0; i < warmup; i++) {
                pipeline.publish(mix[cursor]);
                cursor = cursor + 1 == mix.length ? 0 : cursor + 1;
            }
            start = System.nanoTime();
            eventBytes[0] = 0;
            for (int i = 0; i < n; i++) {
                pipeline.publish(mix[cursor]);
                cursor = cursor + 1 == mix.length ? 0 : cursor + 1;
            }
            pipeline.close();
            end = System.nanoTime();
            if (pipeline.failure() != null) {
                throw new IllegalStateException("pipeline failed", pipeline.failure());
            }
        }
        System.out.printf("pipeline %-10s journal %-6s%s: %,d commands in %.2f s: %.2f M commands/s"
                + " (events %d B/command)%n", layout.label, durability == null ? "off" : durability,
            events || durability == null ? "" : " (commands only)", n, (end - start) / 1e9,
            n / ((end - start) / 1e9) / 1e6, eventBytes[0] / n);
        if (!name.equals("pipeline-mapped-fused")) {
            deleteTree(dir);
        }
    }

    /** Replays a pipeline journal into a fresh warm engine (or only reads and checks it). */
    private static void replay(Path dir, int expected, boolean apply) {
        final Engine engine = new WarmBook(14, true, 1).fixture.engine();
        final Command c = new Command();
        long n = 0;
        final long start = System.nanoTime();
        try (JournalReader reader = new JournalReader(dir)) {
            while (reader.next(c)) {
                if (apply) {
                    engine.apply(c);
                }
                n++;
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("replay %-16s: %,d commands in %.2f s: %.2f M commands/s%n",
            apply ? "read+apply" : "read+check only", n, seconds, n / seconds / 1e6);
        if (n < expected) {
            throw new IllegalStateException("replayed " + n + " commands, journaled at least " + expected);
        }
    }

    /** Replays a pipeline journal into a fresh warm engine, the commands read ahead on a second thread. */
    private static void replayReadAhead(Path dir, int expected) {
        final Engine engine = new WarmBook(14, true, 1).fixture.engine();
        long n = 0;
        final long start = System.nanoTime();
        try (CommandReadAhead reader = new CommandReadAhead(dir, 1, Long.MAX_VALUE, 256)) {
            Command c;
            while ((c = reader.next()) != null) {
                engine.apply(c);
                n++;
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("replay %-16s: %,d commands in %.2f s: %.2f M commands/s%n", "read-ahead+apply", n,
            seconds, n / seconds / 1e6);
        if (n < expected) {
            throw new IllegalStateException("replayed " + n + " commands, journaled at least " + expected);
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
