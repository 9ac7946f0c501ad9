package org.perpcore.core.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.perpcore.core.risk.BracketsTest.e8;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perpcore.core.num.Fixed;

class RiskMathTest {
    /** An E8 value rounded half-up to a number of decimals, as a venue prints it. */
    private static BigDecimal printed(long valueE8, int decimals) {
        return BigDecimal.valueOf(valueE8, 8).setScale(decimals, RoundingMode.HALF_UP);
    }

    @Test
    void notionalRoundsInTheNamedDirectionAndIgnoresTheSign() {
        // 0.00077 BTC at 62,739.12345678 = 48.3091250617206 USDT
        final long priceE8 = 6_273_912_345_678L;
        assertEquals(4_830_912_506L, RiskMath.notionalDownE8(priceE8, 77_000));
        assertEquals(4_830_912_507L, RiskMath.notionalUpE8(priceE8, 77_000));
        assertEquals(4_830_912_506L, RiskMath.notionalDownE8(priceE8, -77_000));
        assertEquals(4_830_912_507L, RiskMath.notionalUpE8(priceE8, -77_000));
        assertEquals(e8("48.30903"), RiskMath.notionalDownE8(e8("62739"), e8("0.00077")), "exact: both agree");
        assertEquals(e8("48.30903"), RiskMath.notionalUpE8(e8("62739"), e8("0.00077")));
        assertEquals(Fixed.OVERFLOW, RiskMath.notionalUpE8(Long.MAX_VALUE, 2 * Fixed.E8));
        assertEquals(Fixed.OVERFLOW, RiskMath.notionalUpE8(1, Long.MIN_VALUE));
    }

    @Test
    void unrealizedPnlRoundsAgainstTheHolder() {
        final long markE8 = 6_273_912_345_678L;
        // long 0.00077 bought for 48.30903: worth 48.3091250617206 -> PnL 0.0000950617206, rounded down
        assertEquals(9_506L, RiskMath.unrealizedPnlE8(77_000, e8("48.30903"), markE8));
        // short of the same: PnL -0.0000950617206, rounded down (more negative) too
        assertEquals(-9_507L, RiskMath.unrealizedPnlE8(-77_000, e8("48.30903"), markE8));
        assertEquals(0, RiskMath.unrealizedPnlE8(0, 0, markE8));
        // FAQ example's BTCUSDT long: 109.488 x (31,967.27 - 32,481.98) = -56,354.56848
        assertEquals(e8("-56354.56848"),
            RiskMath.unrealizedPnlE8(e8("109.488"), e8("3556387.02624"), e8("31967.27")));
    }

    @Test
    void maintenanceMarginOfAPositionUsesItsNotionalAtTheMark() {
        final Brackets btc = BracketsTest.binanceBtcUsdt();
        // 109.488 x 31,967.27 = 3,500,032.45776 (tier 2.5 %, cum 16,300): 87,500.811444 - 16,300
        assertEquals(e8("71200.811444"), RiskMath.maintenanceMarginE8(e8("109.488"), e8("31967.27"), btc));
        assertEquals(e8("71200.811444"), RiskMath.maintenanceMarginE8(e8("-109.488"), e8("31967.27"), btc));
        assertEquals(0, RiskMath.maintenanceMarginE8(0, e8("31967.27"), btc));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts", worked cross-margin example:
    // https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    // The copies of the page consulted for this test show the formula and tables only; the worked example (an
    // account with a BTCUSDT and an ETHUSDT long) is from an earlier version. Its inputs and results are quoted
    // with the FAQ link in public code: the variable list (WB 1,535,443.01; TMM1 71,200.81144;
    // UPNL1 -56,354.57; cumB 135,365; Side 1; Position 3,683.979; EP 1,456.84; MMR 10 %) in a Jesse trading
    // strategy's comments, and both positions with their mark prices and both results (26,316.89 and 1,153.26)
    // in freqtrade/freqtrade tests/exchange/test_binance.py (test_liquidation_price_binance, "From calc
    // example"; commit 1fc69ef1) and in a TypeScript test of the same example.
    //   BTCUSDT long 109.488 @ 32,481.98, mark 31,967.27, tier 2.5 % / cum 16,300 -> LP 26,316.89
    //   ETHUSDT long 3,683.979 @ 1,456.84, mark 1,335.18, tier 10 % / cum 135,365 -> LP 1,153.26
    // ---------------------------------------------------------------------------------------------------------
    private static final long FAQ_WALLET_E8 = e8("1535443.01");
    private static final long BTC_QTY_E8 = e8("109.488");
    private static final long BTC_COST_E8 = RiskMath.notionalUpE8(e8("32481.98"), BTC_QTY_E8);
    private static final long BTC_MARK_E8 = e8("31967.27");
    private static final long ETH_QTY_E8 = e8("3683.979");
    private static final long ETH_COST_E8 = RiskMath.notionalUpE8(e8("1456.84"), ETH_QTY_E8);
    private static final long ETH_MARK_E8 = e8("1335.18");

    @Test
    void binanceFaqCrossExampleFromThePositions() {
        final Brackets btc = BracketsTest.binanceBtcUsdt();
        final Brackets eth = BracketsTest.binanceEthUsdt();
        assertEquals(e8("3556387.02624"), BTC_COST_E8, "109.488 x 32,481.98, exact");
        assertEquals(e8("5366967.96636"), ETH_COST_E8, "3,683.979 x 1,456.84, exact");

        final long btcMaintenanceE8 = RiskMath.maintenanceMarginE8(BTC_QTY_E8, BTC_MARK_E8, btc);
        final long btcPnlE8 = RiskMath.unrealizedPnlE8(BTC_QTY_E8, BTC_COST_E8, BTC_MARK_E8);
        final long ethMaintenanceE8 = RiskMath.maintenanceMarginE8(ETH_QTY_E8, ETH_MARK_E8, eth);
        final long ethPnlE8 = RiskMath.unrealizedPnlE8(ETH_QTY_E8, ETH_COST_E8, ETH_MARK_E8);
        // the FAQ's TMM1 and UPNL1, to the decimals it prints
        assertEquals(new BigDecimal("71200.81144"), printed(btcMaintenanceE8, 5));
        assertEquals(new BigDecimal("-56354.57"), printed(btcPnlE8, 2));
        assertEquals(new BigDecimal("356512.508"), printed(ethMaintenanceE8, 3));
        assertEquals(new BigDecimal("-448192.89"), printed(ethPnlE8, 2));

        final long ethLiquidationE8 = RiskMath.liquidationPriceE8(FAQ_WALLET_E8, btcMaintenanceE8, btcPnlE8,
            ETH_QTY_E8, ETH_COST_E8, eth);
        final long btcLiquidationE8 = RiskMath.liquidationPriceE8(FAQ_WALLET_E8, ethMaintenanceE8, ethPnlE8,
            BTC_QTY_E8, BTC_COST_E8, btc);
        assertEquals(new BigDecimal("1153.26"), printed(ethLiquidationE8, 2));
        assertEquals(new BigDecimal("26316.89"), printed(btcLiquidationE8, 2));
        // exact roots 1,153.2564642391... and 26,316.8932645188..., rounded up (longs)
        assertEquals(115_325_646_424L, ethLiquidationE8);
        assertEquals(2_631_689_326_452L, btcLiquidationE8);
        // the liquidation notionals stay in the current tiers (10 % and 2.5 %): no re-selection here
        assertEquals(5, RiskMath.liquidationTier(FAQ_WALLET_E8, btcMaintenanceE8, btcPnlE8, ETH_QTY_E8,
            ETH_COST_E8, eth));
        assertEquals(3, RiskMath.liquidationTier(FAQ_WALLET_E8, ethMaintenanceE8, ethPnlE8, BTC_QTY_E8,
            BTC_COST_E8, btc));
    }

    @Test
    void binanceFaqCrossExampleFromItsPrintedInputs() {
        // the same example fed with TMM1 and UPNL1 as the FAQ prints them (rounded)
        final long ethLiquidationE8 = RiskMath.liquidationPriceE8(FAQ_WALLET_E8, e8("71200.81144"),
            e8("-56354.57"), ETH_QTY_E8, ETH_COST_E8, BracketsTest.binanceEthUsdt());
        final long btcLiquidationE8 = RiskMath.liquidationPriceE8(FAQ_WALLET_E8, e8("356512.508"),
            e8("-448192.89"), BTC_QTY_E8, BTC_COST_E8, BracketsTest.binanceBtcUsdt());
        assertEquals(new BigDecimal("1153.26"), printed(ethLiquidationE8, 2));
        assertEquals(new BigDecimal("26316.89"), printed(btcLiquidationE8, 2));
        assertEquals(115_325_646_470L, ethLiquidationE8);
        assertEquals(2_631_689_330_891L, btcLiquidationE8);
    }

    @Test
    void binanceFaqInputsInIsolatedMode() {
        // freqtrade's isolated-mode variants of the FAQ example (same test, same commit): the wallet balance
        // 1,535,443.01 taken as the isolated margin, TMM1 = UPNL1 = 0. These results are freqtrade's application
        // of the FAQ formula, not printed by Binance.
        final long ethE8 = RiskMath.liquidationPriceE8(FAQ_WALLET_E8, 0, 0, ETH_QTY_E8, ETH_COST_E8,
            BracketsTest.binanceEthUsdt());
        final long btcE8 = RiskMath.liquidationPriceE8(FAQ_WALLET_E8, 0, 0, BTC_QTY_E8, BTC_COST_E8,
            BracketsTest.binanceBtcUsdt());
        assertEquals(new BigDecimal("1114.78"), printed(ethE8, 2));
        assertEquals(new BigDecimal("18778.73"), printed(btcE8, 2));
        assertEquals(111_478_496_375L, ethE8);
        assertEquals(1_877_872_593_218L, btcE8);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Hyperliquid isolated positions as the exchange reported them (RISK-REFERENCES.md): MMR = 1 / (2 x 50).
    // https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void hyperliquidEthShort() {
        // short 0.019 @ 2,642.8, isolated margin 25.091876, max leverage 50 -> documented 3,924.18322043
        final Brackets fiftyX = new Brackets();
        fiftyX.setDefault(50);
        final long qtyE8 = -e8("0.019");
        final long costE8 = RiskMath.notionalUpE8(e8("2642.8"), qtyE8);
        final long priceE8 = RiskMath.liquidationPriceE8(e8("25.091876"), 0, 0, qtyE8, costE8, fiftyX);
        // exact root 75.305076 / 0.01919 = 3,924.183220427305888...: Hyperliquid prints it rounded to nearest
        // (3,924.18322043); rounded down for a short, as here, it is 1e-8 lower
        final BigDecimal exact = new BigDecimal("75.305076").divide(new BigDecimal("0.01919"), 20, RoundingMode.DOWN);
        assertEquals(new BigDecimal("3924.18322043"), exact.setScale(8, RoundingMode.HALF_UP));
        assertEquals(392_418_322_042L, priceE8);
        assertEquals(e8("3924.18322043") - 1, priceE8);
        assertEquals(priceE8, RiskMath.liquidationPriceInTierE8(e8("25.091876"), 0, 0, qtyE8, costE8,
            e8("0.01"), 0));
    }

    @Test
    void hyperliquidBtcLong() {
        // long 0.00077 @ 62,739, isolated margin 24.137992, max leverage 50 -> documented 31,708.03843631
        final Brackets fiftyX = new Brackets();
        fiftyX.setDefault(50);
        final long qtyE8 = e8("0.00077");
        final long costE8 = RiskMath.notionalUpE8(e8("62739"), qtyE8);
        final long priceE8 = RiskMath.liquidationPriceE8(e8("24.137992"), 0, 0, qtyE8, costE8, fiftyX);
        // exact root (48.30903 - 24.137992) / (0.00077 x 0.99) = 31,708.0388298570..., rounded up
        assertEquals(3_170_803_882_986L, priceE8);
        // Not reproduced exactly: the documented price is 3.94e-4 lower. The margin is printed to 6 decimals, and
        // the price moves by 1 / (0.00077 x 0.99) = 1,311.8 per unit of margin, so the printed inputs only fix
        // the price to +/- 6.6e-4; a margin of 24.1379923 (which prints as 24.137992) gives the documented price.
        final long documentedE8 = e8("31708.03843631");
        final long inputPrecisionE8 = Fixed.mulDivCeil(e8("0.0000005"), Fixed.E8,
            Fixed.mulDivFloor(qtyE8, e8("0.99"), Fixed.E8));
        assertEquals(65_591L, inputPrecisionE8);
        assertTrue(Math.abs(priceE8 - documentedE8) <= inputPrecisionE8, "difference " + (priceE8 - documentedE8));
        assertEquals(documentedE8 / 10_000, RiskMath.liquidationPriceE8(e8("24.1379923"), 0, 0, qtyE8, costE8,
            fiftyX) / 10_000, "to 4 decimals with a margin of 24.1379923");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tier re-selection
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void longWhoseLiquidationNotionalFallsInALowerTier() {
        // BTCUSDT (FAQ tiers), isolated long 30 @ 40,000 with 300,000 margin. Current notional 1,200,000 is in the
        // 2.5 % tier (cum 16,300), whose formula gives 30,211.97 -> notional 906,359: the 1 % tier (cum 1,300).
        // Recomputed there: (1,200,000 - 300,000 - 1,300) / (30 x 0.99) = 30,259.259259...; notional 907,778 stays
        // in the 1 % tier: that is the fixed point.
        final Brackets btc = BracketsTest.binanceBtcUsdt();
        final long qtyE8 = e8("30");
        final long costE8 = e8("1200000");
        final long marginE8 = e8("300000");
        assertEquals(3, btc.tierOf(RiskMath.notionalUpE8(e8("40000"), qtyE8)));
        assertEquals(3_021_196_581_197L, RiskMath.liquidationPriceInTierE8(marginE8, 0, 0, qtyE8, costE8,
            btc.mmrE8(3), btc.cumE8(3)), "the current tier's answer, 30,211.96581197");
        assertEquals(2, RiskMath.liquidationTier(marginE8, 0, 0, qtyE8, costE8, btc));
        final long priceE8 = RiskMath.liquidationPriceE8(marginE8, 0, 0, qtyE8, costE8, btc);
        assertEquals(3_025_925_925_926L, priceE8);
        assertEquals(ExactMargin.bisectLiquidationPrice(btc, marginE8, qtyE8, costE8), priceE8);
        final ExactMargin.Iteration binance = ExactMargin.binanceIteration(btc, marginE8, qtyE8, costE8, e8("40000"));
        assertEquals(2, binance.tier());
        assertEquals(2, binance.steps());
        assertEquals(priceE8, binance.priceE8());
    }

    @Test
    void shortWhoseLiquidationNotionalFallsInAHigherTier() {
        // BTCUSDT, isolated short 20 @ 40,000 with 250,000 margin. Current notional 800,000: 1 % tier, giving
        // 1,051,300 / 20.2 = 52,044.55 -> notional 1,040,891: the 2.5 % tier, giving 1,066,300 / 20.5 =
        // 52,014.634146... -> notional 1,040,293, still 2.5 %.
        final Brackets btc = BracketsTest.binanceBtcUsdt();
        final long qtyE8 = -e8("20");
        final long costE8 = e8("800000");
        final long marginE8 = e8("250000");
        assertEquals(2, btc.tierOf(RiskMath.notionalUpE8(e8("40000"), qtyE8)));
        assertEquals(3, RiskMath.liquidationTier(marginE8, 0, 0, qtyE8, costE8, btc));
        final long priceE8 = RiskMath.liquidationPriceE8(marginE8, 0, 0, qtyE8, costE8, btc);
        assertEquals(5_201_463_414_634L, priceE8);
        assertEquals(ExactMargin.bisectLiquidationPrice(btc, marginE8, qtyE8, costE8), priceE8);
        assertEquals(priceE8, ExactMargin.binanceIteration(btc, marginE8, qtyE8, costE8, e8("40000")).priceE8());
    }

    @Test
    void shortAtAStepOfAnInexactCumIsLiquidatedAtTheStep() {
        // cum of the second tier is 50.00000000201 rounded down to 50, so MM steps up by 2.01e-9 at the floor
        // 50,000.00000201. This short's surplus is still positive just below that notional on the first tier's
        // line and already negative at it on the second tier's: the liquidation price is the step itself.
        final Brackets b = new Brackets();
        b.add(0, e8("0.004"), 125);
        b.add(5_000_000_000_201L, e8("0.005"), 100);
        final long qtyE8 = -e8("0.001");
        final long costE8 = e8("40");
        final long marginE8 = 5_020_000_000_202L - costE8;
        final long priceE8 = RiskMath.liquidationPriceE8(marginE8, 0, 0, qtyE8, costE8, b);
        assertEquals(0, RiskMath.liquidationTier(marginE8, 0, 0, qtyE8, costE8, b));
        assertEquals(5_000_000_000_201_195L, RiskMath.liquidationPriceInTierE8(marginE8, 0, 0, qtyE8, costE8,
            b.mmrE8(0), b.cumE8(0)), "the first tier's root lies beyond its cap");
        assertEquals(5_000_000_000_201_000L, priceE8, "floor / |q|: the step");
        assertTrue(ExactMargin.surplus24(b, marginE8, qtyE8, costE8, priceE8).signum() < 0, "liquidated at LP");
        assertTrue(ExactMargin.surplus24(b, marginE8, qtyE8, costE8, priceE8 - 1).signum() > 0, "safe below");
        assertTrue(ExactMargin.surplus24(b, marginE8, qtyE8, costE8, 5_000_000_000_201_195L).signum() < 0,
            "the unclamped root would be late");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Special values
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void specialValues() {
        final Brackets btc = BracketsTest.binanceBtcUsdt();
        assertEquals(0, RiskMath.liquidationPriceE8(e8("1000"), 0, 0, 0, 0, btc), "flat");
        assertEquals(RiskMath.LONG_NEVER_LIQUIDATED,
            RiskMath.liquidationPriceE8(e8("40001"), 0, 0, e8("1"), e8("40000"), btc), "fully collateralised long");
        assertEquals(-1, RiskMath.liquidationTier(e8("40001"), 0, 0, e8("1"), e8("40000"), btc));
        assertEquals(0, RiskMath.liquidationPriceE8(e8("40000"), 0, 0, e8("1"), e8("40000"), btc),
            "a long whose margin balance reaches maintenance exactly at price 0");
        assertEquals(0, RiskMath.liquidationPriceE8(e8("-50000"), 0, 0, -e8("1"), e8("40000"), btc),
            "a short below maintenance at any price");
        assertEquals(-1, RiskMath.liquidationTier(e8("-50000"), 0, 0, -e8("1"), e8("40000"), btc));
        assertEquals(RiskMath.SHORT_NEVER_LIQUIDATED,
            RiskMath.liquidationPriceE8(e8("900000000"), 0, 0, -1, 1, btc), "short beyond the E8 price range");
        assertEquals(Long.MAX_VALUE, RiskMath.liquidationPriceE8(0, 0, 0, 1, e8("900000000"), btc),
            "long liquidated at every representable price");
        assertEquals(Fixed.OVERFLOW, RiskMath.liquidationPriceE8(Long.MAX_VALUE, 0, 1, 1, 1, btc));
        assertEquals(Fixed.OVERFLOW, RiskMath.liquidationPriceE8(Long.MAX_VALUE - 10, 0, 0, -1, 5, btc),
            "WB + cost + cum overflows");
        assertEquals(Fixed.OVERFLOW, RiskMath.liquidationPriceE8(1, 0, 0, Long.MIN_VALUE, 1, btc));
        assertEquals(Fixed.OVERFLOW, RiskMath.liquidationPriceInTierE8(1, 0, 0, 1, 1, Fixed.E8, 0), "MMR of 1");
        // an empty table: no maintenance margin, the other positions' maintenance still counts
        final Brackets none = new Brackets();
        assertEquals(RiskMath.liquidationPriceInTierE8(e8("100"), e8("20"), e8("5"), e8("2"), e8("300"), 0, 0),
            RiskMath.liquidationPriceE8(e8("100"), e8("20"), e8("5"), e8("2"), e8("300"), none));
        assertEquals(e8("107.5"), RiskMath.liquidationPriceE8(e8("100"), e8("20"), e8("5"), e8("2"), e8("300"), none));
    }

    @Test
    void bankruptcyPriceIsTheLiquidationPriceWithoutMaintenance() {
        // long 1 @ 100 with 1 of margin: bankrupt at 99 (the BitMEX insurance-fund example's bankruptcy price)
        assertEquals(e8("99"), RiskMath.bankruptcyPriceE8(e8("1"), 0, e8("1"), e8("100")));
        assertEquals(e8("101"), RiskMath.bankruptcyPriceE8(e8("1"), 0, -e8("1"), e8("100")));
        // cross: other positions' PnL counts, their maintenance does not
        assertEquals(e8("98"), RiskMath.bankruptcyPriceE8(e8("1"), e8("1"), e8("1"), e8("100")));
        // 3 @ 100 with 1 of margin: 299 / 3 = 99.666...: long rounded up, short (301 / 3 = 100.333...) down
        assertEquals(9_966_666_667L, RiskMath.bankruptcyPriceE8(e8("1"), 0, e8("3"), e8("300")));
        assertEquals(10_033_333_333L, RiskMath.bankruptcyPriceE8(e8("1"), 0, -e8("3"), e8("300")));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Properties over random positions and tables
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void randomPositionsAgreeWithBruteForceAndBinanceIterationAndSitOnTheMarginBoundary() {
        final SplittableRandom random = new SplittableRandom(2024);
        int reselected = 0;
        int multiStep = 0;
        int longs = 0;
        int shorts = 0;
        int crossed = 0;
        for (int run = 0; run < 20_000; run++) {
            final Brackets brackets = BracketsTest.randomTable(random, true);
            final long qtyAbsE8 = (long) Math.pow(10, random.nextDouble(3, 13));
            final long qtyE8 = random.nextBoolean() ? qtyAbsE8 : -qtyAbsE8;
            // mostly a notional near one of the table's floors, so that liquidation crosses tiers
            final double notionalE8 = brackets.count() > 1 && random.nextInt(4) > 0
                ? brackets.floorE8(random.nextInt(1, brackets.count())) * random.nextDouble(0.3, 3)
                : Math.pow(10, random.nextDouble(7, 18));
            final long entryE8 = Math.max(1, (long) (notionalE8 / qtyAbsE8 * Fixed.E8));
            final long costE8 = RiskMath.notionalUpE8(entryE8, qtyE8);
            if (costE8 <= 0) {
                continue;
            }
            final long markE8 = (long) (entryE8 * random.nextDouble(0.5, 1.5));
            long walletE8 = (long) (costE8 * random.nextDouble(0.002, 1.5));
            long otherMaintenanceE8 = 0;
            long otherPnlE8 = 0;
            if (random.nextBoolean()) {
                crossed++;
                otherMaintenanceE8 = (long) (costE8 * random.nextDouble(0, 0.3));
                otherPnlE8 = (long) (costE8 * random.nextDouble(-0.5, 0.5));
                walletE8 += otherMaintenanceE8;
            }
            final long baseE8 = walletE8 - otherMaintenanceE8 + otherPnlE8;
            final String context = "wb " + walletE8 + " tmm " + otherMaintenanceE8 + " upnl " + otherPnlE8
                + " q " + qtyE8 + " cost " + costE8;

            final long priceE8 = RiskMath.liquidationPriceE8(walletE8, otherMaintenanceE8, otherPnlE8, qtyE8, costE8,
                brackets);
            assertEquals(ExactMargin.bisectLiquidationPrice(brackets, baseE8, qtyE8, costE8), priceE8, context);

            final ExactMargin.Iteration binance = ExactMargin.binanceIteration(brackets, baseE8, qtyE8, costE8,
                markE8);
            assertEquals(binance.priceE8(), priceE8, context);
            final int tier = RiskMath.liquidationTier(walletE8, otherMaintenanceE8, otherPnlE8, qtyE8, costE8,
                brackets);
            if (tier >= 0) {
                assertEquals(binance.tier(), tier, context);
                if (tier != brackets.tierOf(RiskMath.notionalUpE8(markE8, qtyE8))) {
                    reselected++;
                }
                if (binance.steps() > 2) {
                    multiStep++;
                }
            }

            if (priceE8 > 0 && priceE8 < Long.MAX_VALUE) {
                final BigInteger at = ExactMargin.surplus24(brackets, baseE8, qtyE8, costE8, priceE8);
                final BigInteger below = ExactMargin.surplus24(brackets, baseE8, qtyE8, costE8, priceE8 - 1);
                final BigInteger above = ExactMargin.surplus24(brackets, baseE8, qtyE8, costE8, priceE8 + 1);
                // |surplus(LP)| is at most the surplus's change over one 1e-8 price step: |q| x 1e-8 x (1 + MMR)
                final BigInteger step = BigInteger.valueOf(qtyAbsE8).multiply(BigInteger.valueOf(2 * Fixed.E8));
                assertTrue(at.signum() >= 0 && at.compareTo(step) <= 0, context);
                final long outsideE8;
                if (qtyE8 > 0) {
                    longs++;
                    assertTrue(below.signum() < 0, "one tick below a long's LP is below maintenance " + context);
                    assertTrue(above.signum() > 0, "one tick above it is above " + context);
                    outsideE8 = priceE8 - 1;
                } else {
                    shorts++;
                    assertTrue(below.signum() > 0, "one tick below a short's LP is above maintenance " + context);
                    assertTrue(above.signum() < 0, "one tick above it is below " + context);
                    outsideE8 = priceE8 + 1;
                }
                // with the engine's rounded PnL and maintenance (both against the holder) it is liquidated too
                final long pnlE8 = RiskMath.unrealizedPnlE8(qtyE8, costE8, outsideE8);
                final long positionMaintenanceE8 = RiskMath.maintenanceMarginE8(qtyE8, outsideE8, brackets);
                if (pnlE8 != Fixed.OVERFLOW && positionMaintenanceE8 != Fixed.OVERFLOW) {
                    assertTrue(walletE8 + otherPnlE8 + pnlE8 <= otherMaintenanceE8 + positionMaintenanceE8, context);
                }
            }

            final long bankruptcyE8 = RiskMath.bankruptcyPriceE8(walletE8, otherPnlE8, qtyE8, costE8);
            final long equityBaseE8 = walletE8 + otherPnlE8;
            if (bankruptcyE8 > 0 && bankruptcyE8 < Long.MAX_VALUE) {
                assertTrue(ExactMargin.equity24(equityBaseE8, qtyE8, costE8, bankruptcyE8).signum() >= 0, context);
                final long beyondE8 = qtyE8 > 0 ? bankruptcyE8 - 1 : bankruptcyE8 + 1;
                assertTrue(ExactMargin.equity24(equityBaseE8, qtyE8, costE8, beyondE8).signum() < 0, context);
            }
            if (priceE8 < Long.MAX_VALUE && bankruptcyE8 < Long.MAX_VALUE) {
                // maintenance only ever adds to what must be covered: liquidation comes before bankruptcy
                assertTrue(qtyE8 > 0 ? priceE8 >= bankruptcyE8 : priceE8 <= bankruptcyE8, context);
            }
        }
        assertTrue(reselected > 3_000, "tier re-selections exercised: " + reselected);
        assertTrue(multiStep > 100, "iterations of more than one re-selection exercised: " + multiStep);
        assertTrue(longs > 5_000 && shorts > 5_000 && crossed > 9_000, longs + " " + shorts + " " + crossed);
    }

    @Test
    void shortsAgreeWithBruteForceWhenCumIsRounded() {
        // a short's surplus falls with the price even where a rounded cum makes MM step up, so bisection stays a
        // valid oracle; at a step the price is the step itself (one above the last safe price)
        final SplittableRandom random = new SplittableRandom(77);
        for (int run = 0; run < 2_000; run++) {
            final Brackets brackets = BracketsTest.randomTable(random, false);
            final long qtyE8 = -(long) Math.pow(10, random.nextDouble(3, 13));
            final long costE8 = RiskMath.notionalUpE8((long) Math.pow(10, random.nextDouble(4, 13)), qtyE8);
            final long walletE8 = (long) (costE8 * random.nextDouble(0.002, 1.5));
            final long priceE8 = RiskMath.liquidationPriceE8(walletE8, 0, 0, qtyE8, costE8, brackets);
            final long lastSafeE8 = ExactMargin.bisectLiquidationPrice(brackets, walletE8, qtyE8, costE8);
            if (priceE8 != lastSafeE8) {
                assertEquals(lastSafeE8 + 1, priceE8);
                assertTrue(ExactMargin.surplus24(brackets, walletE8, qtyE8, costE8, priceE8).signum() < 0);
            }
        }
    }

    @Test
    void liquidationPriceDoesNotAllocate() {
        final Brackets btc = BracketsTest.binanceBtcUsdt();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final long marginE8 = e8("300000");
        final long qtyE8 = e8("30");
        final long costE8 = e8("1200000");
        long sink = 0;
        for (int round = 0; round < 2; round++) {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 1; i < 20_000; i++) {
                sink += RiskMath.liquidationPriceE8(marginE8 + i, 0, 0, qtyE8 + i, costE8, btc);
                sink += RiskMath.liquidationPriceE8(marginE8, i, -i, -qtyE8 - i, costE8, btc);
                sink += RiskMath.bankruptcyPriceE8(marginE8 + i, 0, qtyE8, costE8);
                sink += RiskMath.unrealizedPnlE8(qtyE8, costE8, i) + RiskMath.maintenanceMarginE8(qtyE8, i, btc);
            }
            final long after = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            if (round == 1) {
                assertEquals(0, after - before, "bytes allocated (sink " + sink + ")");
            }
        }
    }
}
