package org.perpcore.perf.bench;

import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The progress indicator on standard error: a bar redrawn in place on a terminal ({@code -Dperpcore.stderr.tty=true},
 * set by bin/perpcore), a line every five seconds otherwise (logs, pipes, tests).
 */
final class Progress {
    private final PrintStream out;
    private final long total;
    private final long warmSlots;
    private final double rate;
    private final boolean tty = Boolean.getBoolean("perpcore.stderr.tty");
    private long startNs;
    private long lastLineNs;
    private volatile boolean stopped;

    Progress(PrintStream out, BenchOptions o, long total, long warmSlots) {
        this.out = out;
        this.total = total;
        this.warmSlots = warmSlots;
        this.rate = o.rate;
    }

    void start(long ns) {
        startNs = ns;
        lastLineNs = ns;
    }

    /** Reporter thread, once a second: answered commands so far and the last second's order -> ack latencies. */
    synchronized void update(long answered, Histogram lastSecond) {
        if (stopped) {
            return;
        }
        final long now = System.nanoTime();
        final double elapsed = (now - startNs) / 1e9;
        final double share = Math.min(1, (double) answered / total);
        final String phase = answered < warmSlots ? "warm-up" : "measuring";
        final String p99 = lastSecond.getTotalCount() == 0 ? "-"
            : String.format(Locale.ROOT, "%.1f", lastSecond.getValueAtPercentile(99) / 1e3);
        final String line = String.format(Locale.ROOT, "%s %3.0f%% %-9s %5.1f s  %,d/%,d commands (%,.0f/s due)"
                + "  order->ack p99 last second %s us", bar(share), share * 100, phase, elapsed, answered, total, rate,
            p99);
        if (tty) {
            out.print("\r" + line + "   ");
            out.flush();
        } else if (now - lastLineNs >= 5_000_000_000L) {
            out.println(line);
            lastLineNs = now;
        }
    }

    synchronized void stop() {
        stopped = true;
    }

    synchronized void finish(long answered) {
        final String line = String.format(Locale.ROOT, "%s 100%% done      %5.1f s  %,d/%,d commands", bar(1),
            (System.nanoTime() - startNs) / 1e9, answered, total);
        out.println(tty ? "\r" + line + "                                        " : line);
    }

    private static String bar(double share) {
        final int width = 24;
        final int full = (int) Math.round(share * width);
        return "[" + "#".repeat(full) + ".".repeat(width - full) + "]";
    }
}
