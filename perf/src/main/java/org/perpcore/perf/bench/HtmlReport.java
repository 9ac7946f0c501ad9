package org.perpcore.perf.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The self-contained HTML page of a result: the run's settings and environment, the percentile table, the
 * percentile distribution of every path (inline SVG, log-log: x is 1 / (1 - percentile), as HdrHistogram's
 * plotter draws it) and, for a sweep, p99 against the rate with the bound. No script, style or font comes from the
 * network; the one inline script only checks that every plot drew a line and says so in {@code data-check} on the
 * body (what the rendering test reads).
 */
final class HtmlReport {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
    private static final int W = 1000;
    private static final int H = 420;
    private static final int LEFT = 80;
    private static final int RIGHT = 240;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;
    private static final double MAX_NINES = 5;

    private HtmlReport() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> json, Map<BenchPath, Histogram> totals, List<Map<String, Object>> sweep) {
        final StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>perpcore bench</title>\n")
            .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;")
            .append("margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
            .append("td:first-child,th:first-child{text-align:left}svg{background:#fff;border:1px solid #ddd}")
            .append(".k{color:#666}</style></head>\n<body>\n<h1>perpcore bench</h1>\n");
        final Map<String, Object> config = (Map<String, Object>) json.get("config");
        final Map<String, Object> run = (Map<String, Object>) json.get("run");
        final Map<String, Object> liq = (Map<String, Object>) json.get("liquidation");
        b.append("<h2>Run</h2>\n");
        table(b, config);
        table(b, run);
        b.append("<h2>Liquidation path</h2>\n");
        table(b, liq);
        b.append("<h2>Latency (microseconds)</h2>\n<table><tr><th>path</th><th>count</th>");
        for (double p : BenchResult.PERCENTILES) {
            b.append("<th>p").append(fmtPercentile(p)).append("</th>");
        }
        b.append("<th>max</th></tr>\n");
        for (BenchPath p : BenchPath.values()) {
            final Histogram h = totals.get(p);
            b.append("<tr><td>").append(esc(p.title())).append("</td><td>").append(h.getTotalCount()).append("</td>");
            for (double pc : BenchResult.PERCENTILES) {
                b.append("<td>").append(h.getTotalCount() == 0 ? "-" : us(h.getValueAtPercentile(pc))).append("</td>");
            }
            b.append("<td>").append(h.getTotalCount() == 0 ? "-" : us(h.getMaxValue())).append("</td></tr>\n");
        }
        b.append("</table>\n<ul>");
        for (BenchPath p : BenchPath.values()) {
            b.append("<li><b>").append(esc(p.title())).append("</b>: ").append(esc(p.description())).append(" (")
                .append(esc(p.file())).append(")</li>");
        }
        b.append("</ul>\n<h2>Percentile distribution</h2>\n");
        distribution(b, totals);
        if (!sweep.isEmpty()) {
            b.append("<h2>Rate sweep</h2>\n");
            final Map<String, Object> s = (Map<String, Object>) json.get("sweep");
            b.append("<p>Highest rate with order &rarr; ack p99 &le; ").append(s.get("boundUs")).append(" &micro;s: <b>")
                .append(s.get("highestHeldRate") == null ? "none of the rates tried"
                    : String.format(Locale.ROOT, "%,.0f commands/s", ((Number) s.get("highestHeldRate")).doubleValue()))
                .append("</b></p>\n");
            sweepPlot(b, sweep, ((Number) s.get("boundUs")).doubleValue());
        }
        b.append("<h2>Environment</h2>\n");
        table(b, (Map<String, Object>) json.get("environment"));
        b.append("<script>(function(){var plots=document.querySelectorAll('svg.plot');var lines=0;")
            .append("plots.forEach(function(s){s.querySelectorAll('polyline').forEach(function(p){")
            .append("var box=p.getBBox();if(p.points.numberOfItems>1&&(box.width>0||box.height>0)){lines++;}});});")
            .append("document.body.setAttribute('data-check','ok:'+plots.length+':'+lines);})();</script>\n")
            .append("</body></html>\n");
        return b.toString();
    }

    private static void distribution(StringBuilder b, Map<BenchPath, Histogram> totals) {
        long min = Long.MAX_VALUE;
        long max = 1;
        for (Histogram h : totals.values()) {
            if (h.getTotalCount() > 0) {
                min = Math.min(min, Math.max(1, h.getMinValue()));
                max = Math.max(max, h.getMaxValue());
            }
        }
        if (min == Long.MAX_VALUE) {
            b.append("<p>No latencies were recorded.</p>\n");
            return;
        }
        final double yLo = Math.floor(Math.log10(min / 1e3));
        final double yHi = Math.max(yLo + 1, Math.ceil(Math.log10(max / 1e3)));
        b.append(svgOpen("percentile distribution"));
        for (int n = 0; n <= MAX_NINES; n++) {
            final double x = x(n, 0, MAX_NINES);
            b.append(line(x, TOP, x, H - BOTTOM, "#eee"));
            b.append(text(x, H - BOTTOM + 18, n == 0 ? "0%" : fmtPercentile(100 - 100 / Math.pow(10, n)) + "%",
                "middle"));
        }
        yAxis(b, yLo, yHi);
        b.append(text(LEFT + (W - LEFT - RIGHT) / 2.0, H - 10, "percentile", "middle"));
        int k = 0;
        for (BenchPath p : BenchPath.values()) {
            final Histogram h = totals.get(p);
            if (h.getTotalCount() == 0) {
                continue;
            }
            final StringBuilder pts = new StringBuilder();
            for (HistogramIterationValue v : h.percentiles(5)) {
                final double pc = v.getPercentileLevelIteratedTo();
                final double nines = pc >= 100 ? MAX_NINES : Math.min(MAX_NINES, Math.log10(100 / (100 - pc)));
                final double us = Math.max(v.getValueIteratedTo(), 1) / 1e3;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(nines, 0, MAX_NINES),
                    y(Math.log10(us), yLo, yHi)));
            }
            final String colour = COLOURS[k % COLOURS.length];
            b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
                .append(pts.toString().trim()).append("\"/>\n");
            legend(b, k, colour, p.title());
            k++;
        }
        b.append("</svg>\n");
    }

    private static void sweepPlot(StringBuilder b, List<Map<String, Object>> sweep, double boundUs) {
        double rMax = 0;
        double yMaxUs = boundUs;
        double yMinUs = boundUs;
        final String[] keys = {BenchPath.ORDER_ACK.key() + "_p99", BenchPath.TICK_LIQUIDATION.key() + "_p99"};
        for (Map<String, Object> row : sweep) {
            rMax = Math.max(rMax, ((Number) row.get("rate")).doubleValue());
            for (String key : keys) {
                if (row.get(key) != null) {
                    final double us = Math.max(1, ((Number) row.get(key)).doubleValue()) / 1e3;
                    yMaxUs = Math.max(yMaxUs, us);
                    yMinUs = Math.min(yMinUs, us);
                }
            }
        }
        final double yLo = Math.floor(Math.log10(yMinUs));
        final double yHi = Math.max(yLo + 1, Math.ceil(Math.log10(yMaxUs)));
        b.append(svgOpen("rate sweep"));
        yAxis(b, yLo, yHi);
        for (int i = 0; i <= 4; i++) {
            final double r = rMax * i / 4;
            b.append(text(x(r, 0, rMax), H - BOTTOM + 18, String.format(Locale.ROOT, "%,.0f", r), "middle"));
        }
        b.append(text(LEFT + (W - LEFT - RIGHT) / 2.0, H - 10, "offered rate (commands/s)", "middle"));
        final double yb = y(Math.log10(boundUs), yLo, yHi);
        b.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(fmt(yb)).append("\" x2=\"").append(W - RIGHT)
            .append("\" y2=\"").append(fmt(yb)).append("\" stroke=\"#999\" stroke-dasharray=\"6,4\"/>\n");
        legend(b, 2, "#999", "bound " + fmt(boundUs) + " us");
        final String[] titles = {"order -> ack p99", "tick -> liquidation order p99"};
        for (int k = 0; k < keys.length; k++) {
            final StringBuilder pts = new StringBuilder();
            final List<String> dots = new ArrayList<>();
            for (Map<String, Object> row : sweep) {
                if (row.get(keys[k]) == null) {
                    continue;
                }
                final double px = x(((Number) row.get("rate")).doubleValue(), 0, rMax);
                final double py = y(Math.log10(Math.max(1, ((Number) row.get(keys[k])).doubleValue()) / 1e3), yLo,
                    yHi);
                pts.append(fmt(px)).append(',').append(fmt(py)).append(' ');
                dots.add("<circle r=\"3\" cx=\"" + fmt(px) + "\" cy=\"" + fmt(py) + "\" fill=\"" + COLOURS[k] + "\"/>");
            }
            b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLOURS[k]).append("\" points=\"")
                .append(pts.toString().trim()).append("\"/>\n");
            dots.forEach(d -> b.append(d).append('\n'));
            legend(b, k, COLOURS[k], titles[k]);
        }
        b.append("</svg>\n");
    }

    private static void yAxis(StringBuilder b, double yLo, double yHi) {
        for (double e = yLo; e <= yHi; e++) {
            final double y = y(e, yLo, yHi);
            b.append(line(LEFT, y, W - RIGHT, y, "#eee"));
            b.append(text(LEFT - 6, y + 4, duration(Math.pow(10, e)), "end"));
        }
        b.append(line(LEFT, TOP, LEFT, H - BOTTOM, "#333")).append(line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM,
            "#333"));
    }

    /** An axis label for a power of ten of microseconds: 100 us, 10 ms, 1 s. */
    private static String duration(double us) {
        final String[] units = {"us", "ms", "s"};
        double v = us;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(3)).stripTrailingZeros()
            .toPlainString() + " " + units[u];
    }

    private static String svgOpen(String title) {
        return "<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + W + "\" height=\"" + H
            + "\" viewBox=\"0 0 " + W + " " + H + "\" role=\"img\" aria-label=\"" + esc(title) + "\">\n";
    }

    private static void legend(StringBuilder b, int k, String colour, String label) {
        final int y = TOP + 16 + 20 * k;
        b.append(line(W - RIGHT + 10, y - 4, W - RIGHT + 30, y - 4, colour));
        b.append(text(W - RIGHT + 35, y, label, "start"));
    }

    private static double x(double v, double lo, double hi) {
        return LEFT + (W - LEFT - RIGHT) * (hi == lo ? 0 : (v - lo) / (hi - lo));
    }

    private static double y(double v, double lo, double hi) {
        return H - BOTTOM - (H - TOP - BOTTOM) * Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2)
            + "\" stroke=\"" + colour + "\"/>\n";
    }

    private static String text(double x, double y, String s, String anchor) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" font-size=\"12\" text-anchor=\"" + anchor + "\">"
            + esc(s) + "</text>\n";
    }

    private static void table(StringBuilder b, Map<String, Object> m) {
        b.append("<table>\n");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            b.append("<tr><td class=\"k\">").append(esc(e.getKey())).append("</td><td>")
                .append(esc(String.valueOf(e.getValue()))).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1e3);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
            : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmtPercentile(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
