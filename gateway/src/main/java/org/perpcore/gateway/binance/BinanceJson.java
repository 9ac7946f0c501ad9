package org.perpcore.gateway.binance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.AccountReason;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.risk.Brackets;

/**
 * Binance USDⓈ-M JSON, REST answers and WebSocket payloads, rendered from the {@link ReadModel} and the engine's
 * events with Binance's field names. Prices print with the market's tick decimals, quantities with its step
 * decimals, money and rates with 8. Output stage thread only.
 */
public final class BinanceJson {
    public static final String[] DIFF_DEPTH_SUFFIXES = {"@depth", "@depth@0ms", "@depth@100ms", "@depth@250ms",
        "@depth@500ms"};
    public static final String[] PARTIAL_SPEEDS = {"", "@100ms", "@250ms", "@500ms"};
    /** ACCOUNT_UPDATE reason for a margin type change (not an engine AccountReason code). */
    public static final int MARGIN_TYPE_CHANGE = 100;
    /** Binance's far-future delivery date of perpetual contracts. */
    static final long PERPETUAL_DELIVERY_MS = 4133404800000L;

    private final ReadModel model;

    public BinanceJson(ReadModel model) {
        this.model = model;
    }

    private static JsonOut price(JsonOut o, String k, MarketView m, long e8) {
        return o.dec(k, e8, Math.max(m.priceDecimals, 1));
    }

    private static JsonOut qty(JsonOut o, String k, MarketView m, long e8) {
        return o.dec(k, e8, m.qtyDecimals);
    }

    private static JsonOut money(JsonOut o, String k, long e8) {
        return o.dec(k, e8, 8);
    }

    // ------------------------------------------------------------------------------------------ market data

    public void exchangeInfo(JsonOut o, long ts) {
        o.beginObject().str("timezone", "UTC").num("serverTime", ts).str("futuresType", "U_MARGINED");
        o.beginArray("rateLimits");
        o.beginObject().str("rateLimitType", "REQUEST_WEIGHT").str("interval", "MINUTE").num("intervalNum", 1)
            .num("limit", 2400).endObject();
        o.beginObject().str("rateLimitType", "ORDERS").str("interval", "MINUTE").num("intervalNum", 1)
            .num("limit", 1200).endObject();
        o.beginObject().str("rateLimitType", "ORDERS").str("interval", "SECOND").num("intervalNum", 10)
            .num("limit", 300).endObject();
        o.endArray();
        o.beginArray("exchangeFilters").endArray();
        o.beginArray("assets").beginObject().str("asset", "USDT").bool("marginAvailable", true)
            .raw("autoAssetExchange", "\"0\"").endObject().endArray();
        o.beginArray("symbols");
        for (MarketView m : model.markets()) {
            if (m == null) {
                continue;
            }
            o.beginObject().str("symbol", m.symbol).str("pair", m.symbol).str("contractType", "PERPETUAL")
                .num("deliveryDate", PERPETUAL_DELIVERY_MS).num("onboardDate", m.createdMs).str("status", "TRADING")
                .str("maintMarginPercent", "2.5000").str("requiredMarginPercent", "5.0000")
                .str("baseAsset", m.baseAsset()).str("quoteAsset", "USDT").str("marginAsset", "USDT")
                .num("pricePrecision", m.priceDecimals).num("quantityPrecision", m.qtyDecimals)
                .num("baseAssetPrecision", 8).num("quotePrecision", 8).str("underlyingType", "COIN")
                .beginArray("underlyingSubType").endArray().num("settlePlan", 0)
                .dec("triggerProtect", m.param(MarketParam.TRIGGER_PROTECT), 4)
                .dec("liquidationFee", m.param(MarketParam.LIQUIDATION_FEE), 6)
                .dec("marketTakeBound", m.param(MarketParam.MARKET_BAND), 2);
            o.beginArray("filters");
            o.beginObject().str("filterType", "PRICE_FILTER");
            price(o, "minPrice", m, m.tickE8());
            price(o, "maxPrice", m, m.param(MarketParam.MAX_PRICE));
            price(o, "tickSize", m, m.tickE8()).endObject();
            o.beginObject().str("filterType", "LOT_SIZE");
            qty(o, "minQty", m, m.param(MarketParam.MIN_QTY));
            qty(o, "maxQty", m, m.param(MarketParam.MAX_QTY));
            qty(o, "stepSize", m, m.stepE8()).endObject();
            o.beginObject().str("filterType", "MARKET_LOT_SIZE");
            qty(o, "minQty", m, m.param(MarketParam.MIN_QTY));
            qty(o, "maxQty", m, m.param(MarketParam.MAX_QTY));
            qty(o, "stepSize", m, m.stepE8()).endObject();
            o.beginObject().str("filterType", "MAX_NUM_ORDERS").num("limit", m.param(MarketParam.MAX_OPEN_ORDERS))
                .endObject();
            o.beginObject().str("filterType", "MIN_NOTIONAL");
            money(o, "notional", m.param(MarketParam.MIN_NOTIONAL)).endObject();
            final long band = m.param(MarketParam.PRICE_BAND);
            if (band > 0) {
                o.beginObject().str("filterType", "PERCENT_PRICE").dec("multiplierUp", Fixed.E8 + band, 4)
                    .dec("multiplierDown", Fixed.E8 - band, 4).str("multiplierDecimal", "4").endObject();
            }
            o.endArray();
            o.beginArray("orderTypes").value("LIMIT").value("MARKET").value("STOP").value("STOP_MARKET")
                .value("TAKE_PROFIT").value("TAKE_PROFIT_MARKET").value("TRAILING_STOP_MARKET").endArray();
            o.beginArray("timeInForce").value("GTC").value("IOC").value("FOK").value("GTX").endArray();
            o.endObject();
        }
        o.endArray().endObject();
    }

    public void depth(JsonOut o, MarketView m, int limit, long ts) {
        o.beginObject().num("lastUpdateId", m.bookUpdateId).num("E", ts).num("T", ts);
        levels(o.beginArray("bids"), m, m.bids, limit).endArray();
        levels(o.beginArray("asks"), m, m.asks, limit).endArray();
        o.endObject();
    }

    private static JsonOut levels(JsonOut o, MarketView m, Map<Long, long[]> side, int limit) {
        int n = 0;
        for (Map.Entry<Long, long[]> l : side.entrySet()) {
            if (n++ >= limit) {
                break;
            }
            o.beginArray().decValue(l.getKey(), Math.max(m.priceDecimals, 1)).decValue(l.getValue()[0], m.qtyDecimals)
                .endArray();
        }
        return o;
    }

    public void premiumIndex(JsonOut o, List<MarketView> ms, long ts) {
        final boolean one = ms.size() == 1;
        if (!one) {
            o.beginArray();
        }
        for (MarketView m : ms) {
            o.beginObject().str("symbol", m.symbol);
            price(o, "markPrice", m, m.markE8);
            price(o, "indexPrice", m, m.indexE8);
            price(o, "estimatedSettlePrice", m, m.markE8);
            money(o, "lastFundingRate", m.fundingRateE8);
            money(o, "interestRate", m.param(MarketParam.INTEREST_RATE));
            o.num("nextFundingTime", m.nextFundingTimeMs).num("time", ts).endObject();
        }
        if (!one) {
            o.endArray();
        }
    }

    public void ticker24h(JsonOut o, List<MarketView> ms, long ts) {
        final boolean one = ms.size() == 1;
        if (!one) {
            o.beginArray();
        }
        for (MarketView m : ms) {
            long open = 0;
            long high = 0;
            long low = 0;
            long volume = 0;
            long quote = 0;
            long count = 0;
            long openTime = ts - 86_400_000L;
            boolean any = false;
            for (int i = m.minutes.size() - 1; i >= 0; i--) {
                final long[] k = m.minutes.get(i);
                if (k[0] <= ts - 86_400_000L) {
                    break;
                }
                if (!any) {
                    high = k[2];
                    low = k[3];
                    any = true;
                }
                open = k[1];
                high = Math.max(high, k[2]);
                low = Math.min(low, k[3]);
                volume += k[5];
                quote += k[6];
                count += k[7];
                openTime = k[0];
            }
            final long last = m.lastPriceE8;
            final long change = any ? last - open : 0;
            o.beginObject().str("symbol", m.symbol);
            price(o, "priceChange", m, change);
            o.dec("priceChangePercent", any && open != 0 ? Fixed.mulDivFloor(change, 100 * Fixed.E8, open) : 0, 3);
            price(o, "weightedAvgPrice", m, volume == 0 ? 0 : Fixed.mulDivFloor(quote, Fixed.E8, volume));
            price(o, "lastPrice", m, last);
            qty(o, "lastQty", m, m.lastQtyE8);
            price(o, "openPrice", m, any ? open : 0);
            price(o, "highPrice", m, high);
            price(o, "lowPrice", m, low);
            qty(o, "volume", m, volume);
            money(o, "quoteVolume", quote);
            final long firstId = m.trades.isEmpty() ? -1 : m.trades.peekFirst()[0];
            final long lastId = m.trades.isEmpty() ? -1 : m.trades.peekLast()[0];
            o.num("openTime", openTime).num("closeTime", ts).num("firstId", firstId).num("lastId", lastId)
                .num("count", count).endObject();
        }
        if (!one) {
            o.endArray();
        }
    }

    public void tickerPrice(JsonOut o, List<MarketView> ms, long ts) {
        final boolean one = ms.size() == 1;
        if (!one) {
            o.beginArray();
        }
        for (MarketView m : ms) {
            o.beginObject().str("symbol", m.symbol);
            price(o, "price", m, m.lastPriceE8);
            o.num("time", m.lastTradeMs == 0 ? ts : m.lastTradeMs).endObject();
        }
        if (!one) {
            o.endArray();
        }
    }

    public void bookTickers(JsonOut o, List<MarketView> ms, long ts) {
        final boolean one = ms.size() == 1;
        if (!one) {
            o.beginArray();
        }
        for (MarketView m : ms) {
            final Map.Entry<Long, long[]> b = m.bids.firstEntry();
            final Map.Entry<Long, long[]> a = m.asks.firstEntry();
            o.beginObject().num("lastUpdateId", m.bookUpdateId).str("symbol", m.symbol);
            price(o, "bidPrice", m, b == null ? 0 : b.getKey());
            qty(o, "bidQty", m, b == null ? 0 : b.getValue()[0]);
            price(o, "askPrice", m, a == null ? 0 : a.getKey());
            qty(o, "askQty", m, a == null ? 0 : a.getValue()[0]);
            o.num("time", ts).endObject();
        }
        if (!one) {
            o.endArray();
        }
    }

    /** Candles of any interval, aggregated from the 1-minute ones; Binance's array layout. */
    public void klines(JsonOut o, MarketView m, long intervalMs, long startMs, long endMs, int limit) {
        final List<long[]> out = new ArrayList<>();
        long[] cur = null;
        for (long[] k : m.minutes) {
            final long open = Math.floorDiv(k[0], intervalMs) * intervalMs;
            if (cur == null || cur[0] != open) {
                cur = new long[] {open, k[1], k[2], k[3], k[4], 0, 0, 0, 0, 0};
                out.add(cur);
            }
            cur[2] = Math.max(cur[2], k[2]);
            cur[3] = Math.min(cur[3], k[3]);
            cur[4] = k[4];
            for (int i = 5; i < 10; i++) {
                cur[i] += k[i];
            }
        }
        final List<long[]> selected = new ArrayList<>();
        for (long[] k : out) {
            if ((startMs == Long.MIN_VALUE || k[0] + intervalMs > startMs) && (endMs == Long.MIN_VALUE || k[0] <= endMs)) {
                selected.add(k);
            }
        }
        final int from = startMs != Long.MIN_VALUE ? 0 : Math.max(0, selected.size() - limit);
        o.beginArray();
        for (int i = from, n = 0; i < selected.size() && n < limit; i++, n++) {
            final long[] k = selected.get(i);
            o.beginArray().value(k[0]);
            final int pd = Math.max(m.priceDecimals, 1);
            o.decValue(k[1], pd).decValue(k[2], pd).decValue(k[3], pd).decValue(k[4], pd).decValue(k[5], m.qtyDecimals)
                .value(k[0] + intervalMs - 1).decValue(k[6], 8).value(k[7]).decValue(k[8], m.qtyDecimals)
                .decValue(k[9], 8).value("0").endArray();
        }
        o.endArray();
    }

    public void fundingRates(JsonOut o, MarketView only, long startMs, long endMs, int limit) {
        final List<Object[]> rows = new ArrayList<>();
        for (MarketView m : model.markets()) {
            if (m == null || (only != null && m != only)) {
                continue;
            }
            for (long[] f : m.fundings) {
                if ((startMs == Long.MIN_VALUE || f[0] >= startMs) && (endMs == Long.MIN_VALUE || f[0] <= endMs)) {
                    rows.add(new Object[] {m, f});
                }
            }
        }
        rows.sort((x, y) -> Long.compare(((long[]) x[1])[0], ((long[]) y[1])[0]));
        final int from = startMs != Long.MIN_VALUE ? 0 : Math.max(0, rows.size() - limit);
        o.beginArray();
        for (int i = from, n = 0; i < rows.size() && n < limit; i++, n++) {
            final MarketView m = (MarketView) rows.get(i)[0];
            final long[] f = (long[]) rows.get(i)[1];
            o.beginObject().str("symbol", m.symbol);
            money(o, "fundingRate", f[1]);
            o.num("fundingTime", f[0]);
            price(o, "markPrice", m, f[2]).endObject();
        }
        o.endArray();
    }

    public void trades(JsonOut o, MarketView m, int limit) {
        o.beginArray();
        int skip = Math.max(0, m.trades.size() - limit);
        for (long[] t : m.trades) {
            if (skip-- > 0) {
                continue;
            }
            o.beginObject().num("id", t[0]);
            price(o, "price", m, t[1]);
            qty(o, "qty", m, t[2]);
            money(o, "quoteQty", t[3]);
            o.num("time", t[4]).bool("isBuyerMaker", t[5] == 1).endObject();
        }
        o.endArray();
    }

    public void storeAgg(MarketView m, long[] agg) {
        m.addAggTrade(agg);
    }

    public void aggTrades(JsonOut o, MarketView m, long fromId, long startMs, long endMs, int limit) {
        final List<long[]> rows = new ArrayList<>();
        for (long[] a : m.aggTrades) {
            if ((fromId == Long.MIN_VALUE || a[0] >= fromId) && (startMs == Long.MIN_VALUE || a[5] >= startMs)
                && (endMs == Long.MIN_VALUE || a[5] <= endMs)) {
                rows.add(a);
            }
        }
        final int from = fromId != Long.MIN_VALUE || startMs != Long.MIN_VALUE ? 0 : Math.max(0, rows.size() - limit);
        o.beginArray();
        for (int i = from, n = 0; i < rows.size() && n < limit; i++, n++) {
            aggFields(o.beginObject(), m, rows.get(i)).endObject();
        }
        o.endArray();
    }

    private static JsonOut aggFields(JsonOut o, MarketView m, long[] a) {
        o.num("a", a[0]);
        price(o, "p", m, a[1]);
        qty(o, "q", m, a[2]);
        return o.num("f", a[3]).num("l", a[4]).num("T", a[5]).bool("m", a[6] == 1);
    }

    // ------------------------------------------------------------------------------------------ market streams

    public CharSequence aggTradeEvent(JsonOut o, MarketView m, long[] a) {
        o.beginObject().str("e", "aggTrade").num("E", a[5]).str("s", m.symbol);
        aggFields(o, m, a).endObject();
        return o.sb();
    }

    public CharSequence tradeEvent(JsonOut o, MarketView m, EventView e, long ts) {
        o.beginObject().str("e", "trade").num("E", ts).num("T", ts).str("s", m.symbol).num("t", e.tradeId);
        price(o, "p", m, e.priceE8);
        qty(o, "q", m, e.qtyE8);
        o.str("X", "MARKET").bool("m", e.makerSide == Side.BUY).endObject();
        return o.sb();
    }

    public void depthDiff(JsonOut o, MarketView m, List<long[]> bids, List<long[]> asks, long ts) {
        o.beginObject().str("e", "depthUpdate").num("E", ts).num("T", ts).str("s", m.symbol)
            .num("U", m.bookUpdateId).num("u", m.bookUpdateId).num("pu", m.prevBookUpdateId);
        final int pd = Math.max(m.priceDecimals, 1);
        o.beginArray("b");
        for (long[] l : bids) {
            o.beginArray().decValue(l[0], pd).decValue(l[1], m.qtyDecimals).endArray();
        }
        o.endArray().beginArray("a");
        for (long[] l : asks) {
            o.beginArray().decValue(l[0], pd).decValue(l[1], m.qtyDecimals).endArray();
        }
        o.endArray().endObject();
    }

    public void depthPartial(JsonOut o, MarketView m, int levels, long ts) {
        o.beginObject().str("e", "depthUpdate").num("E", ts).num("T", ts).str("s", m.symbol)
            .num("U", m.bookUpdateId).num("u", m.bookUpdateId).num("pu", m.prevBookUpdateId);
        levels(o.beginArray("b"), m, m.bids, levels).endArray();
        levels(o.beginArray("a"), m, m.asks, levels).endArray();
        o.endObject();
    }

    /** True (and remembered) when the best bid or ask price changed since the last call. */
    public boolean bestChanged(MarketView m) {
        final long b = m.bids.isEmpty() ? 0 : m.bids.firstKey();
        final long a = m.asks.isEmpty() ? 0 : m.asks.firstKey();
        final long bq = m.bids.isEmpty() ? 0 : m.bids.firstEntry().getValue()[0];
        final long aq = m.asks.isEmpty() ? 0 : m.asks.firstEntry().getValue()[0];
        final long h = b * 31 + a * 17 + bq * 7 + aq;
        final boolean changed = b != m.bestBidE8 || a != m.bestAskE8 || h != m.bestHash;
        m.bestBidE8 = b;
        m.bestAskE8 = a;
        m.bestHash = h;
        return changed;
    }

    public void bookTicker(JsonOut o, MarketView m, long ts) {
        final Map.Entry<Long, long[]> b = m.bids.firstEntry();
        final Map.Entry<Long, long[]> a = m.asks.firstEntry();
        o.beginObject().str("e", "bookTicker").num("u", m.bookUpdateId).num("E", ts).num("T", ts).str("s", m.symbol);
        price(o, "b", m, b == null ? 0 : b.getKey());
        qty(o, "B", m, b == null ? 0 : b.getValue()[0]);
        price(o, "a", m, a == null ? 0 : a.getKey());
        qty(o, "A", m, a == null ? 0 : a.getValue()[0]);
        o.endObject();
    }

    public void markPriceUpdate(JsonOut o, MarketView m, long ts) {
        markFields(o.beginObject(), m, ts).endObject();
    }

    private static JsonOut markFields(JsonOut o, MarketView m, long ts) {
        o.str("e", "markPriceUpdate").num("E", ts).str("s", m.symbol);
        price(o, "p", m, m.markE8);
        price(o, "i", m, m.indexE8);
        price(o, "P", m, m.markE8);
        money(o, "r", m.fundingRateE8);
        return o.num("T", m.nextFundingTimeMs);
    }

    public void markPriceArray(JsonOut o, long ts) {
        o.beginArray();
        for (MarketView m : model.markets()) {
            if (m != null && m.markE8 != 0) {
                markFields(o.beginObject(), m, ts).endObject();
            }
        }
        o.endArray();
    }

    /**
     * {@code forceOrder}: one message per liquidation fill (every one: Binance samples one per symbol per second).
     */
    public void forceOrder(JsonOut o, MarketView m, EventView e, long ts) {
        o.beginObject().str("e", "forceOrder").num("E", ts).beginObject("o").str("s", m.symbol)
            .str("S", e.side == null ? "SELL" : e.side.name()).str("o", "LIMIT").str("f", "IOC");
        qty(o, "q", m, e.qtyE8);
        price(o, "p", m, e.priceE8);
        price(o, "ap", m, e.priceE8);
        o.str("X", "FILLED");
        qty(o, "l", m, e.qtyE8);
        qty(o, "z", m, e.qtyE8);
        o.num("T", ts).endObject().endObject();
    }

    // ------------------------------------------------------------------------------------------ user data

    /** A user-data message of the current command, rendered and pushed at its end. */
    public sealed interface UserUpdate permits OrderUpdate, AlgoUpdate {
        /** The account whose user streams receive it. */
        int accountId();

        /** Renders it into {@code o} (reset first) and returns the text. */
        CharSequence render(BinanceJson json, JsonOut o);
    }

    /** An ORDER event as it will be pushed (rendered at the end of the command, once its realised PnL is known). */
    public static final class OrderUpdate implements UserUpdate {
        public final int accountId;
        final MarketView market;
        final long orderId;
        final String clientId;
        final Side side;
        /** Binance's order type now ("o") and the type it was placed as ("ot"). */
        final String type;
        final String origType;
        final TimeInForce tif;
        /** Binance's execution type ("x"), order status ("X") and expiry reason ("er"). */
        final String exec;
        final String status;
        final int expireReason;
        final boolean reduceOnly;
        final StpMode stp;
        final long priceE8;
        final long origQtyE8;
        final long executedQtyE8;
        final long cumQuoteE8;
        final long lastQtyE8;
        final long lastPriceE8;
        final long feeE8;
        final long ts;
        final boolean conditional;
        final String workingType;
        final boolean closePosition;
        final boolean priceProtect;
        final long stopPriceE8;
        final long activationPriceE8;
        final long callbackRateE8;
        public long tradeId;
        public boolean maker;
        public long realizedPnlE8;

        public OrderUpdate(EventView e, OrderView view, long ts) {
            this.accountId = e.account;
            this.market = view.market;
            this.orderId = e.orderId;
            this.clientId = e.clientId.toString();
            this.side = e.side;
            this.origType = view.origType();
            this.type = view.binanceType();
            this.tif = e.timeInForce;
            this.reduceOnly = e.reduceOnly;
            this.stp = e.stpMode;
            this.priceE8 = e.priceE8;
            this.origQtyE8 = e.origQtyE8;
            this.executedQtyE8 = e.executedQtyE8;
            this.cumQuoteE8 = e.cumQuoteE8;
            this.lastQtyE8 = e.lastQtyE8;
            this.lastPriceE8 = e.lastPriceE8;
            this.feeE8 = e.lastFeeE8;
            this.ts = ts;
            this.conditional = e.conditional;
            this.workingType = e.conditional && e.workingType != null ? e.workingType.name() : "CONTRACT_PRICE";
            this.closePosition = e.conditional && e.closePosition;
            this.priceProtect = e.conditional && e.priceProtect;
            this.stopPriceE8 = e.conditional ? e.stopPriceE8 : 0;
            this.activationPriceE8 = e.conditional ? e.activationPriceE8 : 0;
            this.callbackRateE8 = e.conditional ? e.callbackRateE8 : 0;
            if (e.status == OrderStatus.TRIGGERED) {
                // the fired order is placed: new, as the LIMIT or MARKET order it became ("ot" keeps the stop type)
                this.exec = "NEW";
                this.status = "NEW";
            } else if (e.status == OrderStatus.REJECTED) {
                // the order a stop became was refused as a new order: Binance's futures orders end EXPIRED
                this.exec = "EXPIRED";
                this.status = "EXPIRED";
            } else {
                this.exec = e.execType == null ? "NEW" : e.execType.name();
                this.status = e.status.name();
            }
            this.expireReason = e.status == OrderStatus.EXPIRED ? expireReason(e.expireReason) : 0;
        }

        /** The same order's update with other type, execution type, status and expiry reason. */
        private OrderUpdate(OrderUpdate u, String type, String exec, String status, int expireReason) {
            this.accountId = u.accountId;
            this.market = u.market;
            this.orderId = u.orderId;
            this.clientId = u.clientId;
            this.side = u.side;
            this.type = type;
            this.origType = u.origType;
            this.tif = u.tif;
            this.exec = exec;
            this.status = status;
            this.expireReason = expireReason;
            this.reduceOnly = u.reduceOnly;
            this.stp = u.stp;
            this.priceE8 = u.priceE8;
            this.origQtyE8 = u.origQtyE8;
            this.executedQtyE8 = u.executedQtyE8;
            this.cumQuoteE8 = u.cumQuoteE8;
            this.lastQtyE8 = u.lastQtyE8;
            this.lastPriceE8 = u.lastPriceE8;
            this.feeE8 = u.feeE8;
            this.ts = u.ts;
            this.conditional = u.conditional;
            this.workingType = u.workingType;
            this.closePosition = u.closePosition;
            this.priceProtect = u.priceProtect;
            this.stopPriceE8 = u.stopPriceE8;
            this.activationPriceE8 = u.activationPriceE8;
            this.callbackRateE8 = u.callbackRateE8;
        }

        /**
         * Binance's first message when a stop fires: the stop order itself EXPIRED with expiry reason 8 ("the initial
         * order has expired after the stop order is triggered"), before the order it became shows as NEW.
         */
        public OrderUpdate stopExpiredOnTrigger() {
            return new OrderUpdate(this, origType, "EXPIRED", "EXPIRED", 8);
        }

        @Override
        public int accountId() {
            return accountId;
        }

        @Override
        public CharSequence render(BinanceJson json, JsonOut o) {
            return json.orderTradeUpdate(o.reset(), this);
        }

        /** Binance's expiry reasons ("er") for the engine's. */
        static int expireReason(ExpireReason r) {
            if (r == null) {
                return 0;
            }
            return switch (r) {
                case SELF_TRADE -> 1;
                case IOC -> 2;
                case REDUCE_ONLY -> 4;
                case MARKET_BAND -> 9;
                default -> 0;
            };
        }
    }

    public CharSequence orderTradeUpdate(JsonOut o, OrderUpdate u) {
        final MarketView m = u.market;
        o.beginObject().str("e", "ORDER_TRADE_UPDATE").num("E", u.ts).num("T", u.ts).beginObject("o")
            .str("s", m.symbol).str("c", u.clientId).str("S", u.side == null ? "BUY" : u.side.name()).str("o", u.type)
            .str("f", u.tif == null ? "GTC" : u.tif.name());
        qty(o, "q", m, u.origQtyE8);
        price(o, "p", m, u.priceE8);
        price(o, "ap", m, u.executedQtyE8 == 0 ? 0 : Fixed.mulDivFloor(u.cumQuoteE8, Fixed.E8, u.executedQtyE8));
        price(o, "sp", m, u.stopPriceE8);
        o.str("x", u.exec).str("X", u.status).num("i", u.orderId);
        qty(o, "l", m, u.lastQtyE8);
        qty(o, "z", m, u.executedQtyE8);
        price(o, "L", m, u.lastPriceE8);
        o.str("N", "USDT");
        money(o, "n", u.feeE8);
        o.num("T", u.ts).num("t", u.lastQtyE8 == 0 ? 0 : u.tradeId).str("b", "0").str("a", "0").bool("m", u.maker)
            .bool("R", u.reduceOnly).str("wt", u.workingType).str("ot", u.origType).str("ps", "BOTH")
            .bool("cp", u.closePosition);
        if ("TRAILING_STOP_MARKET".equals(u.origType)) {
            price(o, "AP", m, u.activationPriceE8);
            o.str("cr", plain(u.callbackRateE8));
        }
        money(o, "rp", u.realizedPnlE8);
        o.bool("pP", u.priceProtect).num("si", 0).num("ss", 0).str("V", u.stp == null ? "NONE" : u.stp.name())
            .str("pm", "NONE").num("gtd", 0).num("er", u.expireReason).endObject().endObject();
        return o.sb();
    }

    /** A conditional order's algo status as it will be pushed (ALGO_UPDATE): a snapshot of the order then. */
    public static final class AlgoUpdate implements UserUpdate {
        public final int accountId;
        final MarketView market;
        final long orderId;
        final String clientId;
        final String side;
        final String type;
        final String tif;
        final long origQtyE8;
        final String algoStatus;
        final boolean triggered;
        final String actualType;
        final long avgPriceE8;
        final long executedQtyE8;
        final long stopPriceE8;
        final long priceE8;
        final String stp;
        final String workingType;
        final boolean closePosition;
        final boolean priceProtect;
        final boolean reduceOnly;
        final long activationPriceE8;
        final long callbackRateE8;
        final long triggerTimeMs;
        final String rejectMsg;
        final long ts;

        public AlgoUpdate(OrderView v, long ts) {
            this.accountId = v.accountId;
            this.market = v.market;
            this.orderId = v.orderId;
            this.clientId = v.clientOrderId;
            this.side = v.side == null ? "BUY" : v.side.name();
            this.type = v.origType();
            this.tif = v.timeInForce == null ? "GTC" : v.timeInForce.name();
            this.origQtyE8 = v.origQtyE8;
            this.algoStatus = v.algoStatus();
            this.triggered = v.isTriggered();
            this.actualType = v.binanceType();
            this.avgPriceE8 = v.avgPriceE8();
            this.executedQtyE8 = v.executedQtyE8;
            this.stopPriceE8 = v.stopPriceE8;
            this.priceE8 = v.type == OrderType.STOP || v.type == OrderType.TAKE_PROFIT ? v.priceE8 : 0;
            this.stp = v.stpMode == null ? "NONE" : v.stpMode.name();
            this.workingType = workingType(v);
            this.closePosition = v.closePosition;
            this.priceProtect = v.priceProtect;
            this.reduceOnly = v.reduceOnly;
            this.activationPriceE8 = v.activationPriceE8;
            this.callbackRateE8 = v.callbackRateE8;
            this.triggerTimeMs = v.triggerTimeMs;
            this.rejectMsg = v.rejectMsg;
            this.ts = ts;
        }

        @Override
        public int accountId() {
            return accountId;
        }

        @Override
        public CharSequence render(BinanceJson json, JsonOut o) {
            return json.algoUpdate(o.reset(), this);
        }
    }

    /**
     * ALGO_UPDATE, Binance's user-data event of its algo service: NEW, CANCELED, EXPIRED, TRIGGERED (with the
     * order it placed, {@code ai}: here the same order id), FINISHED, REJECTED (with why, {@code rm}).
     */
    public CharSequence algoUpdate(JsonOut o, AlgoUpdate u) {
        final MarketView m = u.market;
        o.beginObject().str("e", "ALGO_UPDATE").num("T", u.ts).num("E", u.ts).beginObject("o")
            .str("caid", u.clientId).num("aid", u.orderId).str("at", "CONDITIONAL").str("o", u.type)
            .str("s", m.symbol).str("S", u.side).str("ps", "BOTH").str("f", u.tif);
        qty(o, "q", m, u.origQtyE8);
        o.str("X", u.algoStatus).str("ai", u.triggered ? Long.toString(u.orderId) : "");
        if (u.triggered) {
            price(o, "ap", m, u.avgPriceE8);
            qty(o, "aq", m, u.executedQtyE8);
            o.str("act", u.actualType);
        }
        price(o, "tp", m, u.stopPriceE8);
        price(o, "p", m, u.priceE8);
        o.str("V", u.stp).str("wt", u.workingType).str("pm", "NONE").bool("cp", u.closePosition)
            .bool("pP", u.priceProtect).bool("R", u.reduceOnly);
        if ("TRAILING_STOP_MARKET".equals(u.type)) {
            price(o, "AP", m, u.activationPriceE8);
            o.str("cr", plain(u.callbackRateE8));
        }
        o.num("tt", u.triggerTimeMs).num("gtd", 0);
        if (u.rejectMsg != null) {
            o.str("rm", u.rejectMsg);
        }
        o.endObject().endObject();
        return o.sb();
    }

    static String accountUpdateReason(int code) {
        if (code == MARGIN_TYPE_CHANGE) {
            return "MARGIN_TYPE_CHANGE";
        }
        final AccountReason r = code < 0 ? null : AccountReason.fromCode(code);
        if (r == null) {
            return "ORDER";
        }
        return switch (r) {
            case DEPOSIT -> "DEPOSIT";
            case WITHDRAW -> "WITHDRAW";
            case FUNDING_FEE -> "FUNDING_FEE";
            case MARGIN_TRANSFER -> "MARGIN_TRANSFER";
            case SETTINGS -> "MARGIN_TYPE_CHANGE";
            default -> "ORDER";
        };
    }

    public CharSequence accountUpdate(JsonOut o, AccountView a, int reasonCode, long changeE8, List<Integer> markets,
                                      long ts) {
        o.beginObject().str("e", "ACCOUNT_UPDATE").num("E", ts).num("T", ts).beginObject("a")
            .str("m", accountUpdateReason(reasonCode));
        o.beginArray("B").beginObject().str("a", "USDT");
        money(o, "wb", a.walletE8);
        money(o, "cw", a.crossWalletE8());
        money(o, "bc", changeE8).endObject().endArray();
        o.beginArray("P");
        for (int id : markets) {
            final MarketView m = model.market(id);
            final AccountView.PositionFigures p = a.positions.get(id);
            if (m == null || p == null) {
                continue;
            }
            o.beginObject().str("s", m.symbol);
            qty(o, "pa", m, p.qtyE8);
            price(o, "ep", m, p.entryPriceE8());
            price(o, "bep", m, p.entryPriceE8());
            money(o, "cr", p.realizedPnlE8);
            money(o, "up", p.unrealizedPnlE8);
            o.str("mt", p.isolated ? "isolated" : "cross");
            money(o, "iw", p.isolated ? p.isolatedMarginE8 : 0);
            o.str("ps", "BOTH").endObject();
        }
        o.endArray().endObject().endObject();
        return o.sb();
    }

    public CharSequence accountConfigUpdate(JsonOut o, MarketView m, int leverage, long ts) {
        o.beginObject().str("e", "ACCOUNT_CONFIG_UPDATE").num("E", ts).num("T", ts).beginObject("ac")
            .str("s", m.symbol).num("l", leverage).endObject().endObject();
        return o.sb();
    }

    /** MARGIN_CALL: the account (market -1: its cross margin) or isolated position at or below maintenance margin. */
    public CharSequence marginCall(JsonOut o, AccountView a, int marketId, long ts) {
        o.beginObject().str("e", "MARGIN_CALL").num("E", ts);
        money(o, "cw", a.crossWalletE8());
        o.beginArray("p");
        for (AccountView.PositionFigures p : sortedPositions(a)) {
            if (p.qtyE8 == 0 || (marketId >= 0 ? p.marketId != marketId : p.isolated)) {
                continue;
            }
            final MarketView m = model.market(p.marketId);
            o.beginObject().str("s", m.symbol).str("ps", "BOTH");
            qty(o, "pa", m, p.qtyE8);
            o.str("mt", p.isolated ? "ISOLATED" : "CROSSED");
            money(o, "iw", p.isolated ? p.isolatedMarginE8 : 0);
            price(o, "mp", m, p.markE8);
            money(o, "up", p.unrealizedPnlE8);
            money(o, "mm", p.maintMarginE8).endObject();
        }
        o.endArray().endObject();
        return o.sb();
    }

    private static List<AccountView.PositionFigures> sortedPositions(AccountView a) {
        final List<AccountView.PositionFigures> l = new ArrayList<>(a.positions.values());
        l.sort((x, y) -> Integer.compare(x.marketId, y.marketId));
        return l;
    }

    // ------------------------------------------------------------------------------------------ trading answers

    /** An order as Binance answers it; {@code ack} shows it as accepted (before matching), {@code withTime} adds time. */
    public void order(JsonOut o, OrderView v, boolean ack, boolean withTime) {
        final MarketView m = v.market;
        o.beginObject().num("orderId", v.orderId).str("symbol", m.symbol)
            .str("status", ack ? "NEW" : v.binanceStatus()).str("clientOrderId", v.clientOrderId);
        price(o, "price", m, v.type == OrderType.MARKET ? 0 : v.priceE8);
        price(o, "avgPrice", m, ack ? 0 : v.avgPriceE8());
        qty(o, "origQty", m, v.origQtyE8);
        qty(o, "executedQty", m, ack ? 0 : v.executedQtyE8);
        qty(o, "cumQty", m, ack ? 0 : v.executedQtyE8);
        money(o, "cumQuote", ack ? 0 : v.cumQuoteE8);
        o.str("timeInForce", v.timeInForce == null ? "GTC" : v.timeInForce.name())
            .str("type", ack ? v.origType() : v.binanceType())
            .bool("reduceOnly", v.reduceOnly).bool("closePosition", v.closePosition)
            .str("side", v.side == null ? "BUY" : v.side.name()).str("positionSide", "BOTH");
        price(o, "stopPrice", m, v.stopPriceE8);
        o.str("workingType", workingType(v)).bool("priceProtect", v.priceProtect).str("origType", v.origType());
        if (v.type == OrderType.TRAILING_STOP_MARKET) {
            // Binance: activatePrice and priceRate (the callback rate in percent) on trailing stops only
            price(o, "activatePrice", m, v.activationPriceE8);
            o.str("priceRate", plain(v.callbackRateE8));
        }
        o.str("priceMatch", "NONE").str("selfTradePreventionMode", v.stpMode == null ? "NONE" : v.stpMode.name())
            .num("goodTillDate", 0);
        if (withTime) {
            o.num("time", v.timeMs);
        }
        o.num("updateTime", ack ? v.timeMs : v.updateTimeMs).endObject();
    }

    private static String workingType(OrderView v) {
        return v.workingType == null ? "CONTRACT_PRICE" : v.workingType.name();
    }

    /**
     * A conditional order as Binance's algo service answers it (POST, GET and DELETE /fapi/v1/algoOrder,
     * openAlgoOrders, allAlgoOrders): the algo id is the engine's order id, and so is {@code actualOrderId} once it
     * fired (the engine keeps one order from placement to fill).
     */
    public void algoOrder(JsonOut o, OrderView v) {
        final MarketView m = v.market;
        final boolean trailing = v.type == OrderType.TRAILING_STOP_MARKET;
        o.beginObject().num("algoId", v.orderId).str("clientAlgoId", v.clientOrderId).str("algoType", "CONDITIONAL")
            .str("orderType", v.origType()).str("symbol", m.symbol).str("side", v.side == null ? "BUY" : v.side.name())
            .str("positionSide", "BOTH").str("timeInForce", v.timeInForce == null ? "GTC" : v.timeInForce.name());
        qty(o, "quantity", m, v.origQtyE8);
        o.str("algoStatus", v.algoStatus()).str("actualOrderId", v.isTriggered() ? Long.toString(v.orderId) : "");
        price(o, "actualPrice", m, v.avgPriceE8());
        price(o, "triggerPrice", m, v.stopPriceE8);
        price(o, "price", m, v.type == OrderType.STOP || v.type == OrderType.TAKE_PROFIT ? v.priceE8 : 0);
        o.nul("icebergQuantity");
        price(o, "tpTriggerPrice", m, 0);
        price(o, "tpPrice", m, 0);
        price(o, "slTriggerPrice", m, 0);
        price(o, "slPrice", m, 0);
        o.str("tpOrderType", "").str("selfTradePreventionMode", v.stpMode == null ? "NONE" : v.stpMode.name())
            .str("workingType", workingType(v)).str("priceMatch", "NONE").bool("closePosition", v.closePosition)
            .bool("priceProtect", v.priceProtect).bool("reduceOnly", v.reduceOnly);
        if (trailing) {
            price(o, "activatePrice", m, v.activationPriceE8);
            o.str("callbackRate", plain(v.callbackRateE8));
        }
        o.num("createTime", v.timeMs).num("updateTime", v.updateTimeMs).num("triggerTime", v.triggerTimeMs)
            .num("goodTillDate", 0).endObject();
    }

    /** The account's waiting conditional orders (of one market, or all), in placement order. */
    public void openAlgoOrders(JsonOut o, AccountView a, MarketView only, long algoId) {
        o.beginArray();
        if (a != null) {
            for (OrderView v : a.openOrders.values()) {
                if (v.isWaiting() && (only == null || v.market == only) && (algoId == 0 || v.orderId == algoId)) {
                    algoOrder(o, v);
                }
            }
        }
        o.endArray();
    }

    /** The account's recent conditional orders of one market, open or not, oldest first. */
    public void allAlgoOrders(JsonOut o, AccountView a, MarketView m, long startMs, long endMs, int limit) {
        final List<OrderView> rows = new ArrayList<>();
        if (a != null) {
            for (OrderView v : a.recentOrders) {
                if (v.conditional && v.market == m && (startMs == Long.MIN_VALUE || v.timeMs >= startMs)
                    && (endMs == Long.MIN_VALUE || v.timeMs <= endMs)) {
                    rows.add(v);
                }
            }
        }
        o.beginArray();
        for (int i = Math.max(0, rows.size() - limit); i < rows.size(); i++) {
            algoOrder(o, rows.get(i));
        }
        o.endArray();
    }

    public void openOrders(JsonOut o, AccountView a, MarketView only) {
        o.beginArray();
        if (a != null) {
            for (OrderView v : a.openOrders.values()) {
                if (only == null || v.market == only) {
                    order(o, v, false, true);
                }
            }
        }
        o.endArray();
    }

    public void allOrders(JsonOut o, AccountView a, MarketView m, long startMs, long endMs, int limit) {
        final List<OrderView> rows = new ArrayList<>();
        if (a != null) {
            for (OrderView v : a.recentOrders) {
                if (v.market == m && (startMs == Long.MIN_VALUE || v.timeMs >= startMs)
                    && (endMs == Long.MIN_VALUE || v.timeMs <= endMs)) {
                    rows.add(v);
                }
            }
        }
        o.beginArray();
        for (int i = Math.max(0, rows.size() - limit); i < rows.size(); i++) {
            order(o, rows.get(i), false, true);
        }
        o.endArray();
    }

    private long notionalCap(MarketView m, int tierIndex) {
        final List<long[]> t = tiers(m);
        return tierIndex + 1 < t.size() ? t.get(tierIndex + 1)[0] : 50_000_000_000L * Fixed.E8 / 10;
    }

    /** The market's tiers from its BRACKET events, or the engine's default single tier while there are none. */
    List<long[]> tiers(MarketView m) {
        if (!m.brackets.isEmpty()) {
            return m.brackets;
        }
        final Brackets b = new Brackets();
        b.setDefault((int) m.param(MarketParam.MAX_LEVERAGE));
        final List<long[]> l = new ArrayList<>();
        for (int i = 0; i < b.count(); i++) {
            l.add(new long[] {b.floorE8(i), b.mmrE8(i), b.cumE8(i), b.maxLeverage(i)});
        }
        return l;
    }

    public void leverageBrackets(JsonOut o, MarketView only) {
        o.beginArray();
        for (MarketView m : model.markets()) {
            if (m == null || (only != null && m != only)) {
                continue;
            }
            o.beginObject().str("symbol", m.symbol).raw("notionalCoef", "1.0").beginArray("brackets");
            final List<long[]> t = tiers(m);
            for (int i = 0; i < t.size(); i++) {
                final long[] b = t.get(i);
                o.beginObject().num("bracket", i + 1).num("initialLeverage", b[3])
                    .raw("notionalCap", plain(notionalCap(m, i))).raw("notionalFloor", plain(b[0]))
                    .raw("maintMarginRatio", plain(b[1])).raw("cum", plain(b[2])).endObject();
            }
            o.endArray().endObject();
        }
        o.endArray();
    }

    private static String plain(long e8) {
        return org.perpcore.core.num.Decimal.toPlain(e8);
    }

    /** The answer to POST /fapi/v1/leverage: the largest notional the new leverage allows, from the tiers. */
    public void leverage(JsonOut o, MarketView m, int leverage) {
        final List<long[]> t = tiers(m);
        long cap = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i)[3] >= leverage) {
                cap = notionalCap(m, i);
            }
        }
        o.beginObject().num("leverage", leverage).str("maxNotionalValue", plain(cap)).str("symbol", m.symbol)
            .endObject();
    }

    public void commissionRate(JsonOut o, MarketView m) {
        o.beginObject().str("symbol", m.symbol).str("makerCommissionRate", plain(m.param(MarketParam.MAKER_FEE)))
            .str("takerCommissionRate", plain(m.param(MarketParam.TAKER_FEE))).endObject();
    }

    /** Initial margin of a position as Binance shows it: notional at the mark over the leverage. */
    private static long initialMarginE8(AccountView.PositionFigures p) {
        return p.leverage <= 0 ? 0 : Math.abs(p.notionalE8) / p.leverage;
    }

    private boolean hasOpenOrders(AccountView a, int marketId) {
        for (OrderView v : a.openOrders.values()) {
            if (v.market.id == marketId) {
                return true;
            }
        }
        return false;
    }

    public void positionRisk(JsonOut o, AccountView a, MarketView only, boolean v3, long ts) {
        o.beginArray();
        if (a != null) {
            for (AccountView.PositionFigures p : sortedPositions(a)) {
                final MarketView m = model.market(p.marketId);
                if (m == null || (only != null && m != only) || (v3 && p.qtyE8 == 0 && !hasOpenOrders(a, m.id))) {
                    continue;
                }
                o.beginObject().str("symbol", m.symbol).str("positionSide", "BOTH");
                qty(o, "positionAmt", m, p.qtyE8);
                price(o, "entryPrice", m, p.entryPriceE8());
                price(o, "breakEvenPrice", m, p.entryPriceE8());
                price(o, "markPrice", m, p.markE8);
                money(o, "unRealizedProfit", p.unrealizedPnlE8);
                price(o, "liquidationPrice", m, p.liquidationPriceE8);
                money(o, "isolatedMargin", p.isolated ? p.isolatedMarginE8 + p.unrealizedPnlE8 : 0);
                money(o, "notional", p.notionalE8);
                o.str("marginAsset", "USDT");
                money(o, "isolatedWallet", p.isolated ? p.isolatedMarginE8 : 0);
                money(o, "initialMargin", initialMarginE8(p));
                money(o, "maintMargin", p.maintMarginE8);
                money(o, "positionInitialMargin", initialMarginE8(p));
                money(o, "openOrderInitialMargin", 0);
                o.num("adl", p.adl).str("bidNotional", "0").str("askNotional", "0")
                    .str("marginType", p.isolated ? "isolated" : "cross").str("isAutoAddMargin", "false")
                    .str("leverage", Integer.toString(p.leverage));
                if (!v3) {
                    o.str("maxNotionalValue", plain(maxNotional(m, p.leverage)));
                }
                o.num("updateTime", p.updateTimeMs).endObject();
            }
        }
        o.endArray();
    }

    private long maxNotional(MarketView m, int leverage) {
        final List<long[]> t = tiers(m);
        long cap = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i)[3] >= leverage) {
                cap = notionalCap(m, i);
            }
        }
        return cap;
    }

    public void account(JsonOut o, AccountView a, boolean v3, long ts) {
        long upnl = 0;
        long crossUpnl = 0;
        long positionIm = 0;
        if (a != null) {
            for (AccountView.PositionFigures p : a.positions.values()) {
                upnl += p.unrealizedPnlE8;
                if (!p.isolated) {
                    crossUpnl += p.unrealizedPnlE8;
                }
                positionIm += initialMarginE8(p);
            }
        }
        final long wallet = a == null ? 0 : a.walletE8;
        final long marginBalance = a == null ? 0 : a.marginBalanceE8;
        final long maint = a == null ? 0 : a.maintMarginE8;
        final long available = a == null ? 0 : a.availableE8;
        final long totalIm = Math.max(0, marginBalance - available);
        final long crossWallet = a == null ? 0 : a.crossWalletE8();
        o.beginObject();
        if (!v3) {
            o.num("feeTier", 0).bool("canTrade", true).bool("canDeposit", true).bool("canWithdraw", true)
                .num("updateTime", 0).bool("multiAssetsMargin", false).num("tradeGroupId", -1);
        }
        money(o, "totalInitialMargin", totalIm);
        money(o, "totalMaintMargin", maint);
        money(o, "totalWalletBalance", wallet);
        money(o, "totalUnrealizedProfit", upnl);
        money(o, "totalMarginBalance", marginBalance);
        money(o, "totalPositionInitialMargin", Math.min(positionIm, totalIm));
        money(o, "totalOpenOrderInitialMargin", Math.max(0, totalIm - positionIm));
        money(o, "totalCrossWalletBalance", crossWallet);
        money(o, "totalCrossUnPnl", crossUpnl);
        money(o, "availableBalance", available);
        money(o, "maxWithdrawAmount", available);
        o.beginArray("assets").beginObject().str("asset", "USDT");
        money(o, "walletBalance", wallet);
        money(o, "unrealizedProfit", upnl);
        money(o, "marginBalance", marginBalance);
        money(o, "maintMargin", maint);
        money(o, "initialMargin", totalIm);
        money(o, "positionInitialMargin", Math.min(positionIm, totalIm));
        money(o, "openOrderInitialMargin", Math.max(0, totalIm - positionIm));
        money(o, "crossWalletBalance", crossWallet);
        money(o, "crossUnPnl", crossUpnl);
        money(o, "availableBalance", available);
        money(o, "maxWithdrawAmount", available);
        o.bool("marginAvailable", true).num("updateTime", a == null ? 0 : a.updateTimeMs).endObject().endArray();
        o.beginArray("positions");
        if (a != null) {
            for (AccountView.PositionFigures p : sortedPositions(a)) {
                final MarketView m = model.market(p.marketId);
                if (m == null || (v3 && p.qtyE8 == 0 && !hasOpenOrders(a, m.id))) {
                    continue;
                }
                o.beginObject().str("symbol", m.symbol).str("positionSide", "BOTH");
                qty(o, "positionAmt", m, p.qtyE8);
                money(o, "unrealizedProfit", p.unrealizedPnlE8);
                money(o, "isolatedMargin", p.isolated ? p.isolatedMarginE8 + p.unrealizedPnlE8 : 0);
                money(o, "notional", p.notionalE8);
                money(o, "isolatedWallet", p.isolated ? p.isolatedMarginE8 : 0);
                money(o, "initialMargin", initialMarginE8(p));
                money(o, "maintMargin", p.maintMarginE8);
                if (!v3) {
                    price(o, "entryPrice", m, p.entryPriceE8());
                    o.str("leverage", Integer.toString(p.leverage)).bool("isolated", p.isolated);
                }
                o.num("updateTime", p.updateTimeMs).endObject();
            }
        }
        o.endArray().endObject();
    }

    public void balance(JsonOut o, AccountView a, long ts) {
        long crossUpnl = 0;
        if (a != null) {
            for (AccountView.PositionFigures p : a.positions.values()) {
                if (!p.isolated) {
                    crossUpnl += p.unrealizedPnlE8;
                }
            }
        }
        o.beginArray().beginObject().str("accountAlias", a == null ? "" : a.name).str("asset", "USDT");
        money(o, "balance", a == null ? 0 : a.walletE8);
        money(o, "crossWalletBalance", a == null ? 0 : a.crossWalletE8());
        money(o, "crossUnPnl", crossUpnl);
        money(o, "availableBalance", a == null ? 0 : a.availableE8);
        money(o, "maxWithdrawAmount", a == null ? 0 : a.availableE8);
        o.bool("marginAvailable", true).num("updateTime", a == null ? 0 : a.updateTimeMs).endObject().endArray();
    }

    public void userTrades(JsonOut o, AccountView a, MarketView m, long orderId, long fromId, long startMs,
                           long endMs, int limit) {
        final List<long[]> rows = new ArrayList<>();
        if (a != null) {
            for (long[] t : a.trades) {
                if (t[1] == m.id && (orderId == 0 || t[2] == orderId) && (fromId == Long.MIN_VALUE || t[0] >= fromId)
                    && (startMs == Long.MIN_VALUE || t[10] >= startMs) && (endMs == Long.MIN_VALUE || t[10] <= endMs)) {
                    rows.add(t);
                }
            }
        }
        final int from = fromId != Long.MIN_VALUE || startMs != Long.MIN_VALUE ? 0 : Math.max(0, rows.size() - limit);
        o.beginArray();
        for (int i = from, n = 0; i < rows.size() && n < limit; i++, n++) {
            final long[] t = rows.get(i);
            o.beginObject().bool("buyer", t[3] == 1);
            money(o, "commission", t[7]);
            o.str("commissionAsset", "USDT").num("id", t[0]).bool("maker", t[9] == 1).num("orderId", t[2]);
            price(o, "price", m, t[4]);
            qty(o, "qty", m, t[5]);
            money(o, "quoteQty", t[6]);
            money(o, "realizedPnl", t[8]);
            o.str("side", t[3] == 1 ? "BUY" : "SELL").str("positionSide", "BOTH").str("symbol", m.symbol)
                .num("time", t[10]).endObject();
        }
        o.endArray();
    }

    /** The admin answer to a state query. */
    public String state(EventView e, long seq) {
        return "{\"stateHash\":\"" + String.format("%016x", e.stateHash) + "\",\"markets\":" + e.marketCount
            + ",\"accounts\":" + e.accountCount + ",\"openOrders\":" + e.openOrderCount + ",\"seq\":" + seq + "}";
    }
}
