package org.perpcore.core.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.num.Fixed;

class BracketsTest {
    static long e8(String decimal) {
        return new BigDecimal(decimal).movePointRight(8).longValueExact();
    }

    /** Adds tiers given as (floor, MMR in percent, max leverage) decimal strings, asserting each is accepted. */
    static Brackets table(String... tiers) {
        final Brackets brackets = new Brackets();
        for (String tier : tiers) {
            final String[] f = tier.split("/");
            final long mmrE8 = new BigDecimal(f[1]).movePointRight(6).longValueExact(); // percent -> E8
            assertEquals(RejectCode.NONE, brackets.add(e8(f[0]), mmrE8, Integer.parseInt(f[2])), tier);
        }
        return brackets;
    }

    /**
     * Binance USDⓈ-M BTCUSDT brackets of the time of the FAQ's worked example (floor / MMR % / max leverage).
     * The first four tiers are the FAQ's own cum example, and the tier the worked example uses (2.5 %, cum 16,300)
     * is among them; the higher tiers are the table of that period as a public TypeScript test of the same example
     * quotes it, with Binance's cum for every tier (repository not identified). They only matter through tier
     * re-selection, which that example does not trigger.
     * https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
     */
    static Brackets binanceBtcUsdt() {
        return table("0/0.4/125", "50000/0.5/100", "250000/1/50", "1000000/2.5/20", "5000000/5/10",
            "20000000/10/5", "50000000/12.5/4", "100000000/15/3", "200000000/25/2", "300000000/50/1");
    }

    /**
     * Binance USDⓈ-M ETHUSDT brackets of the same time and source; the worked example uses the 10 % tier, whose
     * cum 135,365 the FAQ example prints.
     */
    static Brackets binanceEthUsdt() {
        return table("0/0.5/100", "10000/0.65/75", "100000/1/50", "500000/2/25", "1000000/5/10",
            "2000000/10/5", "5000000/12.5/4", "10000000/15/3", "20000000/25/2");
    }

    @Test
    void cumFollowsTheBinanceUsdsMFaqExample() {
        // Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts": floors 0 / 50,000 /
        // 250,000 / 1,000,000 with MMR 0.4 / 0.5 / 1 / 2.5 % give cum 0 / 50 / 1,300 / 16,300
        // ("Maintenance Amount on Level 3 = 250,000 * (1% - 0.5%) + 50 USDT = 1,300 USDT").
        // https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
        final Brackets b = table("0/0.4/125", "50000/0.5/100", "250000/1/50", "1000000/2.5/20");
        assertEquals(4, b.count());
        assertEquals(e8("0"), b.cumE8(0));
        assertEquals(e8("50"), b.cumE8(1));
        assertEquals(e8("1300"), b.cumE8(2));
        assertEquals(e8("16300"), b.cumE8(3));
        // same FAQ: "if the position ... is 264,000 USDT, then the maintenance margin rate would be 1%"
        assertEquals(e8("0.01"), b.mmrE8(b.tierOf(e8("264000"))));
        // "if the position size ... is 500,000 USDT, then the maintenance amount would be 1,300 USDT"
        assertEquals(e8("1300"), b.cumE8(b.tierOf(e8("500000"))));
        // MM = notional * MMR - cum: 500,000 * 1 % - 1,300 = 3,700
        assertEquals(e8("3700"), b.maintenanceMarginE8(e8("500000")));
    }

    @Test
    void cumReproducesEveryTierOfTheQuotedBinanceTables() {
        // the cum column Binance served for these tables (field "cum" / "cumFastMaintenanceAmount")
        final Brackets btc = binanceBtcUsdt();
        final String[] btcCums = {"0", "50", "1300", "16300", "141300", "1141300", "2391300", "4891300", "24891300",
            "99891300"};
        for (int i = 0; i < btcCums.length; i++) {
            assertEquals(e8(btcCums[i]), btc.cumE8(i), "BTCUSDT tier " + i);
        }
        final Brackets eth = binanceEthUsdt();
        final String[] ethCums = {"0", "15", "365", "5365", "35365", "135365", "260365", "510365", "2510365"};
        for (int i = 0; i < ethCums.length; i++) {
            assertEquals(e8(ethCums[i]), eth.cumE8(i), "ETHUSDT tier " + i);
        }
    }

    @Test
    void cumFollowsTheBinanceCoinMFaqExample() {
        // Binance FAQ "How to Calculate Liquidation Price of COIN-M Futures Contracts": "the BTCUSD Maintenance
        // Amount on Level 5 = 50 BTC * (5% - 2.5%) + 0.56 BTC = 1.81 BTC"; "if the position of the BTCUSD contract
        // is 300 BTC, then the maintenance margin rate would be 12.5%" and "the maintenance amount would be 11.81
        // BTC". https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46
        // Floors (max positions 10 / 20 / 30 / 50 / 100 / 200 / 400 BTC at 125x ... 4x) are from "Leverage and
        // Margin in Coin-Margined Futures Contracts"
        // (https://www.binance.com/en/support/faq/be2c7d9d95b04a7e8044ed02dd7dfe5c);
        // level 1's 0.4 % from the COIN-M FAQ's maintenance margin example; levels 2, 3, 4 and 6 (0.5, 1, 2.5,
        // 10 %) are not printed there: they are the rates that give the documented 0.56 and 11.81.
        final Brackets b = table("0/0.4/125", "10/0.5/100", "20/1/50", "30/2.5/20", "50/5/10", "100/10/5",
            "200/12.5/4");
        assertEquals(e8("0.56"), b.cumE8(3));
        assertEquals(e8("1.81"), b.cumE8(4));
        final int tier = b.tierOf(e8("300"));
        assertEquals(e8("0.125"), b.mmrE8(tier));
        assertEquals(e8("11.81"), b.cumE8(tier));
    }

    @Test
    void hyperliquidBtcDeductionFromTheFortyToTheTwentyTimesTier() {
        // Hyperliquid margin tiers: MMR = 1 / (2 * max leverage); BTC 40x up to 150M notional, 20x above:
        // deduction 150,000,000 * (2.5 % - 1.25 %) = 1,875,000 (RISK-REFERENCES.md).
        // https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers
        final Brackets b = new Brackets();
        assertEquals(RejectCode.NONE, b.setDefault(40));
        assertEquals(e8("0.0125"), b.mmrE8(0));
        assertEquals(RejectCode.NONE, b.add(e8("150000000"), e8("0.025"), 20));
        assertEquals(e8("1875000"), b.cumE8(1));
        assertEquals(40, b.maxLeverageAt(e8("149999999.99999999")));
        assertEquals(20, b.maxLeverageAt(e8("150000000")));
    }

    @Test
    void defaultTierIsHalfTheInitialMarginAtMaxLeverageRoundedUp() {
        final Brackets b = new Brackets();
        assertEquals(RejectCode.NONE, b.setDefault(125));
        assertEquals(1, b.count());
        assertEquals(e8("0.004"), b.mmrE8(0), "Binance BTCUSDT 125x: 0.4 %");
        assertEquals(125, b.maxLeverage(0));
        b.setDefault(50);
        assertEquals(e8("0.01"), b.mmrE8(0), "Hyperliquid 50x: 1 %");
        b.setDefault(3);
        assertEquals(16_666_667L, b.mmrE8(0), "1/6 rounded up");
        b.setDefault(1);
        assertEquals(e8("0.5"), b.mmrE8(0));
        assertEquals(RejectCode.INVALID_BRACKET, b.setDefault(0));
        assertEquals(e8("0.5"), b.mmrE8(0), "a rejected default changes nothing");
    }

    @Test
    void maintenanceMarginIsContinuousAcrossEveryBoundary() {
        final SplittableRandom random = new SplittableRandom(17);
        for (int run = 0; run < 2_000; run++) {
            final Brackets b = randomTable(random, true);
            for (int tier = 1; tier < b.count(); tier++) {
                final long floorE8 = b.floorE8(tier);
                // tier k's line and tier k-1's line meet exactly at floor(k)
                final long fromBelow = Fixed.mulDivCeil(floorE8, b.mmrE8(tier - 1), Fixed.E8) - b.cumE8(tier - 1);
                assertEquals(fromBelow, b.maintenanceMarginE8(floorE8), "tier " + tier);
                assertTrue(b.maintenanceMarginE8(floorE8 - 1) <= b.maintenanceMarginE8(floorE8));
                assertTrue(b.maintenanceMarginE8(floorE8) <= b.maintenanceMarginE8(floorE8 + 1));
                assertTrue(b.maintenanceMarginE8(floorE8) - b.maintenanceMarginE8(floorE8 - 1) <= 1);
            }
        }
    }

    @Test
    void inexactCumIsRoundedDownSoMaintenanceOnlyStepsUpByLessThanOneUnit() {
        // floor 50,000.00000201 * (0.5 % - 0.4 %) = 50.00000000201: cum is 50 (down: larger MM, exchange's side)
        final Brackets b = new Brackets();
        b.add(0, e8("0.004"), 125);
        b.add(5_000_000_000_201L, e8("0.005"), 100);
        assertEquals(e8("50"), b.cumE8(1));
        final SplittableRandom random = new SplittableRandom(19);
        for (int run = 0; run < 2_000; run++) {
            final Brackets t = randomTable(random, false);
            for (int tier = 1; tier < t.count(); tier++) {
                final BigDecimal exact = BigDecimal.valueOf(t.floorE8(tier))
                    .multiply(BigDecimal.valueOf(t.mmrE8(tier) - t.mmrE8(tier - 1))).movePointLeft(8)
                    .add(BigDecimal.valueOf(t.cumE8(tier - 1)));
                final BigDecimal cum = BigDecimal.valueOf(t.cumE8(tier));
                assertTrue(cum.compareTo(exact) <= 0 && exact.subtract(cum).compareTo(BigDecimal.ONE) < 0);
                final long floorE8 = t.floorE8(tier);
                final long step = t.maintenanceMarginE8(floorE8) - t.maintenanceMarginE8(floorE8 - 1);
                assertTrue(step >= 0 && step <= 2, "step " + step);
            }
        }
    }

    @Test
    void tiersAreLookedUpByFloorInclusive() {
        final Brackets b = binanceBtcUsdt();
        assertEquals(10, b.count());
        assertEquals(0, b.tierOf(0));
        assertEquals(0, b.tierOf(-5));
        assertEquals(0, b.tierOf(e8("49999.99999999")));
        assertEquals(1, b.tierOf(e8("50000")));
        assertEquals(9, b.tierOf(Long.MAX_VALUE));
        assertEquals(125, b.maxLeverageAt(e8("49999.99999999")));
        assertEquals(100, b.maxLeverageAt(e8("50000")));
        assertEquals(e8("50000"), b.capE8(0));
        assertEquals(Long.MAX_VALUE, b.capE8(9));
        assertEquals(-1, new Brackets().tierOf(100));
        assertEquals(0, new Brackets().maintenanceMarginE8(e8("100")));
        assertEquals(0, new Brackets().maxLeverageAt(e8("100")));
    }

    @Test
    void maxNotionalForLeverageIsTheLastNotionalWhoseTierAllowsIt() {
        final Brackets b = binanceBtcUsdt();
        assertEquals(e8("50000") - 1, b.maxNotionalForLeverage(125));
        assertEquals(e8("50000") - 1, b.maxNotionalForLeverage(101));
        assertEquals(e8("250000") - 1, b.maxNotionalForLeverage(100));
        assertEquals(e8("300000000") - 1, b.maxNotionalForLeverage(2));
        assertEquals(Long.MAX_VALUE, b.maxNotionalForLeverage(1), "the last tier is unbounded");
        assertEquals(-1, b.maxNotionalForLeverage(126), "above every tier's maximum");
        assertEquals(-1, new Brackets().maxNotionalForLeverage(1));
        final SplittableRandom random = new SplittableRandom(23);
        for (int run = 0; run < 500; run++) {
            final Brackets t = randomTable(random, true);
            for (int probe = 0; probe < 50; probe++) {
                final int leverage = random.nextInt(1, 130);
                final long max = t.maxNotionalForLeverage(leverage);
                final long notionalE8 = random.nextLong(0, Long.MAX_VALUE);
                assertEquals(t.maxLeverageAt(notionalE8) >= leverage, notionalE8 <= max);
                if (max >= 0 && max < Long.MAX_VALUE) {
                    assertTrue(t.maxLeverageAt(max) >= leverage);
                    assertTrue(t.maxLeverageAt(max + 1) < leverage);
                }
            }
        }
    }

    @Test
    void invalidTiersAreRejectedAndChangeNothing() {
        final Brackets b = table("0/0.4/125", "50000/0.5/100");
        final Brackets before = new Brackets();
        before.copyFrom(b);
        assertEquals(RejectCode.INVALID_BRACKET, b.add(e8("50000"), e8("0.01"), 50), "floor not ascending");
        assertEquals(RejectCode.INVALID_BRACKET, b.add(e8("40000"), e8("0.01"), 50), "floor descending");
        assertEquals(RejectCode.INVALID_BRACKET, b.add(e8("60000"), e8("0.004"), 50), "MMR decreasing");
        assertEquals(RejectCode.INVALID_BRACKET, b.add(e8("60000"), e8("1"), 1), "MMR of 1");
        assertEquals(RejectCode.INVALID_BRACKET, b.add(e8("60000"), -1, 50), "negative MMR");
        assertEquals(RejectCode.INVALID_BRACKET, b.add(e8("60000"), e8("0.01"), 101), "leverage increasing");
        assertEquals(RejectCode.INVALID_BRACKET, b.add(e8("60000"), e8("0.01"), 0), "leverage below 1");
        assertEquals(RejectCode.INVALID_BRACKET, b.add(-1, e8("0.01"), 50), "negative floor");
        assertEquals(RejectCode.INVALID_BRACKET, b.add(0, e8("1.5"), 50), "invalid first tier");
        assertTrue(b.sameTiers(before));
        assertEquals(RejectCode.INVALID_BRACKET, new Brackets().add(e8("100"), e8("0.01"), 10),
            "a table starts at floor 0");
        assertEquals(RejectCode.NONE, b.add(e8("60000"), e8("0.005"), 100), "equal MMR and leverage are allowed");

        final Brackets full = new Brackets();
        assertEquals(RejectCode.NONE, full.add(0, 0, 200));
        for (int i = 1; i < Brackets.MAX_TIERS; i++) {
            assertEquals(RejectCode.NONE, full.add(i * Fixed.E8, i, 200 - i));
        }
        assertEquals(RejectCode.INVALID_BRACKET, full.add(1_000 * Fixed.E8, 1_000, 1), "33rd tier");
        assertEquals(Brackets.MAX_TIERS, full.count());
    }

    @Test
    void aTierAtFloorZeroStartsANewTable() {
        final Brackets b = binanceBtcUsdt();
        assertEquals(RejectCode.NONE, b.add(0, e8("0.01"), 50));
        assertEquals(1, b.count());
        assertEquals(e8("0.01"), b.mmrE8(0));
        assertEquals(0, b.cumE8(0));
        b.clear();
        assertEquals(0, b.count());
    }

    @Test
    void copyFromMakesAnIndependentEqualTable() {
        final Brackets source = binanceEthUsdt();
        final Brackets copy = new Brackets();
        copy.setDefault(20);
        copy.copyFrom(source);
        assertTrue(copy.sameTiers(source));
        for (int i = 0; i < source.count(); i++) {
            assertEquals(source.floorE8(i), copy.floorE8(i));
            assertEquals(source.mmrE8(i), copy.mmrE8(i));
            assertEquals(source.cumE8(i), copy.cumE8(i));
            assertEquals(source.maxLeverage(i), copy.maxLeverage(i));
        }
        source.setDefault(125);
        assertFalse(copy.sameTiers(source));
        assertEquals(9, copy.count());
        assertEquals(e8("2510365"), copy.cumE8(8), "ETHUSDT's last cum of the time");
    }

    @Test
    void lookupsDoNotAllocate() {
        final Brackets b = binanceBtcUsdt();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += b.maintenanceMarginE8(i * 1_000_000_000_000L) + b.tierOf(i) + b.maxNotionalForLeverage(i % 130);
        }
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 20_000; i++) {
            sink += b.maintenanceMarginE8(i * 1_000_000_000_000L) + b.tierOf(i) + b.maxNotionalForLeverage(i % 130);
        }
        final long after = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        assertEquals(0, after - before, "bytes allocated (sink " + sink + ")");
    }

    /**
     * A random valid table. With {@code wholeFloors} every floor is a whole unit, so every cum is exact (as in
     * every real table); otherwise floors have 8 decimals and cum is rounded.
     */
    static Brackets randomTable(SplittableRandom random, boolean wholeFloors) {
        final Brackets b = new Brackets();
        final int tiers = random.nextInt(1, 9);
        long mmrE8 = random.nextLong(0, 5_000_000);
        int leverage = random.nextInt(1, 126);
        assertEquals(RejectCode.NONE, b.add(0, mmrE8, leverage));
        long floorE8 = 0;
        for (int i = 1; i < tiers; i++) {
            final long stepUnits = (long) Math.pow(10, random.nextInt(0, 7)) * random.nextLong(1, 10);
            floorE8 += wholeFloors ? stepUnits * Fixed.E8 : stepUnits * Fixed.E8 + random.nextLong(1, Fixed.E8);
            mmrE8 = Math.min(Fixed.E8 - 1, mmrE8 + random.nextLong(0, 10_000_000));
            leverage = Math.max(1, leverage - random.nextInt(0, 30));
            assertEquals(RejectCode.NONE, b.add(floorE8, mmrE8, leverage));
        }
        return b;
    }
}
