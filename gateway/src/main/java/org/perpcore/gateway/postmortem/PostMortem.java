package org.perpcore.gateway.postmortem;

import java.util.List;
import org.perpcore.core.sim.CascadeReport;

/**
 * The post-mortem of a run, built from its events ({@link PostMortemBuilder}): the totals of the cascade report,
 * one market's minute series, its largest liquidations, funding settlements, halts and, when one was computed, the
 * liquidation map at a chosen time. Money, prices and quantities are E8.
 *
 * @param symbol       the market the series, liquidations and map are of (the journal's first)
 * @param totals       every figure of {@link CascadeReport} (all markets)
 * @param series       the market's minute series
 * @param largest      its largest liquidations, largest first
 * @param funding      its funding settlements in time order
 * @param halts        its circuit-breaker halts and resumptions in time order
 * @param openInterestPeakQtyE8 the highest open interest (base quantity) and when
 * @param map          the liquidation map, or null
 */
public record PostMortem(String symbol, CascadeReport totals, MinuteSeries series, List<Liquidation> largest,
                         List<FundingSettlement> funding, List<Halt> halts, long openInterestPeakQtyE8,
                         long openInterestPeakMs, long openInterestFinalQtyE8, LiquidationMap map) {

    /**
     * One liquidation: an account's LIQUIDATION events of one command (a partial and the full close that may
     * follow count once), as {@link CascadeReport} counts them.
     *
     * @param notionalE8  quantity x fill price over its fills, whatever the stage
     * @param bookE8      the part filled in the order book; {@code insuranceE8} taken over by the fund; {@code
     *                    adlE8} closed against auto-deleveraged positions
     * @param feeE8       liquidation fees charged
     */
    public record Liquidation(String account, long seq, long timeMs, boolean longPosition, long qtyE8,
                              long notionalE8, long firstPriceE8, long lastPriceE8, long markE8,
                              long bankruptcyPriceE8, long feeE8, long bookE8, long insuranceE8, long adlE8,
                              boolean partial) {

        /** The average fill price, E8. */
        public long averagePriceE8() {
            return qtyE8 == 0 ? 0 : org.perpcore.core.num.Fixed.mulDivFloor(notionalE8, org.perpcore.core.num.Fixed.E8,
                qtyE8);
        }
    }

    /**
     * One funding settlement: the rate, the price it settled at, the positions that paid or received, and the sums
     * (received is what receivers got, paid what payers gave; the difference stays in the market's residue).
     */
    public record FundingSettlement(long timeMs, long rateE8, long priceE8, int positions, long paidE8,
                                    long receivedE8) {
    }

    /** A HALT event: the market halted (or resumed) after a mark move of {@code moveE8} (a fraction, E8). */
    public record Halt(long timeMs, boolean resumed, long moveE8, long untilMs) {
    }
}
