package org.perpcore.core.engine;

import org.perpcore.core.funding.FundingCalculator;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.num.Fixed;

/** Defaults and validation of market specifications. */
final class MarketSpecs {
    private static final long E8 = Fixed.E8;
    private static final long MAX_FEE_E8 = E8 / 100;

    private MarketSpecs() {
    }

    /**
     * Defaults for a new market. Tick and step have none: a new market must give them. The numbers follow
     * Binance USDⓈ-M BTCUSDT where a counterpart exists (fees 0.02 % / 0.05 %, price band 5 %, 200 open
     * orders, 125x, 8 h funding).
     */
    static void defaults(long[] p) {
        p[MarketParam.TICK.ordinal()] = 0;
        p[MarketParam.STEP.ordinal()] = 0;
        p[MarketParam.MIN_QTY.ordinal()] = 0; // 0: one step, filled in by validate
        p[MarketParam.MAX_QTY.ordinal()] = 10_000_000 * E8;
        p[MarketParam.MAX_PRICE.ordinal()] = 10_000_000 * E8;
        p[MarketParam.MIN_NOTIONAL.ordinal()] = 0;
        p[MarketParam.MAKER_FEE.ordinal()] = 20_000;      // 0.0002
        p[MarketParam.TAKER_FEE.ordinal()] = 50_000;      // 0.0005
        p[MarketParam.PRICE_BAND.ordinal()] = 5_000_000;  // 0.05
        p[MarketParam.MARKET_BAND.ordinal()] = 5_000_000; // 0.05
        p[MarketParam.STP.ordinal()] = StpMode.EXPIRE_MAKER.code();
        p[MarketParam.MAX_OPEN_ORDERS.ordinal()] = 200;
        p[MarketParam.MAX_LEVERAGE.ordinal()] = 125;
        p[MarketParam.LIQUIDATION_FEE.ordinal()] = 1_250_000; // 0.0125
        p[MarketParam.FUNDING_INTERVAL.ordinal()] = 8L * 3600 * 1000;
        p[MarketParam.FUNDING_CAP.ordinal()] = FundingCalculator.DEFAULT_CAP_E8;
        p[MarketParam.INTEREST_RATE.ordinal()] = FundingCalculator.DEFAULT_INTEREST_RATE_E8;
        p[MarketParam.INSURANCE_SHARED.ordinal()] = 0;
        p[MarketParam.INSURANCE_CAP.ordinal()] = 10_000_000 * E8;
        p[MarketParam.INSURANCE_FLOOR.ordinal()] = 0;
        p[MarketParam.SLICE_NOTIONAL.ordinal()] = 0;
        p[MarketParam.SLICE_FRACTION.ordinal()] = 20_000_000;   // 0.2 (Hyperliquid: 20 % slices)
        p[MarketParam.SLICE_INTERVAL.ordinal()] = 30_000;       // 30 s
        p[MarketParam.HALT_MOVE.ordinal()] = 0;
        p[MarketParam.HALT_WINDOW.ordinal()] = 300_000;
        p[MarketParam.HALT_FOR.ordinal()] = 300_000;
        p[MarketParam.ADL_REFRESH.ordinal()] = 10_000;
        p[MarketParam.MAX_POSITION.ordinal()] = 0;
        p[MarketParam.TRIGGER_PROTECT.ordinal()] = 5_000_000; // 0.05, Binance BTCUSDT's triggerProtect
    }

    /** Checks a full parameter set; fills derived defaults in place. Returns {@link RejectCode#NONE} when valid. */
    static RejectCode validate(long[] p) {
        final long tick = p[MarketParam.TICK.ordinal()];
        final long step = p[MarketParam.STEP.ordinal()];
        if (tick <= 0 || step <= 0) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        // notional = ticks x lots x (tick x step); the product must be a whole number of 1e-8
        final long tickStep = Fixed.mul(tick, step);
        if (tickStep == Fixed.OVERFLOW || tickStep % E8 != 0 || tickStep / E8 == 0) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        if (p[MarketParam.MIN_QTY.ordinal()] == 0) {
            p[MarketParam.MIN_QTY.ordinal()] = step;
        }
        final long minQty = p[MarketParam.MIN_QTY.ordinal()];
        final long maxQty = p[MarketParam.MAX_QTY.ordinal()];
        final long maxPrice = p[MarketParam.MAX_PRICE.ordinal()];
        if (minQty <= 0 || minQty % step != 0 || maxQty < minQty || maxQty % step != 0
            || maxPrice < tick || maxPrice % tick != 0) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        final long maker = p[MarketParam.MAKER_FEE.ordinal()];
        final long taker = p[MarketParam.TAKER_FEE.ordinal()];
        // fees within +/- 1 % (venues charge hundredths of that); a rebate may never exceed the taker fee, so the
        // exchange never pays out on a trade
        if (taker < 0 || taker > MAX_FEE_E8 || maker > MAX_FEE_E8 || maker + taker < 0) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        final long priceBand = p[MarketParam.PRICE_BAND.ordinal()];
        final long marketBand = p[MarketParam.MARKET_BAND.ordinal()];
        if (priceBand < 0 || priceBand >= E8 || marketBand <= 0 || marketBand >= E8) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        if (p[MarketParam.MIN_NOTIONAL.ordinal()] < 0
            || p[MarketParam.STP.ordinal()] < 1 || p[MarketParam.STP.ordinal()] > 4
            || p[MarketParam.MAX_OPEN_ORDERS.ordinal()] < 1 || p[MarketParam.MAX_OPEN_ORDERS.ordinal()] > 1_000_000
            || p[MarketParam.MAX_LEVERAGE.ordinal()] < 1 || p[MarketParam.MAX_LEVERAGE.ordinal()] > 1000
            || p[MarketParam.LIQUIDATION_FEE.ordinal()] < 0 || p[MarketParam.LIQUIDATION_FEE.ordinal()] > E8 / 10
            || p[MarketParam.FUNDING_INTERVAL.ordinal()] < 60_000
            || p[MarketParam.FUNDING_INTERVAL.ordinal()] > FundingCalculator.MAX_INTERVAL_MS
            || p[MarketParam.FUNDING_CAP.ordinal()] < 0 || p[MarketParam.FUNDING_CAP.ordinal()] > E8 / 10
            || Math.abs(p[MarketParam.INTEREST_RATE.ordinal()]) > E8 / 100
            || p[MarketParam.INSURANCE_SHARED.ordinal()] < 0 || p[MarketParam.INSURANCE_SHARED.ordinal()] > 1
            || p[MarketParam.INSURANCE_CAP.ordinal()] < 0 || p[MarketParam.INSURANCE_FLOOR.ordinal()] < 0
            || p[MarketParam.SLICE_NOTIONAL.ordinal()] < 0
            || p[MarketParam.SLICE_FRACTION.ordinal()] <= 0 || p[MarketParam.SLICE_FRACTION.ordinal()] > E8
            || p[MarketParam.SLICE_INTERVAL.ordinal()] < 0 || p[MarketParam.SLICE_INTERVAL.ordinal()] > 86_400_000
            || p[MarketParam.HALT_MOVE.ordinal()] < 0 || p[MarketParam.HALT_MOVE.ordinal()] >= E8
            || p[MarketParam.HALT_WINDOW.ordinal()] < 1_000 || p[MarketParam.HALT_WINDOW.ordinal()] > 3_600_000
            || p[MarketParam.HALT_FOR.ordinal()] < 1_000 || p[MarketParam.HALT_FOR.ordinal()] > 86_400_000
            || p[MarketParam.ADL_REFRESH.ordinal()] < 1_000 || p[MarketParam.ADL_REFRESH.ordinal()] > 86_400_000
            || p[MarketParam.MAX_POSITION.ordinal()] < 0
            || p[MarketParam.TRIGGER_PROTECT.ordinal()] < 0 || p[MarketParam.TRIGGER_PROTECT.ordinal()] >= E8) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        return RejectCode.NONE;
    }
}
