package org.perpcore.gateway.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.sim.CascadeReport;
import org.perpcore.core.sim.CascadeSimulation;
import org.perpcore.core.sim.CascadeSpec;
import org.perpcore.core.sim.Population;
import org.perpcore.core.sim.PricePath;
import org.perpcore.core.num.Decimal;
import org.perpcore.journal.CommandJournal;
import org.perpcore.journal.EventJournal;

/**
 * {@code perpcore cascade [--prices FILE] [--accounts N] [--seed S] [--json] [--journal DIR]}: a seeded population
 * of leveraged traders and market makers driven through a minute price path (by default the real 2025-10-10
 * BTCUSDT day in {@code ../shared/data/}, relative to the project root) through the pipeline; prints the cascade
 * report.
 */
final class CascadeCommand {
    private CascadeCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err) {
        final CascadeInput input = CascadeInput.parse(args, "cascade", err);
        if (input == null) {
            return 2;
        }
        final CascadeSpec spec = input.spec;
        final PricePath path = input.path;
        final long started = System.nanoTime();
        final CascadeSimulation sim = new CascadeSimulation(spec, path);
        err.println("perpcore cascade: " + String.format("%,d", spec.accounts()) + " traders, seed " + spec.seed()
            + ", " + path.minutes() + " minutes of " + input.prices.getFileName() + "; running...");
        final Engine engine = new Engine(1 << 16, spec.accounts() + 64);
        final CascadeReport.Collector collector = new CascadeReport.Collector();
        final String journalDir = args.option("journal");
        final CommandStage journal = journalDir == null ? CommandStage.NONE : new CommandJournal(Path.of(journalDir));
        final OutputStage output = journalDir == null ? collector : new EventJournal(Path.of(journalDir), collector);
        final Pipeline pipeline = new Pipeline(engine, input.config, journal, output);
        try {
            sim.publishTo(pipeline);
        } finally {
            pipeline.close();
        }
        if (pipeline.failure() != null) {
            err.println("perpcore: the engine stopped on an internal error: " + pipeline.failure());
            return 1;
        }
        final CascadeReport report = collector.report();
        if (args.flag("json")) {
            out.println("{\"population\":" + populationJson(sim) + ",\"report\":" + report.toJson() + "}");
        } else {
            out.print(populationText(sim));
            out.print(report.toText());
        }
        err.printf("perpcore cascade: done in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    static String populationText(CascadeSimulation sim) {
        final Population p = sim.population();
        final PricePath path = sim.path();
        final long total = p.longNotionalE8() + p.shortNotionalE8();
        final StringBuilder s = new StringBuilder(1024);
        s.append("population: ").append(String.format("%,d", p.size())).append(" traders (seed ")
            .append(sim.spec().seed()).append("), ").append(p.makers()).append(" market makers; positions ")
            .append(usd(total)).append(" USDT at entry: longs ").append(usd(p.longNotionalE8())).append(" (")
            .append(String.format("%.1f %%", 100.0 * p.longNotionalE8() / total)).append("), shorts ")
            .append(usd(p.shortNotionalE8())).append("; open interest ").append(usd(p.openInterestE8()))
            .append('\n');
        s.append("  leverage: 1-4x ").append(share(p.count(1, 4), p.size())).append(", 5-25x ")
            .append(share(p.count(5, 25), p.size())).append(", 26-49x ").append(share(p.count(26, 49), p.size()))
            .append(", 50-125x ").append(share(p.count(50, 125), p.size())).append("; isolated ")
            .append(share(p.isolatedCount(), p.size())).append("; whales ").append(p.whales()).append('\n');
        s.append("  insurance fund ").append(usd(sim.insuranceFundE8())).append(" USDT; makers' depth per side ")
            .append(usd(sim.calmDepthE8())).append(" USDT in calm markets, thinning as volatility rises\n");
        s.append("prices: ").append(path.minutes()).append(" minutes from ")
            .append(java.time.Instant.ofEpochMilli(path.startMs())).append(", open ")
            .append(Decimal.toPlain(path.openE8(0))).append(", low ").append(Decimal.toPlain(path.lowE8(path.lowestMinute())))
            .append(" at ").append(java.time.Instant.ofEpochMilli(path.openTimeMs(path.lowestMinute())))
            .append(", close ").append(Decimal.toPlain(path.closeE8(path.minutes() - 1))).append('\n');
        return s.toString();
    }

    private static String populationJson(CascadeSimulation sim) {
        final Population p = sim.population();
        return "{\"traders\":" + p.size() + ",\"seed\":" + sim.spec().seed() + ",\"makers\":" + p.makers()
            + ",\"longNotional\":\"" + Decimal.toString(p.longNotionalE8(), 2) + "\",\"shortNotional\":\""
            + Decimal.toString(p.shortNotionalE8(), 2) + "\",\"openInterest\":\""
            + Decimal.toString(p.openInterestE8(), 2) + "\",\"insuranceFund\":\""
            + Decimal.toString(sim.insuranceFundE8(), 2) + "\",\"isolated\":" + p.isolatedCount() + ",\"whales\":"
            + p.whales() + ",\"minutes\":" + sim.path().minutes() + "}";
    }

    private static String share(int n, int of) {
        return String.format("%.1f %%", 100.0 * n / of);
    }

    private static String usd(long e8) {
        return CascadeReport.usd(e8);
    }
}
