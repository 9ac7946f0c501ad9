package org.perpcore.perf.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The outcome of one run: its paths' totals, the load it held and what the liquidation path did. */
final class BenchResult {
    /** Percentiles of the table, summary.json ({@code p99_9} for 99.9) and the compare output. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    static final double TARGET_TICK_P99_US = 20;

    final BenchOptions options;
    final Map<String, Object> environment;
    final Map<BenchPath, Histogram> totals;
    final double achievedRate;
    final double measuredSeconds;
    final long sent;
    final long maxLagNs;
    final EventCounts counts;
    final BenchWorkload workload;
    final int engineAccounts;
    final int restingAtEnd;
    final String loadAverageAtEnd = Environment.loadAverage();

    BenchResult(BenchOptions options, Map<String, Object> environment, Map<BenchPath, Histogram> totals,
                double achievedRate, double measuredSeconds, long sent, long maxLagNs, EventCounts counts,
                BenchWorkload workload, int engineAccounts, int restingAtEnd) {
        this.options = options;
        this.environment = environment;
        this.totals = totals;
        this.achievedRate = achievedRate;
        this.measuredSeconds = measuredSeconds;
        this.sent = sent;
        this.maxLagNs = maxLagNs;
        this.counts = counts;
        this.workload = workload;
        this.engineAccounts = engineAccounts;
        this.restingAtEnd = restingAtEnd;
    }

    static String percentileKey(double p) {
        return "p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p).replace('.', '_'));
    }

    long p99(BenchPath p) {
        return totals.get(p).getValueAtPercentile(99);
    }

    /** Held: the order -> ack p99 within the bound (open loop: a rate the pipeline cannot carry fails this). */
    boolean held() {
        final Histogram h = totals.get(BenchPath.ORDER_ACK);
        return h.getTotalCount() > 0 && h.getValueAtPercentile(99) <= options.boundUs * 1_000;
    }

    Map<String, Object> toJson() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "perpcore-bench/1");
        m.put("environment", environment);
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("profile", options.profile);
        config.put("rate", options.rate);
        config.put("accounts", options.accounts);
        config.put("journal", options.journal ? "on" : "off");
        config.put("waitStrategy", options.waitStrategy);
        config.put("durationSeconds", options.durationS);
        config.put("warmupSeconds", options.warmupS);
        config.put("tickMs", options.tickMs);
        config.put("liquidateShare", options.liquidateShare);
        config.put("restingOrders", options.resting);
        config.put("seed", options.seed);
        config.put("boundUs", options.boundUs);
        config.put("sender", options.sender);
        config.put("layout", options.layout());
        config.put("jitWarmupRounds", options.jitWarmupRounds);
        m.put("config", config);
        final Map<String, Object> run = new LinkedHashMap<>();
        run.put("commandsMeasured", sent);
        run.put("achievedRate", achievedRate);
        run.put("measuredSeconds", measuredSeconds);
        run.put("maxSendLagNs", maxLagNs);
        run.put("accounts", engineAccounts);
        run.put("victims", workload.victims);
        run.put("restingOrdersAtEnd", restingAtEnd);
        run.put("rejects", counts.rejects);
        run.put("heldUnderBound", held());
        run.put("loadAverageAtEnd", loadAverageAtEnd);
        m.put("run", run);
        final Map<String, Object> liq = new LinkedHashMap<>();
        liq.put("liquidatedAccounts", counts.liquidatedAccounts);
        liq.put("marginCalls", counts.marginCalls);
        liq.put("bookFills", counts.bookFills);
        liq.put("insuranceTakeoverFills", counts.insuranceFills);
        liq.put("adlFills", counts.adlFills);
        liq.put("fundSurplusEvents", counts.fundSurplus);
        liq.put("fundTakeoverEvents", counts.fundTakeover);
        liq.put("fundOtherEvents", counts.fundOther);
        liq.put("adlEvents", counts.adlEvents);
        liq.put("badDebtEvents", counts.badDebt);
        m.put("liquidation", liq);
        final Map<String, Object> paths = new LinkedHashMap<>();
        for (BenchPath p : BenchPath.values()) {
            final Histogram h = totals.get(p);
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("title", p.title());
            s.put("description", p.description());
            s.put("unit", "ns");
            s.put("count", h.getTotalCount());
            for (double pc : PERCENTILES) {
                s.put(percentileKey(pc), h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(pc));
            }
            s.put("max", h.getMaxValue());
            s.put("mean", h.getTotalCount() == 0 ? 0 : h.getMean());
            s.put("throughputPerSecond", h.getTotalCount() / measuredSeconds);
            s.put("hlog", p.file());
            paths.put(p.key(), s);
        }
        m.put("paths", paths);
        final Map<String, Object> target = new LinkedHashMap<>();
        final Histogram tick = totals.get(BenchPath.TICK_LIQUIDATION);
        target.put("what", "mark tick -> liquidation order p99 <= 20 us, journal on, 100,000 commands/s");
        target.put("conditionsMet", options.journal && options.rate >= 100_000);
        target.put("p99Us", tick.getTotalCount() == 0 ? null : tick.getValueAtPercentile(99) / 1e3);
        target.put("met", tick.getTotalCount() > 0 && tick.getValueAtPercentile(99) <= TARGET_TICK_P99_US * 1e3);
        m.put("target", target);
        return m;
    }

    void printTable(PrintStream out) {
        out.printf(Locale.ROOT, "%nperpcore bench: %s%n", String.join("; ", options.describe()));
        out.printf(Locale.ROOT, "%s, %s cores, %s %s; load average %s -> %s%n", environment.get("cpu"),
            environment.get("cores"), environment.get("javaVendor"), environment.get("javaVersion"),
            environment.get("loadAverageAtStart"), loadAverageAtEnd);
        out.printf(Locale.ROOT, "held %,.0f commands/s for %.1f s (largest send lag %.1f ms); %,d accounts, %,d"
                + " resting orders at the end, %d rejects%n", achievedRate, measuredSeconds, maxLagNs / 1e6,
            engineAccounts, restingAtEnd, counts.rejects);
        out.printf(Locale.ROOT, "liquidated %,d accounts: %,d book fills, %,d fund takeovers, %,d ADL fills; %,d"
                + " surplus events to the fund%n%n", counts.liquidatedAccounts, counts.bookFills, counts.insuranceFills,
            counts.adlFills, counts.fundSurplus);
        final String header = String.format(Locale.ROOT, "%-32s %10s %9s %9s %9s %9s %9s %9s %11s", "path (us)",
            "count", "p50", "p90", "p99", "p99.9", "p99.99", "max", "per second");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (BenchPath p : BenchPath.values()) {
            final Histogram h = totals.get(p);
            final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-32s %,10d", p.title(),
                h.getTotalCount()));
            for (double pc : PERCENTILES) {
                row.append(String.format(Locale.ROOT, " %9s", us(h, h.getTotalCount() == 0 ? -1
                    : h.getValueAtPercentile(pc))));
            }
            row.append(String.format(Locale.ROOT, " %9s %,11.0f", us(h, h.getMaxValue()),
                h.getTotalCount() / measuredSeconds));
            out.println(row);
        }
        final Histogram tick = totals.get(BenchPath.TICK_LIQUIDATION);
        if (tick.getTotalCount() > 0) {
            final double p99 = tick.getValueAtPercentile(99) / 1e3;
            out.printf(Locale.ROOT, "%ntarget mark tick -> liquidation order p99 <= %.0f us: %.1f us, %s%s%n",
                TARGET_TICK_P99_US, p99, p99 <= TARGET_TICK_P99_US ? "met" : "not met",
                options.journal && options.rate >= 100_000 ? "" : " (the target is for journal on at 100,000/s)");
        }
    }

    private static String us(Histogram h, long ns) {
        if (h.getTotalCount() == 0 || ns < 0) {
            return "-";
        }
        return ns >= 10_000_000 ? String.format(Locale.ROOT, "%,.0f", ns / 1e3)
            : String.format(Locale.ROOT, "%.1f", ns / 1e3);
    }
}
