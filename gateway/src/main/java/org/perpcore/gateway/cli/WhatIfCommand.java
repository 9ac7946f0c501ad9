package org.perpcore.gateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.perpcore.gateway.postmortem.Comparison;
import org.perpcore.gateway.postmortem.JournalPostMortem;
import org.perpcore.gateway.postmortem.PostMortem;
import org.perpcore.gateway.postmortem.RiskOverrides;
import org.perpcore.gateway.postmortem.WhatIf;
import org.perpcore.journal.JournalException;

/**
 * {@code perpcore whatif JOURNAL --set market.SYMBOL.KEY=VALUE [--set ...] [--out DIR] [--map-time T]}: replays a
 * journal's commands under changed risk parameters and prints both runs' totals side by side; with {@code --out},
 * also writes the changed run's report with a comparison section.
 */
final class WhatIfCommand {
    static final String USAGE = "usage: perpcore whatif JOURNAL --set market.SYMBOL.KEY=VALUE [--set ...] [--out DIR]"
        + " [--map-time T]";

    private WhatIfCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        final List<String> sets = new ArrayList<>();
        final List<String> rest = new ArrayList<>();
        rest.add(argv[0]);
        for (int i = 1; i < argv.length; i++) {
            if (argv[i].equals("--set")) {
                if (i + 1 >= argv.length) {
                    err.println("perpcore whatif: --set needs market.SYMBOL.KEY=VALUE");
                    return 2;
                }
                sets.add(argv[++i]);
            } else if (argv[i].startsWith("--set=")) {
                sets.add(argv[i].substring("--set=".length()));
            } else {
                rest.add(argv[i]);
            }
        }
        final Args args = new Args(rest.toArray(new String[0]), 1);
        final String journal = args.positional(0);
        if (journal == null || args.positional(1) != null) {
            err.println(USAGE);
            return 2;
        }
        final RiskOverrides overrides;
        final Long mapTime;
        try {
            overrides = RiskOverrides.parse(sets);
            mapTime = ReportFiles.time("map-time", args.option("map-time"));
        } catch (IllegalArgumentException e) {
            err.println("perpcore whatif: " + e.getMessage());
            return 2;
        }
        final Path dir = Path.of(journal);
        if (!Files.isDirectory(dir)) {
            err.println("perpcore whatif: no journal at " + dir);
            return 2;
        }
        final long started = System.nanoTime();
        final PostMortem base;
        final PostMortem changed;
        try {
            final Set<String> markets = WhatIf.markets(dir);
            for (String symbol : overrides.symbols()) {
                if (!markets.contains(symbol)) {
                    err.println("perpcore whatif: the journal has no market " + symbol + " (it has: "
                        + String.join(", ", new java.util.TreeSet<>(markets)) + ")");
                    return 2;
                }
            }
            // the liquidation maps are for the report: without --out, neither run needs the state at the map's time
            final boolean maps = args.option("out") != null;
            final ProgressBar readBar = ProgressBar.forStderr(err, "as run ");
            base = maps ? JournalPostMortem.read(dir, mapTime, readBar) : JournalPostMortem.eventsOnly(dir, readBar);
            readBar.done();
            final Long map = base.map() == null ? null : base.map().atMs();
            err.println("perpcore whatif: replaying " + dir + " with " + String.join(", ", overrides.settings()) + "...");
            final ProgressBar bar = ProgressBar.forStderr(err, "what if");
            changed = WhatIf.run(dir, overrides, map, bar);
            bar.done();
        } catch (JournalException e) {
            err.println("perpcore whatif: " + e.getMessage());
            return 2;
        }
        final Comparison comparison = new Comparison(overrides.settings(), base, changed);
        out.print(WhatIf.sideBySide(comparison));
        final String outDir = args.option("out");
        if (outDir != null) {
            try {
                final Path html = ReportFiles.write(Path.of(outDir), changed, dir + " with "
                    + String.join(", ", overrides.settings()), comparison);
                out.println("report: " + html + " (the what-if run, with the comparison)");
            } catch (IOException e) {
                err.println("perpcore whatif: cannot write the report into " + outDir + ": " + e.getMessage());
                return 1;
            }
        }
        err.printf("perpcore whatif: done in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
