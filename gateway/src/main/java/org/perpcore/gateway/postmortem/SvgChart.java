package org.perpcore.gateway.postmortem;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A static SVG chart: lines, bars (negative ones below the zero line), vertical markers and shaded bands over a
 * time or value axis, with round axis ticks, a legend and a {@code <title>} tooltip on every bar. Plain SVG: no
 * script, no external font or style, so the report opens anywhere offline.
 */
final class SvgChart {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final int LEFT = 78;
    private static final int RIGHT = 16;
    private static final int TOP = 30;
    private static final int BOTTOM = 30;

    private final String id;
    private final String title;
    private final int width;
    private final int height;
    private final StringBuilder body = new StringBuilder(16_384);
    private final List<String[]> legend = new ArrayList<>();
    private final List<Runnable> marks = new ArrayList<>();
    private double x0;
    private double x1;
    private double y0 = Double.POSITIVE_INFINITY;
    private double y1 = Double.NEGATIVE_INFINITY;
    private boolean timeAxis;
    private DoubleFunction<String> xFormat = v -> SvgChart.compact(v);
    private DoubleFunction<String> yFormat = v -> SvgChart.compact(v);
    private boolean zeroBased;

    SvgChart(String id, String title, int width, int height) {
        this.id = id;
        this.title = title;
        this.width = width;
        this.height = height;
    }

    SvgChart timeAxis(long fromMs, long toMs) {
        x0 = fromMs;
        x1 = Math.max(toMs, fromMs + 1);
        timeAxis = true;
        return this;
    }

    SvgChart valueAxis(double from, double to, DoubleFunction<String> format) {
        x0 = from;
        x1 = Math.max(to, from + 1e-9);
        xFormat = format;
        return this;
    }

    SvgChart yFormat(DoubleFunction<String> format) {
        yFormat = format;
        return this;
    }

    /** Includes zero in the y range (bars, balances). */
    SvgChart zeroBased() {
        zeroBased = true;
        return this;
    }

    /** Widens the y range to include {@code values} (NaN ignored). */
    SvgChart include(double... values) {
        for (double v : values) {
            if (!Double.isNaN(v)) {
                y0 = Math.min(y0, v);
                y1 = Math.max(y1, v);
            }
        }
        return this;
    }

    private final List<Object[]> lines = new ArrayList<>();
    private final List<Object[]> bars = new ArrayList<>();

    /** A line through the points (NaN breaks it). */
    SvgChart line(String label, String color, double[] xs, double[] ys) {
        include(ys);
        lines.add(new Object[] {color, xs, ys});
        legend.add(new String[] {color, label});
        return this;
    }

    /**
     * Bars of width {@code barWidth} (x units) starting at each x; negative values hang below zero. {@code tips}
     * (may be null) gives each bar's tooltip.
     */
    SvgChart bars(String label, String color, double[] xs, double[] ys, double barWidth, String[] tips) {
        include(ys);
        include(0);
        bars.add(new Object[] {color, xs, ys, barWidth, tips});
        legend.add(new String[] {color, label});
        return this;
    }

    /** A dashed vertical marker at {@code x}. */
    SvgChart marker(double x, String color, String label) {
        marks.add(() -> {
            final double px = px(x);
            body.append("<line x1=\"").append(f(px)).append("\" x2=\"").append(f(px)).append("\" y1=\"").append(TOP)
                .append("\" y2=\"").append(height - BOTTOM).append("\" stroke=\"").append(color)
                .append("\" stroke-dasharray=\"4 3\"/>");
            body.append("<text x=\"").append(f(px + 4)).append("\" y=\"").append(TOP + 12).append("\" fill=\"")
                .append(color).append("\" font-size=\"11\">").append(Html.escape(label)).append("</text>");
        });
        return this;
    }

    /** A shaded band from {@code from} to {@code to} (e.g. a halt). */
    SvgChart band(double from, double to, String color, String label) {
        marks.add(() -> {
            final double a = px(from);
            final double b = Math.max(a + 2, px(to));
            body.append("<rect x=\"").append(f(a)).append("\" y=\"").append(TOP).append("\" width=\"").append(f(b - a))
                .append("\" height=\"").append(height - TOP - BOTTOM).append("\" fill=\"").append(color)
                .append("\" opacity=\"0.25\"><title>").append(Html.escape(label)).append("</title></rect>");
        });
        return this;
    }

    private double px(double x) {
        return LEFT + (x - x0) / (x1 - x0) * (width - LEFT - RIGHT);
    }

    private double py(double y) {
        return height - BOTTOM - (y - y0) / (y1 - y0) * (height - TOP - BOTTOM);
    }

    String render() {
        if (y0 == Double.POSITIVE_INFINITY) {
            y0 = 0;
            y1 = 1;
        }
        if (zeroBased) {
            y0 = Math.min(y0, 0);
            y1 = Math.max(y1, 0);
        }
        if (y1 - y0 < 1e-9) {
            final double pad = Math.max(1, Math.abs(y1) * 0.01);
            y0 -= pad;
            y1 += pad;
        } else if (!zeroBased) {
            final double pad = (y1 - y0) * 0.05;
            y0 -= pad;
            y1 += pad;
        }
        final double[] yTicks = ticks(y0, y1, 5);
        y0 = Math.min(y0, yTicks[0]);
        y1 = Math.max(y1, yTicks[yTicks.length - 1]);
        final StringBuilder s = new StringBuilder(body.capacity() + 4096);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"").append(id).append("\" viewBox=\"0 0 ")
            .append(width).append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"")
            .append(height).append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">");
        s.append("<text x=\"").append(LEFT).append("\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"#222\">")
            .append(Html.escape(title)).append("</text>");
        // grid and y labels
        for (double t : yTicks) {
            final double y = py(t);
            s.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(width - RIGHT).append("\" y1=\"").append(f(y))
                .append("\" y2=\"").append(f(y)).append("\" stroke=\"").append(t == 0 ? "#999" : "#e4e4e4")
                .append("\"/>");
            s.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
                .append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">").append(Html.escape(yFormat.apply(t)))
                .append("</text>");
        }
        // x labels
        for (double t : timeAxis ? hourTicks() : ticks(x0, x1, 8)) {
            if (t < x0 || t > x1) {
                continue;
            }
            final double x = px(t);
            s.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
                .append(height - BOTTOM).append("\" y2=\"").append(height - BOTTOM + 4).append("\" stroke=\"#999\"/>");
            s.append("<text x=\"").append(f(x)).append("\" y=\"").append(height - BOTTOM + 16)
                .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">")
                .append(Html.escape(timeAxis ? HOUR.format(Instant.ofEpochMilli((long) t)) : xFormat.apply(t)))
                .append("</text>");
        }
        body.setLength(0);
        for (Runnable m : marks) {
            m.run();
        }
        final String markup = body.toString();
        for (Object[] b : bars) {
            renderBars(s, (String) b[0], (double[]) b[1], (double[]) b[2], (Double) b[3], (String[]) b[4]);
        }
        for (Object[] l : lines) {
            renderLine(s, (String) l[0], (double[]) l[1], (double[]) l[2]);
        }
        s.append(markup);
        // legend
        double lx = width - RIGHT;
        for (int i = legend.size() - 1; i >= 0; i--) {
            final String[] entry = legend.get(i);
            lx -= 22 + 6.5 * entry[1].length();
            s.append("<rect x=\"").append(f(lx)).append("\" y=\"8\" width=\"12\" height=\"12\" fill=\"").append(entry[0])
                .append("\"/><text x=\"").append(f(lx + 16)).append("\" y=\"18\" font-size=\"12\" fill=\"#333\">")
                .append(Html.escape(entry[1])).append("</text>");
        }
        s.append("</svg>");
        return s.toString();
    }

    private void renderLine(StringBuilder s, String color, double[] xs, double[] ys) {
        boolean open = false;
        for (int i = 0; i < xs.length; i++) {
            if (Double.isNaN(ys[i])) {
                if (open) {
                    s.append("\"/>");
                    open = false;
                }
                continue;
            }
            if (!open) {
                s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.6\" points=\"");
                open = true;
            } else {
                s.append(' ');
            }
            s.append(f(px(xs[i]))).append(',').append(f(py(ys[i])));
        }
        if (open) {
            s.append("\"/>");
        }
    }

    private void renderBars(StringBuilder s, String color, double[] xs, double[] ys, double w, String[] tips) {
        final double zero = py(0);
        final double pw = Math.max(1, px(x0 + w) - px(x0));
        for (int i = 0; i < xs.length; i++) {
            if (ys[i] == 0 || Double.isNaN(ys[i])) {
                continue;
            }
            final double y = py(ys[i]);
            final double top = Math.min(y, zero);
            final double h = Math.max(1, Math.abs(zero - y));
            s.append("<rect x=\"").append(f(px(xs[i]))).append("\" y=\"").append(f(top)).append("\" width=\"")
                .append(f(pw)).append("\" height=\"").append(f(h)).append("\" fill=\"").append(color).append('"');
            if (tips != null && tips[i] != null) {
                s.append("><title>").append(Html.escape(tips[i])).append("</title></rect>");
            } else {
                s.append("/>");
            }
        }
    }

    private double[] hourTicks() {
        final long hour = 3_600_000L;
        final long span = (long) (x1 - x0);
        final long step = span > 24 * hour ? 6 * hour : span > 6 * hour ? hour : span > 2 * hour ? hour / 2
            : span > hour / 2 ? hour / 6 : 60_000L;
        final List<Double> t = new ArrayList<>();
        for (long v = Math.floorDiv((long) x0 + step - 1, step) * step; v <= x1; v += step) {
            t.add((double) v);
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Round ticks (1, 2, 5 x 10^k apart) covering [lo, hi]. */
    static double[] ticks(double lo, double hi, int count) {
        final double raw = (hi - lo) / Math.max(1, count);
        final double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        final double norm = raw / mag;
        final double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
        final double first = Math.floor(lo / step) * step;
        final List<Double> t = new ArrayList<>();
        for (double v = first; v <= hi + step * 0.5 && t.size() < 50; v += step) {
            t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** 1234567 -> "1.23M", 12500 -> "12.5k", 0.0001 -> "0.0001". */
    static String compact(double v) {
        final double a = Math.abs(v);
        if (a >= 1e9) {
            return trim(String.format(Locale.ROOT, "%.2f", v / 1e9)) + "B";
        }
        if (a >= 1e6) {
            return trim(String.format(Locale.ROOT, "%.2f", v / 1e6)) + "M";
        }
        if (a >= 1e4) {
            return trim(String.format(Locale.ROOT, "%.1f", v / 1e3)) + "k";
        }
        if (a >= 1 || a == 0) {
            return trim(String.format(Locale.ROOT, "%.2f", v));
        }
        return trim(String.format(Locale.ROOT, "%.6f", v));
    }

    private static String trim(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        String t = s.replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
