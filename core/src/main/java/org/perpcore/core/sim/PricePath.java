package org.perpcore.core.sim;

import java.util.Arrays;
import java.util.List;
import org.perpcore.core.num.Decimal;

/**
 * A price path of one-minute bars (open, high, low, close), read from the kline CSV format of Binance's public
 * market data ({@code open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,
 * taker_buy_quote_volume,ignore}; times in ms since the epoch), and its deterministic interpolation into index
 * ticks ({@link #ticks}). Immutable once built. No I/O: callers read the file and hand over its text or lines.
 *
 * <p>Every row is validated, and the first fault found is reported as {@code line N: why} (a
 * {@link PricePathException}): fewer than the six leading columns, a time or price that is not a plain number, a
 * price not positive or not on the tick, high below low, open or close outside [low, high], a negative volume, a
 * close_time other than open_time + 59,999 (when the column is there), and times that do not increase by at least
 * a minute from row to row. A header row is optional (Binance's files carry one since 2022); when present, its
 * first six names must be those above. Blank lines are skipped. Gaps between minutes are allowed: no ticks are
 * produced for a missing minute.
 */
public final class PricePath {
    /** The length of one bar. */
    public static final long MINUTE_MS = 60_000;

    private static final String[] HEADER = {"open_time", "open", "high", "low", "close", "volume"};

    private final long tickE8;
    private final long[] openTimeMs;
    private final long[] openE8;
    private final long[] highE8;
    private final long[] lowE8;
    private final long[] closeE8;
    private final long[] volumeE8;

    private PricePath(long tickE8, long[] openTimeMs, long[] openE8, long[] highE8, long[] lowE8, long[] closeE8,
                      long[] volumeE8) {
        this.tickE8 = tickE8;
        this.openTimeMs = openTimeMs;
        this.openE8 = openE8;
        this.highE8 = highE8;
        this.lowE8 = lowE8;
        this.closeE8 = closeE8;
        this.volumeE8 = volumeE8;
    }

    /** Parses the text of a kline CSV file; prices must lie on {@code tickE8} (E8, e.g. 0.1 = 10,000,000). */
    public static PricePath parseKlines(CharSequence csv, long tickE8) throws PricePathException {
        return parseKlines(csv.toString().lines().toList(), tickE8);
    }

    /** Parses the lines of a kline CSV file (line 1 is the first element). */
    public static PricePath parseKlines(List<String> lines, long tickE8) throws PricePathException {
        if (tickE8 <= 0) {
            throw new IllegalArgumentException("tick must be positive: " + tickE8);
        }
        final int capacity = lines.size();
        final long[] time = new long[capacity];
        final long[] open = new long[capacity];
        final long[] high = new long[capacity];
        final long[] low = new long[capacity];
        final long[] close = new long[capacity];
        final long[] volume = new long[capacity];
        final String[] fields = new String[16];
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            final int lineNo = i + 1;
            final String line = strip(lines.get(i));
            if (line.isEmpty()) {
                continue;
            }
            final int count = split(line, fields);
            if (n == 0 && count > 0 && !fields[0].isEmpty() && !isDigits(fields[0])) {
                if (lineNo != firstNonBlank(lines)) {
                    throw new PricePathException(lineNo, "open_time '" + fields[0]
                        + "' is not a whole number of milliseconds");
                }
                checkHeader(lineNo, fields, count);
                continue;
            }
            if (count < HEADER.length) {
                throw new PricePathException(lineNo, "expected at least " + HEADER.length
                    + " columns (open_time,open,high,low,close,volume), found " + count);
            }
            final long t = millis(lineNo, "open_time", fields[0]);
            final long o = price(lineNo, "open", fields[1], tickE8);
            final long h = price(lineNo, "high", fields[2], tickE8);
            final long l = price(lineNo, "low", fields[3], tickE8);
            final long c = price(lineNo, "close", fields[4], tickE8);
            final long v = decimal(lineNo, "volume", fields[5]);
            if (v < 0) {
                throw new PricePathException(lineNo, "volume " + fields[5] + " is negative");
            }
            if (h < l) {
                throw new PricePathException(lineNo, "high " + fields[2] + " is below low " + fields[3]);
            }
            if (o < l || o > h) {
                throw new PricePathException(lineNo, "open " + fields[1] + " is outside [low " + fields[3]
                    + ", high " + fields[2] + "]");
            }
            if (c < l || c > h) {
                throw new PricePathException(lineNo, "close " + fields[4] + " is outside [low " + fields[3]
                    + ", high " + fields[2] + "]");
            }
            if (count > 6 && !fields[6].isEmpty()) {
                final long closeTime = millis(lineNo, "close_time", fields[6]);
                if (closeTime != t + MINUTE_MS - 1) {
                    throw new PricePathException(lineNo, "close_time " + fields[6] + " is not open_time + 59999"
                        + " (a one-minute kline)");
                }
            }
            if (n > 0 && t <= time[n - 1]) {
                throw new PricePathException(lineNo, "open_time " + t + " is not after the previous row's "
                    + time[n - 1] + ": times must increase");
            }
            if (n > 0 && t < time[n - 1] + MINUTE_MS) {
                throw new PricePathException(lineNo, "open_time " + t + " is only " + (t - time[n - 1])
                    + " ms after the previous row's: one-minute klines are at least 60000 ms apart");
            }
            time[n] = t;
            open[n] = o;
            high[n] = h;
            low[n] = l;
            close[n] = c;
            volume[n] = v;
            n++;
        }
        if (n == 0) {
            throw new PricePathException(0, "no kline rows (open_time,open,high,low,close,volume,...)");
        }
        return new PricePath(tickE8, Arrays.copyOf(time, n), Arrays.copyOf(open, n), Arrays.copyOf(high, n),
            Arrays.copyOf(low, n), Arrays.copyOf(close, n), Arrays.copyOf(volume, n));
    }

    /**
     * A path from bars given in code (synthetic paths for tests and demos), validated as a file would be; a fault
     * is reported for the bar's 1-based position as its line.
     */
    public static PricePath ofBars(long tickE8, long firstOpenTimeMs, long[] openE8, long[] highE8, long[] lowE8,
                                   long[] closeE8) throws PricePathException {
        final int n = openE8.length;
        if (highE8.length != n || lowE8.length != n || closeE8.length != n) {
            throw new IllegalArgumentException("open, high, low and close need the same number of bars");
        }
        final StringBuilder csv = new StringBuilder();
        for (int i = 0; i < n; i++) {
            csv.append(firstOpenTimeMs + i * MINUTE_MS).append(',')
                .append(Decimal.toPlain(openE8[i])).append(',').append(Decimal.toPlain(highE8[i])).append(',')
                .append(Decimal.toPlain(lowE8[i])).append(',').append(Decimal.toPlain(closeE8[i])).append(",0\n");
        }
        return parseKlines(csv, tickE8);
    }

    // ------------------------------------------------------------------------------------------ interpolation

    /**
     * The path as index ticks every {@code stepMs} within each minute, deterministically: each minute goes from its
     * open to the extreme nearer the open, then to the other extreme, then to its close (when both extremes are
     * as near, to the one on the far side of the close first), at a constant speed, so every minute's open, high,
     * low and close are ticks of the path exactly. Tick {@code k} of a minute is at {@code open_time + k x stepMs};
     * the minute's close is its last tick, at {@code open_time + 60000 - stepMs}. Between the waypoints, prices are
     * interpolated linearly in whole ticks, rounded half up.
     *
     * @param stepMs a divisor of 60,000 leaving at least 4 ticks per minute (1,000: one a second)
     */
    public IndexTicks ticks(long stepMs) {
        if (stepMs <= 0 || MINUTE_MS % stepMs != 0 || MINUTE_MS / stepMs < 4) {
            throw new IllegalArgumentException("the step must divide a minute into at least 4 ticks: " + stepMs);
        }
        final int perMinute = (int) (MINUTE_MS / stepMs);
        final int n = openTimeMs.length;
        final long[] times = new long[n * perMinute];
        final long[] prices = new long[n * perMinute];
        final long[] waypoints = new long[4];
        final int[] legIntervals = new int[3];
        for (int m = 0; m < n; m++) {
            final long o = openE8[m] / tickE8;
            final long h = highE8[m] / tickE8;
            final long l = lowE8[m] / tickE8;
            final long c = closeE8[m] / tickE8;
            final boolean highFirst = h - o < o - l || (h - o == o - l && c < o);
            waypoints[0] = o;
            waypoints[1] = highFirst ? h : l;
            waypoints[2] = highFirst ? l : h;
            waypoints[3] = c;
            split(waypoints, perMinute - 1, legIntervals);
            int k = m * perMinute;
            times[k] = openTimeMs[m];
            prices[k] = o * tickE8;
            for (int leg = 0; leg < 3; leg++) {
                final long from = waypoints[leg];
                final long to = waypoints[leg + 1];
                final int intervals = legIntervals[leg];
                for (int j = 1; j <= intervals; j++) {
                    k++;
                    times[k] = openTimeMs[m] + (k - m * perMinute) * stepMs;
                    prices[k] = (from + Math.floorDiv(2 * (to - from) * j + intervals, 2L * intervals)) * tickE8;
                }
            }
        }
        return new IndexTicks(times, prices, stepMs);
    }

    /**
     * Shares {@code intervals} among the three legs in proportion to their lengths (largest remainders, ties to
     * the earlier leg), every leg that moves getting at least one, so that the waypoints fall on ticks.
     */
    private static void split(long[] waypoints, int intervals, int[] out) {
        final long[] length = new long[3];
        long total = 0;
        for (int leg = 0; leg < 3; leg++) {
            length[leg] = Math.abs(waypoints[leg + 1] - waypoints[leg]);
            total += length[leg];
        }
        if (total == 0) {
            out[0] = intervals;
            out[1] = 0;
            out[2] = 0;
            return;
        }
        int given = 0;
        final long[] remainder = new long[3];
        for (int leg = 0; leg < 3; leg++) {
            out[leg] = (int) (length[leg] * intervals / total);
            remainder[leg] = length[leg] * intervals % total;
            given += out[leg];
        }
        while (given < intervals) {
            int best = 0;
            for (int leg = 1; leg < 3; leg++) {
                if (remainder[leg] > remainder[best]) {
                    best = leg;
                }
            }
            out[best]++;
            remainder[best] = -1;
            given++;
        }
        for (int leg = 0; leg < 3; leg++) {
            if (length[leg] > 0 && out[leg] == 0) {
                int largest = 0;
                for (int other = 1; other < 3; other++) {
                    if (out[other] > out[largest]) {
                        largest = other;
                    }
                }
                out[largest]--;
                out[leg]++;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ bars

    public int minutes() {
        return openTimeMs.length;
    }

    public long tickE8() {
        return tickE8;
    }

    public long openTimeMs(int minute) {
        return openTimeMs[minute];
    }

    public long openE8(int minute) {
        return openE8[minute];
    }

    public long highE8(int minute) {
        return highE8[minute];
    }

    public long lowE8(int minute) {
        return lowE8[minute];
    }

    public long closeE8(int minute) {
        return closeE8[minute];
    }

    /** Base-asset volume of the minute, E8. */
    public long volumeE8(int minute) {
        return volumeE8[minute];
    }

    /** The first minute's open time. */
    public long startMs() {
        return openTimeMs[0];
    }

    /** The end of the last minute (its open time + 60,000). */
    public long endMs() {
        return openTimeMs[openTimeMs.length - 1] + MINUTE_MS;
    }

    /** The minute with the lowest low (the first such). */
    public int lowestMinute() {
        int best = 0;
        for (int i = 1; i < lowE8.length; i++) {
            if (lowE8[i] < lowE8[best]) {
                best = i;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------ parsing

    private static String strip(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == ' ')) {
            end--;
        }
        int start = 0;
        if (end > 0 && line.charAt(0) == '\uFEFF') {
            start = 1; // a byte-order mark
        }
        return line.substring(start, end);
    }

    private static int firstNonBlank(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!strip(lines.get(i)).isEmpty()) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Splits on commas into {@code fields} (at most its length); returns the number of fields in the line. */
    private static int split(String line, String[] fields) {
        int count = 0;
        int start = 0;
        while (true) {
            final int comma = line.indexOf(',', start);
            final String f = comma < 0 ? line.substring(start) : line.substring(start, comma);
            if (count < fields.length) {
                fields[count] = f.trim();
            }
            count++;
            if (comma < 0) {
                return count;
            }
            start = comma + 1;
        }
    }

    private static void checkHeader(int lineNo, String[] fields, int count) throws PricePathException {
        for (int i = 0; i < HEADER.length; i++) {
            if (i >= count || !HEADER[i].equalsIgnoreCase(fields[i])) {
                throw new PricePathException(lineNo, "expected a header starting open_time,open,high,low,close,volume"
                    + " (or a first row of numbers), found column " + (i + 1) + " '"
                    + (i < count ? fields[i] : "") + "'");
            }
        }
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static long millis(int lineNo, String column, String text) throws PricePathException {
        if (!isDigits(text) || text.length() > 18) {
            throw new PricePathException(lineNo, column + " '" + text + "' is not a whole number of milliseconds");
        }
        return Long.parseLong(text);
    }

    private static long decimal(int lineNo, String column, String text) throws PricePathException {
        try {
            return Decimal.parseE8(text);
        } catch (NumberFormatException e) {
            throw new PricePathException(lineNo, column + ": " + e.getMessage());
        }
    }

    private static long price(int lineNo, String column, String text, long tickE8) throws PricePathException {
        final long p = decimal(lineNo, column, text);
        if (p <= 0) {
            throw new PricePathException(lineNo, column + " " + text + " is not positive");
        }
        if (p % tickE8 != 0) {
            throw new PricePathException(lineNo, column + " " + text + " is not on the tick "
                + Decimal.toPlain(tickE8));
        }
        return p;
    }
}
