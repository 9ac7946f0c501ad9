package org.perpcore.core.funding;

import org.perpcore.core.book.BookSide;
import org.perpcore.core.book.LevelStore;
import org.perpcore.core.book.OrderBook;
import org.perpcore.core.num.Fixed;

/**
 * Impact bid and impact ask prices of a book, and its best prices, for the premium index of
 * {@link FundingCalculator} and the basis of {@link MarkPriceCalculator}. Static, allocation-free, exception-free;
 * the book is read through its public views only ({@link BookSide#levelAtDepth}, {@link LevelStore#price},
 * {@link LevelStore#lots}).
 *
 * <p><b>Binance rule</b> ("Introduction to Binance Futures Funding Rates",
 * https://www.binance.com/en/support/faq/360033525031): the impact bid / ask price is the average fill price of
 * executing the <em>impact margin notional</em> (IMN) on the bid / ask side; for USDⓈ-M contracts the IMN is the
 * notional tradable with 200 USDT of margin at the maximum leverage, {@code IMN = 200 USDT / initial margin rate
 * at max leverage}. Binance's example: BNBUSDT at 20x has an initial margin rate of 5 %, so IMN = 4,000 USDT.
 *
 * <p><b>Too thin a book</b>: Binance does not document what it does when one side cannot absorb the IMN. Perpcore
 * reports no impact price ({@code 0}) for that side; {@link FundingCalculator#premiumIndexE8} then counts that
 * side's term of the premium as zero. A partial fill is never averaged in: it would let a lone small order far
 * from the index set the premium.
 *
 * <p><b>Units and rounding</b>: notional in E8 of the quote asset; a level's notional is
 * {@code priceTicks x lots x lotTickValueE8}, exactly as {@code engine.Market} defines it. The last level is
 * filled fractionally (by notional, not in whole lots), so the result is the exact average price
 * {@code IMN / quantity}, rounded to E8 towards the worse price for the taker: the impact bid down, the impact ask
 * up. Both roundings shrink the premium or discount measured against the index, never grow it.
 */
public final class ImpactPrices {
    /** The margin that defines the impact margin notional: 200 USDT, in E8. */
    public static final long IMPACT_MARGIN_E8 = 200 * Fixed.E8;

    private ImpactPrices() {
    }

    /**
     * The impact margin notional for a maximum leverage: {@code 200 USDT x maxLeverage} (the initial margin rate at
     * max leverage is {@code 1 / maxLeverage}); 20x gives 4,000 USDT, 125x 25,000 USDT. Returns 0 when
     * {@code maxLeverage <= 0}.
     */
    public static long impactMarginNotionalE8(long maxLeverage) {
        if (maxLeverage <= 0) {
            return 0;
        }
        return Fixed.mul(IMPACT_MARGIN_E8, maxLeverage);
    }

    /**
     * The impact margin notional from the initial margin rate at max leverage:
     * {@code 200 USDT / initialMarginRate}, rounded down to E8 (5 % gives 4,000 USDT). Returns 0 when the rate is
     * not positive.
     */
    public static long impactMarginNotionalFromRateE8(long initialMarginRateE8) {
        if (initialMarginRateE8 <= 0) {
            return 0;
        }
        return Fixed.mulDivFloor(IMPACT_MARGIN_E8, Fixed.E8, initialMarginRateE8);
    }

    /** The impact bid price in E8 (selling {@code notionalE8} into the bids), or 0; see {@link #impactPriceE8}. */
    public static long impactBidE8(OrderBook book, long tickE8, long lotTickValueE8, long notionalE8) {
        return impactPriceE8(book.bids(), book.levels(), tickE8, lotTickValueE8, notionalE8);
    }

    /** The impact ask price in E8 (buying {@code notionalE8} from the asks), or 0; see {@link #impactPriceE8}. */
    public static long impactAskE8(OrderBook book, long tickE8, long lotTickValueE8, long notionalE8) {
        return impactPriceE8(book.asks(), book.levels(), tickE8, lotTickValueE8, notionalE8);
    }

    /**
     * The average price, in E8, of filling {@code notionalE8} against {@code side} from its best level outwards;
     * rounded down on the bids and up on the asks. Returns 0 when the side's total notional is below
     * {@code notionalE8}, when an argument is not positive, or when a figure does not fit a {@code long}.
     *
     * <p>With the full levels before the last one holding {@code L} lots and notional {@code N}, and the last level
     * at {@code t} ticks taking the remaining {@code R = IMN - N}, the filled quantity is
     * {@code L + R / (t x lotTickValue)} lots, so the average is
     * {@code IMN x (t x tick) / (t x lotTickValue x L + R)}: one exact 128-bit division.
     */
    public static long impactPriceE8(BookSide side, LevelStore levels, long tickE8, long lotTickValueE8,
                                     long notionalE8) {
        if (notionalE8 <= 0 || tickE8 <= 0 || lotTickValueE8 <= 0) {
            return 0;
        }
        long filledNotionalE8 = 0;
        long filledLots = 0;
        final int size = side.size();
        for (int depth = 0; depth < size; depth++) {
            final int level = side.levelAtDepth(depth);
            final long priceTicks = levels.price(level);
            final long lots = levels.lots(level);
            final long lotValueE8 = Fixed.mul(priceTicks, lotTickValueE8); // one lot at this price
            if (lotValueE8 == Fixed.OVERFLOW) {
                return 0;
            }
            final long levelNotionalE8 = Fixed.mul(lotValueE8, lots);
            final long remainingE8 = notionalE8 - filledNotionalE8;
            if (levelNotionalE8 == Fixed.OVERFLOW || levelNotionalE8 >= remainingE8) {
                final long priceE8 = Fixed.mul(priceTicks, tickE8);
                final long filledAtThisPriceE8 = Fixed.mul(lotValueE8, filledLots);
                if (priceE8 == Fixed.OVERFLOW || filledAtThisPriceE8 == Fixed.OVERFLOW) {
                    return 0;
                }
                final long denominatorE8 = Fixed.add(filledAtThisPriceE8, remainingE8);
                if (denominatorE8 == Fixed.OVERFLOW) {
                    return 0;
                }
                final long averageE8 = side.isBids()
                    ? Fixed.mulDivFloor(notionalE8, priceE8, denominatorE8)
                    : Fixed.mulDivCeil(notionalE8, priceE8, denominatorE8);
                return averageE8 == Fixed.OVERFLOW ? 0 : averageE8;
            }
            filledNotionalE8 += levelNotionalE8;
            filledLots += lots;
        }
        return 0;
    }

    /** The best bid in E8, or 0 when there are no bids. */
    public static long bestBidE8(OrderBook book, long tickE8) {
        return bestPriceE8(book.bids(), book.levels(), tickE8);
    }

    /** The best ask in E8, or 0 when there are no asks. */
    public static long bestAskE8(OrderBook book, long tickE8) {
        return bestPriceE8(book.asks(), book.levels(), tickE8);
    }

    /** The best price of a side in E8 ({@code priceTicks x tickE8}, exact within the market's max price), or 0. */
    public static long bestPriceE8(BookSide side, LevelStore levels, long tickE8) {
        if (side.isEmpty()) {
            return 0;
        }
        return levels.price(side.best()) * tickE8;
    }
}
