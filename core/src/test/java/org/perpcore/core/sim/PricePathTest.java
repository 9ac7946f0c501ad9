package org.perpcore.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.perpcore.core.num.Decimal;

class PricePathTest {
    static final long TICK_E8 = 10_000_000L; // 0.1
    static final String HEADER =
        "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore";
    /** 2025-10-10T14:00:00Z */
    static final long T0 = 1_760_104_800_000L;

    private static String row(long t, String o, String h, String l, String c) {
        return t + "," + o + "," + h + "," + l + "," + c + ",234.211," + (t + 59_999) + ",28497507.5,6340,150.7,18348212.7,0";
    }

    private static long e8(String s) {
        return Decimal.parseE8(s);
    }

    @Test
    void parsesTheBinanceFormatWithItsHeader() throws PricePathException {
        final PricePath p = PricePath.parseKlines(HEADER + "\n"
            + row(T0, "121609.10", "121743.30", "121609.10", "121743.10") + "\n"
            + row(T0 + 60_000, "121743.20", "121743.20", "121404.00", "121499.90") + "\n", TICK_E8);
        assertEquals(2, p.minutes());
        assertEquals(T0, p.startMs());
        assertEquals(T0 + 120_000, p.endMs());
        assertEquals(e8("121609.1"), p.openE8(0));
        assertEquals(e8("121743.3"), p.highE8(0));
        assertEquals(e8("121404"), p.lowE8(1));
        assertEquals(e8("121499.9"), p.closeE8(1));
        assertEquals(e8("234.211"), p.volumeE8(1));
        assertEquals(1, p.lowestMinute());
    }

    @Test
    void headerIsOptionalAndBlankLinesAndCrlfAreTolerated() throws PricePathException {
        final PricePath p = PricePath.parseKlines(row(T0, "100", "101", "99", "100.5") + "\r\n\r\n"
            + (T0 + 60_000) + ",100.5,100.5,100.5,100.5,0\r\n", TICK_E8);
        assertEquals(2, p.minutes());
        assertEquals(e8("100.5"), p.closeE8(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing columns|1760104800000,100,101,99|line 2: expected at least 6 columns (open_time,open,high,low,close,volume), found 4",
        "non-numeric price|1760104800000,100,abc,99,100,1|line 2: high: 'abc' is not a plain decimal number",
        "non-numeric time|2025-10-10,100,101,99,100,1|line 2: open_time '2025-10-10' is not a whole number of milliseconds",
        "exponent|1760104800000,1e5,101,99,100,1|line 2: open: '1e5' is not a plain decimal number",
        "high below low|1760104800000,100,99,101,100,1|line 2: high 99 is below low 101",
        "open outside|1760104800000,102,101,99,100,1|line 2: open 102 is outside [low 99, high 101]",
        "close outside|1760104800000,100,101,99,98.9,1|line 2: close 98.9 is outside [low 99, high 101]",
        "zero price|1760104800000,0,101,0,100,1|line 2: open 0 is not positive",
        "negative price|1760104800000,-1,101,99,100,1|line 2: open -1 is not positive",
        "off the tick|1760104800000,100.05,101,99,100,1|line 2: open 100.05 is not on the tick 0.1",
        "negative volume|1760104800000,100,101,99,100,-3|line 2: volume -3 is negative",
        "empty field|1760104800000,100,,99,100,1|line 2: high: empty number",
        "bad close_time|1760104800000,100,101,99,100,1,1760104860000|line 2: close_time 1760104860000 is not open_time + 59999 (a one-minute kline)",
    })
    void rejectsAMalformedRowWithItsLine(String name, String badRow, String message) {
        final String csv = HEADER + "\n" + badRow + "\n" + row(T0 + 60_000, "100", "101", "99", "100") + "\n";
        final PricePathException e = assertThrows(PricePathException.class, () -> PricePath.parseKlines(csv, TICK_E8));
        assertEquals(message, e.getMessage());
        assertEquals(2, e.line());
    }

    @Test
    void rejectsTimesThatDoNotIncrease() {
        final String same = HEADER + "\n" + row(T0, "100", "101", "99", "100") + "\n" + row(T0, "100", "101", "99", "100");
        assertEquals("line 3: open_time 1760104800000 is not after the previous row's 1760104800000: times must increase",
            assertThrows(PricePathException.class, () -> PricePath.parseKlines(same, TICK_E8)).getMessage());
        final String back = HEADER + "\n" + row(T0, "100", "101", "99", "100") + "\n\n"
            + row(T0 - 60_000, "100", "101", "99", "100");
        assertEquals(4, assertThrows(PricePathException.class, () -> PricePath.parseKlines(back, TICK_E8)).line());
        final String overlap = row(T0, "100", "101", "99", "100") + "\n" + (T0 + 30_000) + ",100,101,99,100,1";
        assertEquals("line 2: open_time 1760104830000 is only 30000 ms after the previous row's: one-minute klines are"
                + " at least 60000 ms apart",
            assertThrows(PricePathException.class, () -> PricePath.parseKlines(overlap, TICK_E8)).getMessage());
    }

    @Test
    void rejectsABadHeaderAndAnEmptyFile() {
        assertEquals("line 1: expected a header starting open_time,open,high,low,close,volume (or a first row of"
                + " numbers), found column 3 'low'",
            assertThrows(PricePathException.class,
                () -> PricePath.parseKlines("open_time,open,low,high,close,volume\n", TICK_E8)).getMessage());
        assertEquals("no kline rows (open_time,open,high,low,close,volume,...)",
            assertThrows(PricePathException.class, () -> PricePath.parseKlines(HEADER + "\n", TICK_E8)).getMessage());
        assertEquals("no kline rows (open_time,open,high,low,close,volume,...)",
            assertThrows(PricePathException.class, () -> PricePath.parseKlines("", TICK_E8)).getMessage());
        final String twoHeaders = HEADER + "\n" + HEADER + "\n";
        assertEquals("line 2: open_time 'open_time' is not a whole number of milliseconds",
            assertThrows(PricePathException.class, () -> PricePath.parseKlines(twoHeaders, TICK_E8)).getMessage());
    }

    @Test
    void interpolatesOpenNearerExtremeOtherExtremeCloseOnTheTick() throws PricePathException {
        // open 100.0, high 101.2 (1.2 away), low 99.4 (0.6 away: nearer), close 100.6
        final PricePath p = PricePath.parseKlines(row(T0, "100", "101.2", "99.4", "100.6"), TICK_E8);
        final IndexTicks ticks = p.ticks(1_000);
        assertEquals(60, ticks.size());
        for (int i = 0; i < 60; i++) {
            assertEquals(T0 + i * 1_000L, ticks.timeMs(i));
            assertEquals(0, ticks.priceE8(i) % TICK_E8, "on the tick");
            assertTrue(ticks.priceE8(i) >= e8("99.4") && ticks.priceE8(i) <= e8("101.2"), "within the bar");
        }
        assertEquals(e8("100"), ticks.priceE8(0));
        assertEquals(e8("100.6"), ticks.priceE8(59));
        // the legs: 0.6 down, 1.8 up, 0.6 down = 3.0 in 59 intervals: 12 + 35 + 12 (largest remainders)
        assertEquals(e8("99.4"), ticks.priceE8(12), "the low first: it is nearer the open");
        assertEquals(e8("101.2"), ticks.priceE8(47), "then the high");
        assertEquals(ticks.lowest(), 12);
        // monotone within each leg
        for (int i = 1; i <= 12; i++) {
            assertTrue(ticks.priceE8(i) <= ticks.priceE8(i - 1));
        }
        for (int i = 13; i <= 47; i++) {
            assertTrue(ticks.priceE8(i) >= ticks.priceE8(i - 1));
        }
        for (int i = 48; i < 60; i++) {
            assertTrue(ticks.priceE8(i) <= ticks.priceE8(i - 1));
        }
    }

    @Test
    void equallyNearExtremesVisitTheFarSideOfTheCloseFirst() throws PricePathException {
        // open 100, high 101, low 99, close 100.5 (above the open): the low first, so the minute ends rising
        final IndexTicks up = PricePath.parseKlines(row(T0, "100", "101", "99", "100.5"), TICK_E8).ticks(5_000);
        assertEquals(12, up.size());
        assertEquals(e8("99"), minBefore(up, maxIndex(up)));
        final IndexTicks down = PricePath.parseKlines(row(T0, "100", "101", "99", "99.5"), TICK_E8).ticks(5_000);
        assertTrue(maxIndex(down) < down.lowest(), "the high first when the close is below the open");
    }

    @Test
    void flatMinutesAndCoarseStepsStayExact() throws PricePathException {
        final PricePath p = PricePath.parseKlines(row(T0, "100", "100", "100", "100") + "\n"
            + row(T0 + 120_000, "100", "130", "100", "130"), TICK_E8); // a gap of one minute
        final IndexTicks t = p.ticks(15_000);
        assertEquals(8, t.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(e8("100"), t.priceE8(i));
        }
        assertEquals(T0 + 120_000, t.timeMs(4), "no ticks for the missing minute");
        assertEquals(e8("130"), t.priceE8(7));
        assertThrows(IllegalArgumentException.class, () -> p.ticks(20_000), "fewer than 4 ticks a minute");
        assertThrows(IllegalArgumentException.class, () -> p.ticks(7_000), "not a divisor of a minute");
    }

    @Test
    void theSameBarsInCodeGiveTheSamePath() throws PricePathException {
        final PricePath a = PricePath.ofBars(TICK_E8, T0, new long[] {e8("100"), e8("100.5")},
            new long[] {e8("101"), e8("100.9")}, new long[] {e8("99"), e8("98")}, new long[] {e8("100.5"), e8("98.8")});
        final PricePath b = PricePath.parseKlines(row(T0, "100", "101", "99", "100.5") + "\n"
            + row(T0 + 60_000, "100.5", "100.9", "98", "98.8"), TICK_E8);
        final IndexTicks ta = a.ticks(1_000);
        final IndexTicks tb = b.ticks(1_000);
        for (int i = 0; i < ta.size(); i++) {
            assertEquals(tb.priceE8(i), ta.priceE8(i));
        }
        assertThrows(PricePathException.class, () -> PricePath.ofBars(TICK_E8, T0, new long[] {e8("100")},
            new long[] {e8("99")}, new long[] {e8("101")}, new long[] {e8("100")}));
    }

    /** The real file of 2025-10-10: every row valid, and the day's documented shape in the interpolated ticks. */
    @Test
    void theRealDay() throws Exception {
        final Path file = RealDay.file();
        Assumptions.assumeTrue(file != null, RealDay.SKIP);
        final PricePath p = PricePath.parseKlines(Files.readAllLines(file), TICK_E8);
        assertEquals(600, p.minutes());
        final IndexTicks t = p.ticks(1_000);
        assertEquals(36_000, t.size());
        final int low = t.lowest();
        assertEquals(e8("101516.5"), t.priceE8(low), "the low of the day");
        assertEquals(T0 + (7 * 60 + 20) * 60_000L, t.timeMs(low) - t.timeMs(low) % 60_000, "at 21:20");
        assertEquals(e8("112714.9"), t.priceE8(t.size() - 1), "the close of the day");
        assertEquals(e8("121609.1"), t.priceE8(0));
        for (int i = 1; i < t.size(); i++) {
            assertTrue(t.timeMs(i) > t.timeMs(i - 1));
        }
    }

    private static int maxIndex(IndexTicks t) {
        int best = 0;
        for (int i = 1; i < t.size(); i++) {
            if (t.priceE8(i) > t.priceE8(best)) {
                best = i;
            }
        }
        return best;
    }

    private static long minBefore(IndexTicks t, int end) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < end; i++) {
            min = Math.min(min, t.priceE8(i));
        }
        return min;
    }
}
