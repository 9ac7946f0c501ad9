package org.perpcore.core.funding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perpcore.core.book.LevelStore;
import org.perpcore.core.book.OrderBook;
import org.perpcore.core.book.OrderStore;
import org.perpcore.core.model.Side;
import org.perpcore.core.num.Fixed;

/** Impact margin notional and impact prices on hand-built books. */
class ImpactPricesTest {
    private static final long E8 = Fixed.E8;
    /** BTCUSDT-like market: tick 0.1, step 0.001, so one lot moving one tick is worth 0.0001 USDT. */
    private static final long TICK_E8 = 10_000_000;
    private static final long STEP_E8 = 100_000;
    private static final long LOT_TICK_VALUE_E8 = TICK_E8 * STEP_E8 / E8;

    /** A book built directly from the stores: allocate an order, set its fields, add it. */
    static final class Book {
        final OrderStore orders = new OrderStore(16);
        final LevelStore levels = new LevelStore(16);
        final OrderBook book = new OrderBook(orders, levels);
        private long nextOrderId = 1;

        Book add(Side side, String price, String qty) {
            return addTicks(side, ticks(price), lots(qty));
        }

        Book addTicks(Side side, long priceTicks, long lots) {
            final int order = orders.allocate();
            orders.orderId(order, nextOrderId++);
            orders.side(order, side.code());
            orders.price(order, priceTicks);
            orders.origLots(order, lots);
            book.add(order);
            return this;
        }
    }

    static long ticks(String price) {
        return new BigDecimal(price).movePointRight(8).longValueExact() / TICK_E8;
    }

    static long lots(String qty) {
        return new BigDecimal(qty).movePointRight(8).longValueExact() / STEP_E8;
    }

    static long e8(String value) {
        return new BigDecimal(value).movePointRight(8).longValueExact();
    }

    @Test
    void impactMarginNotionalIs200UsdtTimesMaxLeverage() {
        assertEquals(4_000 * E8, ImpactPrices.impactMarginNotionalE8(20));
        assertEquals(25_000 * E8, ImpactPrices.impactMarginNotionalE8(125));
        assertEquals(0, ImpactPrices.impactMarginNotionalE8(0));
    }

    @Test
    void binanceBnbusdtExampleImpactMarginNotionalFromInitialMarginRate() {
        // Binance funding FAQ: BNBUSDT max leverage 20x, initial margin rate 5 % -> IMN = 200 / 5 % = 4,000 USDT
        assertEquals(4_000 * E8, ImpactPrices.impactMarginNotionalFromRateE8(e8("0.05")));
        assertEquals(25_000 * E8, ImpactPrices.impactMarginNotionalFromRateE8(e8("0.008")));
        assertEquals(0, ImpactPrices.impactMarginNotionalFromRateE8(0));
    }

    @Test
    void impactAskWalksLevelsFromTheBestAndFillsTheLastOneByNotional() {
        final Book b = new Book()
            .add(Side.SELL, "101", "30")
            .add(Side.SELL, "100", "10")
            .add(Side.SELL, "100.5", "10")
            .add(Side.BUY, "99", "100");
        // 1,000 USDT at 100, 1,005 at 100.5, the remaining 1,995 at 101: 10 + 10 + 1995/101 BTC for 4,000 USDT
        final BigDecimal qty = new BigDecimal(20)
            .add(new BigDecimal(1995).divide(new BigDecimal(101), MathContext.DECIMAL128));
        final long expected = new BigDecimal(4000).divide(qty, MathContext.DECIMAL128)
            .setScale(8, RoundingMode.CEILING).movePointRight(8).longValueExact();
        assertEquals(expected, ImpactPrices.impactAskE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, 4_000 * E8));
        assertEquals(e8("100.62266501"), expected, "hand check: 4000 / 39.75247525");
    }

    @Test
    void impactBidOfAWholeFirstLevelIsItsPrice() {
        final Book b = new Book().add(Side.BUY, "99.9", "50").add(Side.BUY, "99.8", "50").add(Side.SELL, "100.1", "1");
        assertEquals(e8("99.9"), ImpactPrices.impactBidE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, 4_000 * E8));
        // exactly the first level's notional (99.9 x 50 = 4,995): still its price
        assertEquals(e8("99.9"), ImpactPrices.impactBidE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, 4_995 * E8));
        // 4,995 at 99.9, then 5 USDT at 99.8: 4,995 + 5 over 50 + 5/99.8 BTC
        final BigDecimal qty = new BigDecimal(50)
            .add(new BigDecimal(5).divide(new BigDecimal("99.8"), MathContext.DECIMAL128));
        final long expected = new BigDecimal(5000).divide(qty, MathContext.DECIMAL128)
            .setScale(8, RoundingMode.FLOOR).movePointRight(8).longValueExact();
        assertEquals(expected, ImpactPrices.impactBidE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, 5_000 * E8));
    }

    @Test
    void roundingGoesAgainstTheTakerBidDownAskUp() {
        // 0.5 USDT: 0.002 BTC at the best price, the rest one tick further: the averages are not whole E8 values
        final Book b = new Book()
            .add(Side.SELL, "100.2", "0.003").add(Side.SELL, "100.1", "0.002")
            .add(Side.BUY, "99.8", "0.004").add(Side.BUY, "99.9", "0.002");
        final long notionalE8 = e8("0.5");
        final BigDecimal askQty = new BigDecimal("0.002")
            .add(new BigDecimal("0.2998").divide(new BigDecimal("100.2"), MathContext.DECIMAL128));
        final BigDecimal askExact = new BigDecimal("0.5").divide(askQty, MathContext.DECIMAL128);
        final long ask = ImpactPrices.impactAskE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, notionalE8);
        assertEquals(askExact.setScale(8, RoundingMode.CEILING).movePointRight(8).longValueExact(), ask);
        final BigDecimal bidQty = new BigDecimal("0.002")
            .add(new BigDecimal("0.3002").divide(new BigDecimal("99.8"), MathContext.DECIMAL128));
        final BigDecimal bidExact = new BigDecimal("0.5").divide(bidQty, MathContext.DECIMAL128);
        final long bid = ImpactPrices.impactBidE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, notionalE8);
        assertEquals(bidExact.setScale(8, RoundingMode.FLOOR).movePointRight(8).longValueExact(), bid);
    }

    @Test
    void aSideTooThinForTheNotionalHasNoImpactPrice() {
        final Book b = new Book().add(Side.SELL, "100", "10").add(Side.SELL, "101", "9").add(Side.BUY, "99", "1");
        // asks hold 1,000 + 909 = 1,909 USDT
        assertEquals(0, ImpactPrices.impactAskE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, 4_000 * E8));
        assertEquals(0, ImpactPrices.impactBidE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, 4_000 * E8));
        assertEquals(0, ImpactPrices.impactBidE8(new Book().book, TICK_E8, LOT_TICK_VALUE_E8, 4_000 * E8));
        // ... but a notional it can absorb has one
        assertEquals(e8("100"), ImpactPrices.impactAskE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, 1_000 * E8));
        assertEquals(0, ImpactPrices.impactAskE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, 0));
    }

    @Test
    void bestPrices() {
        final Book b = new Book().add(Side.SELL, "100.2", "1").add(Side.SELL, "100.1", "1").add(Side.BUY, "99.7", "1");
        assertEquals(e8("100.1"), ImpactPrices.bestAskE8(b.book, TICK_E8));
        assertEquals(e8("99.7"), ImpactPrices.bestBidE8(b.book, TICK_E8));
        assertEquals(0, ImpactPrices.bestBidE8(new Book().book, TICK_E8));
    }

    @Test
    void randomBooksMatchAnExactDecimalReference() {
        final SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2_000; round++) {
            final Book b = new Book();
            final int levels = random.nextInt(1, 12);
            for (int i = 0; i < levels; i++) {
                // several orders may share a level
                b.addTicks(Side.SELL, random.nextLong(1_000, 1_100), random.nextLong(1, 5_000));
                b.addTicks(Side.BUY, random.nextLong(900, 1_000), random.nextLong(1, 5_000));
            }
            final long notionalE8 = random.nextLong(1, 2_000) * E8 + random.nextLong(0, E8);
            assertEquals(reference(b, true, notionalE8),
                ImpactPrices.impactBidE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, notionalE8), "bid, round " + round);
            assertEquals(reference(b, false, notionalE8),
                ImpactPrices.impactAskE8(b.book, TICK_E8, LOT_TICK_VALUE_E8, notionalE8), "ask, round " + round);
        }
    }

    /** IMN / quantity in plain decimals (prices and quantities, not ticks and lots): whole levels, then the rest. */
    private static long reference(Book b, boolean bids, long notionalE8) {
        final var side = bids ? b.book.bids() : b.book.asks();
        final BigDecimal notional = BigDecimal.valueOf(notionalE8, 8);
        BigDecimal remaining = notional;
        BigDecimal qty = BigDecimal.ZERO;
        for (int depth = 0; depth < side.size(); depth++) {
            final int level = side.levelAtDepth(depth);
            final BigDecimal price = BigDecimal.valueOf(b.levels.price(level) * TICK_E8, 8);
            final BigDecimal levelQty = BigDecimal.valueOf(b.levels.lots(level) * STEP_E8, 8);
            final BigDecimal levelNotional = price.multiply(levelQty);
            if (levelNotional.compareTo(remaining) >= 0) {
                // notional / (qty + remaining / price), with the fraction cleared: exact, rounded once
                final BigDecimal average = notional.multiply(price)
                    .divide(qty.multiply(price).add(remaining), 8, bids ? RoundingMode.FLOOR : RoundingMode.CEILING);
                return average.unscaledValue().longValueExact();
            }
            remaining = remaining.subtract(levelNotional);
            qty = qty.add(levelQty);
        }
        return 0;
    }
}
