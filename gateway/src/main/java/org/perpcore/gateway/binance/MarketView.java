package org.perpcore.gateway.binance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.num.Fixed;

/**
 * What the gateway knows of one market, built only from the engine's events (MARKET, BRACKET, ORDER, TRADE, MARK,
 * FUNDING): its specification, margin tiers, order book depth, recent trades, 1-minute candles and funding.
 * Owned by the output stage's thread.
 */
public final class MarketView {
    /** Recent trades and aggregated trades kept for the REST endpoints. */
    static final int TRADE_HISTORY = 1000;
    /** One-minute candles kept: 14 days. */
    static final int MINUTES = 14 * 24 * 60;
    static final int FUNDING_HISTORY = 1000;

    public final int id;
    public final String symbol;
    /** Lower-case symbol: the stream name prefix. */
    public final String streamPrefix;
    public final long[] params = new long[MarketParam.COUNT];
    public int priceDecimals;
    public int qtyDecimals;
    public long createdMs;

    /** Margin tiers: floor, mmr, cum (E8) and max leverage; empty until the first BRACKET (the default applies). */
    public final List<long[]> brackets = new ArrayList<>();

    /** Price E8 to remaining quantity E8 (a one-element array, updated in place). */
    public final TreeMap<Long, long[]> bids = new TreeMap<>(Collections.reverseOrder());
    public final TreeMap<Long, long[]> asks = new TreeMap<>();
    /** Prices whose level changed in the current command (bids, asks). */
    final TreeMap<Long, Boolean> changedBids = new TreeMap<>(Collections.reverseOrder());
    final TreeMap<Long, Boolean> changedAsks = new TreeMap<>();
    /** The book's update id: the seq of the last command that changed it. */
    public long bookUpdateId;
    public long prevBookUpdateId;
    long bestBidE8;
    long bestAskE8;
    long bestHash;

    public long markE8;
    public long indexE8;
    public long fundingRateE8;
    public long nextFundingTimeMs;
    public long lastPriceE8;
    public long lastQtyE8;
    public long lastTradeMs;

    /** Trades: id, price, qty, quoteQty, time, buyer-is-maker (0/1). */
    public final ArrayDeque<long[]> trades = new ArrayDeque<>();
    /** Aggregated trades: aggId, price, qty, firstTradeId, lastTradeId, time, buyer-is-maker. */
    public final ArrayDeque<long[]> aggTrades = new ArrayDeque<>();
    public long nextAggId = 1;
    /** 1-minute candles: openTime, open, high, low, close, volume, quoteVolume, count, takerBuyVolume, takerBuyQuote. */
    public final ArrayList<long[]> minutes = new ArrayList<>();
    /** Settled funding: time, rate, mark. */
    public final ArrayDeque<long[]> fundings = new ArrayDeque<>();

    MarketView(int id, String symbol) {
        this.id = id;
        this.symbol = symbol;
        this.streamPrefix = symbol.toLowerCase(java.util.Locale.ROOT);
    }

    public long param(MarketParam p) {
        return params[p.ordinal()];
    }

    public long tickE8() {
        return params[MarketParam.TICK.ordinal()];
    }

    public long stepE8() {
        return params[MarketParam.STEP.ordinal()];
    }

    /** The quote asset is USDT: the base asset is the symbol without it. */
    public String baseAsset() {
        return symbol.endsWith("USDT") && symbol.length() > 4 ? symbol.substring(0, symbol.length() - 4) : symbol;
    }

    void addLevel(boolean bid, long priceE8, long deltaE8) {
        if (deltaE8 == 0) {
            return;
        }
        final TreeMap<Long, long[]> side = bid ? bids : asks;
        final long[] level = side.computeIfAbsent(priceE8, k -> new long[1]);
        level[0] += deltaE8;
        if (level[0] <= 0) {
            side.remove(priceE8);
        }
        (bid ? changedBids : changedAsks).put(priceE8, Boolean.TRUE);
    }

    long levelQty(boolean bid, long priceE8) {
        final long[] l = (bid ? bids : asks).get(priceE8);
        return l == null ? 0 : l[0];
    }

    void addTrade(long tradeId, long priceE8, long qtyE8, long timeMs, boolean buyerMaker, boolean takerBuy) {
        final long quoteE8 = Fixed.mulDivFloor(priceE8, qtyE8, Fixed.E8);
        trades.addLast(new long[] {tradeId, priceE8, qtyE8, quoteE8, timeMs, buyerMaker ? 1 : 0});
        if (trades.size() > TRADE_HISTORY) {
            trades.removeFirst();
        }
        lastPriceE8 = priceE8;
        lastQtyE8 = qtyE8;
        lastTradeMs = timeMs;
        final long minute = Math.floorDiv(timeMs, 60_000L) * 60_000L;
        long[] k = minutes.isEmpty() ? null : minutes.get(minutes.size() - 1);
        if (k == null || k[0] != minute) {
            k = new long[] {minute, priceE8, priceE8, priceE8, priceE8, 0, 0, 0, 0, 0};
            minutes.add(k);
            if (minutes.size() > MINUTES) {
                minutes.subList(0, minutes.size() - MINUTES).clear();
            }
        }
        k[2] = Math.max(k[2], priceE8);
        k[3] = Math.min(k[3], priceE8);
        k[4] = priceE8;
        k[5] += qtyE8;
        k[6] += quoteE8;
        k[7]++;
        if (takerBuy) {
            k[8] += qtyE8;
            k[9] += quoteE8;
        }
    }

    void addAggTrade(long[] agg) {
        aggTrades.addLast(agg);
        if (aggTrades.size() > TRADE_HISTORY) {
            aggTrades.removeFirst();
        }
    }

    void addFunding(long timeMs, long rateE8, long markE8) {
        fundings.addLast(new long[] {timeMs, rateE8, markE8});
        if (fundings.size() > FUNDING_HISTORY) {
            fundings.removeFirst();
        }
    }
}
