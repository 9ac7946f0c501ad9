package org.perpcore.gateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.pipeline.EngineHook;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.sim.CascadeSimulation;
import org.perpcore.core.sim.CascadeSpec;
import org.perpcore.core.sim.PricePath;
import org.perpcore.gateway.postmortem.JournalPostMortem;
import org.perpcore.gateway.postmortem.LiquidationMap;
import org.perpcore.gateway.postmortem.PostMortem;
import org.perpcore.gateway.postmortem.PostMortemBuilder;
import org.perpcore.gateway.postmortem.TextSummary;
import org.perpcore.journal.JournalException;
import org.perpcore.journal.JournalOptions;
import org.perpcore.journal.JournaledEngine;

/**
 * {@code perpcore demo [--prices FILE] [--accounts N] [--seed S] [--out DIR] [--snapshot-every N]}: the 2025-10-10
 * cascade (a {@link CascadeSimulation}: 100,000 traders by default) through the pipeline with journaling into a
 * fresh directory under DIR (default {@code out}), then its post-mortem report. The events reach the report's
 * builder as the output stage's next stage; the liquidation map is taken on the engine thread at the map's time
 * (where the journal has a QUERY_STATE command), so {@code perpcore report} of the same journal, which rebuilds the
 * state at that time, writes the same report. The journal gets a snapshot there too, and one every N commands
 * (default {@link #DEFAULT_SNAPSHOT_EVERY}), so that rebuilding restores a snapshot instead of replaying the day.
 */
final class DemoCommand {
    /** A snapshot every this many commands besides the map time's: a few for the 100,000-trader day. */
    static final long DEFAULT_SNAPSHOT_EVERY = 250_000;
    private static final long PROGRESS_EVERY_NANOS = 3_000_000_000L;

    private DemoCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err) {
        final CascadeInput input = CascadeInput.parse(args, "demo", err);
        if (input == null) {
            return 2;
        }
        final long snapshotEvery;
        try {
            snapshotEvery = Args.snapshotEvery(args, DEFAULT_SNAPSHOT_EVERY);
        } catch (IllegalArgumentException e) {
            err.println("perpcore demo: " + e.getMessage());
            return 2;
        }
        final CascadeSpec spec = input.spec;
        final PricePath path = input.path;
        final Path run;
        try {
            run = freshDirectory(Path.of(args.option("out") != null ? args.option("out") : "out"),
                "demo-" + spec.seed() + "-" + spec.accounts());
        } catch (IOException e) {
            err.println("perpcore demo: cannot create the run's directory: " + e.getMessage());
            return 2;
        }
        final Path journalDir = run.resolve("journal");
        final long started = System.nanoTime();
        final CascadeSimulation sim = new CascadeSimulation(spec, path);
        final long mapTime = JournalPostMortem.mapTimeBefore(path.openTimeMs(path.lowestMinute()), sim.setupMs(),
            path.openTimeMs(path.minutes() - 1) + 59_999);
        err.println("perpcore demo: " + String.format("%,d", spec.accounts()) + " traders (seed " + spec.seed() + "), "
            + path.minutes() + " minutes of " + input.prices.getFileName() + ", journal " + journalDir);
        final PostMortemBuilder builder = new PostMortemBuilder();
        final long commands;
        final MapHook mapHook;
        try (JournaledEngine journal = JournaledEngine.open(journalDir, JournalOptions.DEFAULT, err::println)) {
            mapHook = new MapHook(journal.engine(), spec.symbol(), journal.engineHook());
            final Pipeline pipeline = new Pipeline(journal.engine(), input.config.withFirstSeq(journal.nextSeq()),
                journal.commandStage(), mapHook, journal.outputStage(builder));
            try {
                commands = publish(sim, pipeline, mapTime, snapshotEvery, path, err, started);
            } finally {
                pipeline.close();
            }
            if (pipeline.failure() != null) {
                err.println("perpcore demo: the engine stopped on an internal error: " + pipeline.failure());
                return 1;
            }
        } catch (JournalException e) {
            err.println("perpcore demo: journal " + journalDir + ": " + e.getMessage());
            return 1;
        }
        final double ran = (System.nanoTime() - started) / 1e9;
        err.printf("perpcore demo: %,d commands through the pipeline in %.1f s; building the report...%n", commands, ran);
        final PostMortem pm = builder.build(mapHook.map);
        final Path html;
        try {
            html = ReportFiles.write(run, pm, journalDir.toString(), null);
        } catch (IOException e) {
            err.println("perpcore demo: cannot write the report into " + run + ": " + e.getMessage());
            return 1;
        }
        final String day = Instant.ofEpochMilli(path.startMs()).toString().substring(0, 10);
        out.println("perpcore demo: the " + day + " " + spec.symbol() + " cascade replayed through the engine");
        out.print(CascadeCommand.populationText(sim));
        out.print(TextSummary.of(pm));
        out.println("journal: " + journalDir + " (" + String.format("%,d", commands) + " commands, "
            + String.format("%,d", pm.totals().events()) + " events)");
        out.println("report:  " + html + " (and " + run.resolve(ReportFiles.JSON) + ")");
        if (pm.totals().largest() != null) {
            out.println("next:    bin/perpcore why " + journalDir + " " + pm.totals().largest().account());
        }
        out.println("         bin/perpcore whatif " + journalDir + " --set market." + spec.symbol()
            + ".maxLeverage=20 --out " + run.resolve("whatif-maxLeverage-20"));
        err.printf("perpcore demo: done in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /**
     * Takes the liquidation map on the engine thread after the QUERY_STATE command the demo publishes at the map's
     * time (a query changes nothing, so the journal replays to the same state at that time); passes every command
     * on to the journal's own hook first.
     */
    private static final class MapHook implements EngineHook {
        private final Engine engine;
        private final String symbol;
        private final EngineHook next;
        volatile LiquidationMap map;

        MapHook(Engine engine, String symbol, EngineHook next) {
            this.engine = engine;
            this.symbol = symbol;
            this.next = next;
        }

        @Override
        public void onStart() {
            next.onStart();
        }

        @Override
        public void afterApply(Command command) {
            next.afterApply(command);
            if (command.type == CommandType.QUERY_STATE && map == null && engine.market(symbol) != null) {
                map = LiquidationMap.of(engine, symbol);
            }
        }

        @Override
        public void onShutdown() {
            next.onShutdown();
        }
    }

    /**
     * Publishes the whole stream, with a QUERY_STATE command before the first command past {@code mapTime} (where
     * the {@link MapHook} takes the liquidation map) and a SNAPSHOT right before it (so {@code report} restores the
     * map's state instead of replaying to it), a SNAPSHOT after every {@code snapshotEvery} commands of the stream
     * (for other times, and {@code whatif}'s base run), and a progress line on stderr every few seconds.
     */
    private static long publish(CascadeSimulation sim, Pipeline pipeline, long mapTime, long snapshotEvery,
                                PricePath path, PrintStream err, long started) {
        final Command c = new Command();
        final Command query = new Command();
        long sinceSnapshot = 0;
        final long from = sim.setupMs();
        final long to = path.openTimeMs(path.minutes() - 1) + 60_000;
        boolean snapped = false;
        long lastTimeMs = from;
        long n = 0;
        long nextReport = System.nanoTime() + PROGRESS_EVERY_NANOS;
        while (sim.next(c)) {
            if (!snapped && c.timestampMs > mapTime) {
                // the snapshot first: a replay from it then applies the query, so its state's last seq is the map's
                pipeline.publish(JournaledEngine.snapshotCommand(query, lastTimeMs));
                query.clear();
                query.type = CommandType.QUERY_STATE;
                query.timestampMs = lastTimeMs;
                pipeline.publish(query);
                snapped = true;
                n += 2;
                sinceSnapshot = 0;
            }
            lastTimeMs = c.timestampMs;
            pipeline.publish(c);
            n++;
            if (++sinceSnapshot == snapshotEvery) {
                pipeline.publish(JournaledEngine.snapshotCommand(query, lastTimeMs));
                n++;
                sinceSnapshot = 0;
            }
            if ((n & 4095) == 0 && System.nanoTime() >= nextReport) {
                nextReport = System.nanoTime() + PROGRESS_EVERY_NANOS;
                err.printf("perpcore demo: %s UTC of the day (%d %%), %,d commands, %.0f s%n",
                    Instant.ofEpochMilli(c.timestampMs).toString().substring(11, 19),
                    100 * (c.timestampMs - from) / Math.max(1, to - from), n, (System.nanoTime() - started) / 1e9);
            }
        }
        return n;
    }

    /** {@code parent/name}, or {@code name-2}, {@code name-3}... when it exists: a run never reuses a directory. */
    static Path freshDirectory(Path parent, String name) throws IOException {
        Files.createDirectories(parent);
        for (int k = 1; ; k++) {
            final Path dir = parent.resolve(k == 1 ? name : name + "-" + k);
            try {
                return Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken: try the next
            }
        }
    }

}
