package org.perpcore.gateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.core.sim.CascadeReport;
import org.perpcore.core.sim.CascadeSimulation;
import org.perpcore.core.sim.CascadeSpec;
import org.perpcore.core.sim.Population;
import org.perpcore.core.sim.PricePath;
import org.perpcore.core.sim.PricePathException;
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
    static final String DEFAULT_PRICES = "../shared/data/BTCUSDT-1m-2025-10-10T1400-2400Z.csv";
    static final int DEFAULT_ACCOUNTS = 100_000;

    private CascadeCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err) {
        final CascadeSpec spec = CascadeSpec.defaults().accounts(DEFAULT_ACCOUNTS);
        try {
            final String accounts = args.option("accounts");
            if (accounts != null) {
                spec.accounts(Integer.parseInt(accounts.replace("_", "")));
            }
            final String seed = args.option("seed");
            if (seed != null) {
                spec.seed(Long.parseLong(seed));
            }
            spec.validate();
        } catch (NumberFormatException e) {
            err.println("perpcore cascade: --accounts and --seed take whole numbers (" + e.getMessage() + ")");
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("perpcore cascade: " + e.getMessage());
            return 2;
        }
        final String given = args.option("prices");
        final Path prices = given != null ? Path.of(given) : projectRoot().resolve(DEFAULT_PRICES).normalize();
        final List<String> lines;
        try {
            lines = Files.readAllLines(prices);
        } catch (NoSuchFileException e) {
            err.println("perpcore cascade: no price file at " + prices + (given == null
                ? " (the default: the real 2025-10-10 minutes, expected next to the project; give one with --prices FILE)"
                : ""));
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("perpcore cascade: cannot read " + prices + ": " + e);
            return 2;
        }
        final PricePath path;
        try {
            path = PricePath.parseKlines(lines, spec.tickE8());
        } catch (PricePathException e) {
            err.println(prices + ": " + e.getMessage());
            return 2;
        }
        final PipelineConfig config;
        try {
            config = Args.pipelineConfig(args);
        } catch (IllegalArgumentException e) {
            err.println("perpcore: " + e.getMessage());
            return 2;
        }
        final long started = System.nanoTime();
        final CascadeSimulation sim = new CascadeSimulation(spec, path);
        err.println("perpcore cascade: " + String.format("%,d", spec.accounts()) + " traders, seed " + spec.seed()
            + ", " + path.minutes() + " minutes of " + prices.getFileName() + "; running...");
        final Engine engine = new Engine(1 << 16, spec.accounts() + 64);
        final CascadeReport.Collector collector = new CascadeReport.Collector();
        final String journalDir = args.option("journal");
        final CommandStage journal = journalDir == null ? CommandStage.NONE : new CommandJournal(Path.of(journalDir));
        final OutputStage output = journalDir == null ? collector : new EventJournal(Path.of(journalDir), collector);
        final Pipeline pipeline = new Pipeline(engine, config, journal, output);
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

    /** The project root: three levels above the gateway's jar or classes ({@code gateway/target/...}). */
    static Path projectRoot() {
        final String property = System.getProperty("perpcore.root");
        if (property != null) {
            return Path.of(property);
        }
        try {
            final Path code = Path.of(CascadeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            final Path root = code.getParent() == null ? null : code.getParent().getParent();
            if (root != null && root.getParent() != null) {
                return root.getParent();
            }
        } catch (Exception e) {
            // no code source (an unusual class loader): fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
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
