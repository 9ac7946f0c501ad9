package org.perpcore.perf.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/perpcore bench}: one run, a rate sweep ({@code --sweep} or {@code bench sweep}), or {@code bench compare
 * A B}. A run writes into {@code --out DIR}: {@code summary.json}, one {@code .hlog} per path and {@code report.html};
 * the table goes to standard output, progress to standard error. Bad options: a message and exit status 2.
 */
public final class BenchMain {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        if (args.length > 0 && args[0].equals("compare")) {
            return BenchCompare.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && (args[0].equals("help") || args[0].equals("--help"))) {
            out.println(BenchOptions.USAGE);
            return 0;
        }
        final boolean sweepCommand = args.length > 0 && args[0].equals("sweep");
        final BenchOptions o;
        try {
            final List<String> rest = new ArrayList<>(Arrays.asList(args));
            if (sweepCommand) {
                rest.remove(0);
                rest.add("--sweep");
            }
            o = BenchOptions.parse(rest.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            err.println("perpcore bench: " + e.getMessage());
            err.println(BenchOptions.USAGE);
            return 2;
        }
        if (o.sweep) {
            sweep(o, out, err);
        } else {
            final BenchResult r = new BenchRun(o, err).run();
            r.printTable(out);
            write(o.out, r.toJson(), List.of(), r);
            out.printf("%nresults: %s (summary.json, *.hlog, report.html)%n", o.out);
        }
        return 0;
    }

    /**
     * The rate sweep: each rate of the ladder is a fresh run (setup included) for the sweep's duration, until one
     * misses the bound; then two bisection steps between the last rate held and the first missed.
     */
    static void sweep(BenchOptions o, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        Files.createDirectories(o.out);
        final List<BenchResult> points = new ArrayList<>();
        double held = -1;
        double missed = -1;
        for (double rate : o.sweepRates) {
            final BenchResult r = point(o, rate, out, err);
            points.add(r);
            if (r.held()) {
                held = Math.max(held, rate);
            } else {
                missed = rate;
                break;
            }
        }
        for (int step = 0; step < 2 && held > 0 && missed > 0; step++) {
            final double mid = Math.round((held + missed) / 2 / 1000) * 1000.0;
            if (mid <= held || mid >= missed) {
                break;
            }
            final BenchResult r = point(o, mid, out, err);
            points.add(r);
            if (r.held()) {
                held = mid;
            } else {
                missed = mid;
            }
        }
        points.sort((a, b) -> Double.compare(a.options.rate, b.options.rate));
        BenchResult best = points.get(0);
        for (BenchResult r : points) {
            if (r.held() && r.options.rate == held) {
                best = r;
            }
        }
        final List<Map<String, Object>> rows = new ArrayList<>();
        out.printf(Locale.ROOT, "%nrate sweep: highest rate with order -> ack p99 <= %.0f us: %s%n", o.boundUs,
            held > 0 ? String.format(Locale.ROOT, "%,.0f commands/s", held) : "none of the rates tried");
        out.printf(Locale.ROOT, "%12s %12s %14s %14s %14s %6s%n", "rate /s", "achieved /s", "order p99 us",
            "tick->liq p99", "cascade p99", "held");
        for (BenchResult r : points) {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("rate", r.options.rate);
            row.put("achievedRate", r.achievedRate);
            row.put("held", r.held());
            for (BenchPath p : BenchPath.values()) {
                row.put(p.key() + "_p99", r.totals.get(p).getTotalCount() == 0 ? null : r.p99(p));
            }
            row.put("dir", "rate-" + (long) r.options.rate);
            rows.add(row);
            out.printf(Locale.ROOT, "%,12.0f %,12.0f %14.1f %14.1f %14.1f %6s%n", r.options.rate, r.achievedRate,
                r.p99(BenchPath.ORDER_ACK) / 1e3, r.p99(BenchPath.TICK_LIQUIDATION) / 1e3,
                r.p99(BenchPath.TICK_CASCADE) / 1e3, r.held() ? "yes" : "no");
        }
        final Map<String, Object> sweep = new LinkedHashMap<>();
        sweep.put("boundUs", o.boundUs);
        sweep.put("path", BenchPath.ORDER_ACK.key());
        sweep.put("highestHeldRate", held > 0 ? held : null);
        sweep.put("pathsFrom", "rate-" + (long) best.options.rate);
        sweep.put("points", rows);
        final Map<String, Object> json = best.toJson();
        json.put("sweep", sweep);
        // the top-level hlog files are those of the point the paths come from
        for (BenchPath p : BenchPath.values()) {
            Files.copy(best.options.out.resolve(p.file()), o.out.resolve(p.file()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        write(o.out, json, rows, best);
        out.printf("%nresults: %s (summary.json, report.html; one directory per rate)%n", o.out);
    }

    private static BenchResult point(BenchOptions o, double rate, PrintStream out, PrintStream err)
        throws IOException, InterruptedException {
        final Path dir = o.out.resolve("rate-" + (long) rate);
        err.printf(Locale.ROOT, "sweep: %,.0f commands/s%n", rate);
        final BenchResult r = new BenchRun(o.atRate(rate, dir), err).run();
        r.printTable(out);
        write(dir, r.toJson(), List.of(), r);
        return r;
    }

    private static void write(Path dir, Map<String, Object> json, List<Map<String, Object>> sweep, BenchResult r)
        throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("summary.json").toFile(), json);
        Files.writeString(dir.resolve("report.html"), HtmlReport.render(json, r.totals, sweep),
            StandardCharsets.UTF_8);
    }
}
