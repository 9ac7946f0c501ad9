package org.perpcore.core.scenario;

import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.num.Decimal;
import org.perpcore.core.num.Fixed;

/**
 * Renders engine events as JSON lines, the format of {@code docs/SCENARIO.md}: one object per event, {@code seq},
 * {@code ts} and {@code type} first, Binance field names, decimals as strings. Prices print with the market's tick
 * decimals, quantities with its step decimals, money with 8.
 *
 * <p>Stateful: it learns account names and market specifications from the ACCOUNT_CREATED and MARKET events it
 * renders (the event stream describes itself), so feed it every event from the start of a run.
 */
public final class EventJson {
    private final EventView view = new EventView();
    private final List<String> accountNames = new ArrayList<>();
    private final List<String> symbols = new ArrayList<>();
    private final List<int[]> decimals = new ArrayList<>();

    /** Renders every event of one command as lines appended to {@code out}, each ending in '\n'. */
    public void render(long seq, long ts, EventBuffer events, StringBuilder out) {
        render(seq, ts, events.buffer(), 0, events.length(), out);
    }

    /** Renders the events in {@code buffer[offset, offset + length)}. */
    public void render(long seq, long ts, DirectBuffer buffer, int offset, int length, StringBuilder out) {
        int p = offset;
        final int end = offset + length;
        while (p < end) {
            final int n = view.decode(buffer, p);
            if (n <= 0) {
                out.append("{\"seq\":").append(seq).append(",\"ts\":").append(ts)
                    .append(",\"type\":\"UNKNOWN\"}\n");
                return;
            }
            renderOne(seq, ts, out);
            p += n;
        }
    }

    private void renderOne(long seq, long ts, StringBuilder out) {
        final EventView e = view;
        out.append("{\"seq\":").append(seq).append(",\"ts\":").append(ts).append(",\"type\":\"")
            .append(e.type.name()).append('"');
        switch (e.type) {
            case MARKET -> market(e, out);
            case ACCOUNT_CREATED -> {
                while (accountNames.size() <= e.account) {
                    accountNames.add(null);
                }
                accountNames.set(e.account, e.name.toString());
                str(out, "account", e.name.toString());
            }
            case ACCOUNT -> {
                str(out, "account", account(e.account));
                str(out, "reason", e.accountReason == null ? "?" : e.accountReason.name());
                money(out, "walletBalance", e.walletE8);
                money(out, "marginBalance", e.marginBalanceE8);
                money(out, "maintMargin", e.maintMarginE8);
                money(out, "availableBalance", e.availableE8);
                money(out, "balanceChange", e.changeE8);
            }
            case ORDER -> order(e, out);
            case TRADE -> {
                final int[] d = decimals(e.market);
                str(out, "symbol", symbol(e.market));
                out.append(",\"tradeId\":").append(e.tradeId);
                price(out, "price", e.priceE8, d);
                qty(out, "qty", e.qtyE8, d);
                money(out, "quoteQty", Fixed.mulDivFloor(e.priceE8, e.qtyE8, Fixed.E8));
                str(out, "buyer", account(e.buyer));
                str(out, "seller", account(e.seller));
                str(out, "maker", account(e.makerSide == org.perpcore.core.model.Side.BUY ? e.buyer : e.seller));
                str(out, "makerSide", e.makerSide == null ? "?" : e.makerSide.name());
                out.append(",\"buyOrderId\":").append(e.buyOrderId);
                out.append(",\"sellOrderId\":").append(e.sellOrderId);
                money(out, "buyerCommission", e.buyerFeeE8);
                money(out, "sellerCommission", e.sellerFeeE8);
            }
            case REJECT -> {
                str(out, "command", e.command == null ? "unknown" : e.command.keyword());
                if (!e.name.isEmpty()) {
                    str(out, "account", e.name.toString());
                }
                if (!e.symbol.isEmpty()) {
                    str(out, "symbol", e.symbol.toString());
                }
                if (!e.clientId.isEmpty()) {
                    str(out, "clientOrderId", e.clientId.toString());
                }
                if (e.orderId != 0) {
                    out.append(",\"orderId\":").append(e.orderId);
                }
                reject(out, e.reject);
            }
            case MARK -> {
                final int[] d = decimals(e.market);
                str(out, "symbol", symbol(e.market));
                price(out, "markPrice", e.markE8, d);
                price(out, "indexPrice", e.indexE8, d);
                str(out, "fundingRate", Decimal.toString(e.fundingRateE8, 8));
                out.append(",\"nextFundingTime\":").append(e.nextFundingTimeMs);
            }
            case FUNDING -> {
                final int[] d = decimals(e.market);
                str(out, "symbol", symbol(e.market));
                str(out, "fundingRate", Decimal.toString(e.fundingRateE8, 8));
                price(out, "markPrice", e.markE8, d);
                if (e.account >= 0) {
                    str(out, "account", account(e.account));
                    money(out, "amount", e.amountE8);
                } else {
                    money(out, "residue", e.amountE8);
                }
            }
            case POSITION -> {
                final int[] d = decimals(e.market);
                str(out, "account", account(e.account));
                str(out, "symbol", symbol(e.market));
                str(out, "reason", e.accountReason == null ? "?" : e.accountReason.name());
                qty(out, "positionAmt", e.qtyE8, d);
                final long entry = e.qtyE8 == 0 ? 0 : Fixed.mulDivFloor(e.costE8, Fixed.E8, Math.abs(e.qtyE8));
                price(out, "entryPrice", entry, d);
                price(out, "markPrice", e.markE8, d);
                money(out, "unRealizedProfit", e.unrealizedPnlE8);
                price(out, "liquidationPrice", e.liquidationPriceE8 == Long.MAX_VALUE ? 0 : e.liquidationPriceE8, d);
                money(out, "notional", e.qtyE8 < 0 ? -e.notionalE8 : e.notionalE8);
                str(out, "marginType", e.isolated ? "isolated" : "cross");
                money(out, "isolatedMargin", e.isolatedMarginE8);
                out.append(",\"leverage\":").append(e.leverage);
                money(out, "maintMargin", e.maintMarginE8);
                money(out, "realizedPnl", e.realizedPnlE8);
                out.append(",\"adl\":").append(e.adlQuantile);
            }
            case MARGIN_CALL -> {
                str(out, "account", account(e.account));
                if (e.market >= 0) {
                    str(out, "symbol", symbol(e.market));
                }
                str(out, "marginType", e.market >= 0 ? "isolated" : "cross");
                money(out, "marginBalance", e.marginBalanceE8);
                money(out, "maintMargin", e.maintMarginE8);
            }
            case LIQUIDATION -> {
                final int[] d = decimals(e.market);
                str(out, "account", account(e.account));
                str(out, "symbol", symbol(e.market));
                str(out, "side", e.side == null ? "?" : e.side.name());
                qty(out, "qty", e.qtyE8, d);
                price(out, "price", e.priceE8, d);
                price(out, "bankruptcyPrice", e.bankruptcyPriceE8, d);
                price(out, "markPrice", e.markE8, d);
                str(out, "stage", e.stage == null ? "?" : e.stage.name());
                str(out, "phase", e.full ? "FULL" : "PARTIAL");
                money(out, "liquidationFee", e.feeE8);
            }
            case INSURANCE -> {
                str(out, "symbol", symbol(e.market));
                str(out, "fund", account(e.fundAccount));
                money(out, "balance", e.balanceE8);
                money(out, "change", e.changeE8);
                str(out, "cause", e.cause == null ? "?" : e.cause.name());
                if (e.account >= 0) {
                    str(out, "account", account(e.account));
                }
            }
            case ADL -> {
                final int[] d = decimals(e.market);
                str(out, "account", account(e.account));
                str(out, "counterparty", account(e.counterparty));
                str(out, "symbol", symbol(e.market));
                str(out, "side", e.side == null ? "?" : e.side.name());
                qty(out, "qty", e.qtyE8, d);
                price(out, "price", e.priceE8, d);
            }
            case BAD_DEBT -> {
                str(out, "account", account(e.account));
                if (e.market >= 0) {
                    str(out, "symbol", symbol(e.market));
                }
                money(out, "amount", e.amountE8);
                money(out, "uncovered", e.uncoveredE8);
            }
            case HALT -> {
                str(out, "symbol", symbol(e.market));
                str(out, "reason", e.resumed ? "RESUMED" : "MARK_MOVE");
                str(out, "move", Decimal.toString(e.moveE8, 8));
                out.append(",\"until\":").append(e.untilMs);
            }
            case STATE -> {
                str(out, "stateHash", String.format("%016x", e.stateHash));
                out.append(",\"markets\":").append(e.marketCount).append(",\"accounts\":").append(e.accountCount)
                    .append(",\"openOrders\":").append(e.openOrderCount);
            }
            case BRACKET -> {
                str(out, "symbol", symbol(e.market));
                out.append(",\"bracket\":").append(e.tier + 1);
                str(out, "notionalFloor", Decimal.toPlain(e.floorE8));
                str(out, "maintMarginRatio", Decimal.toPlain(e.mmrE8));
                str(out, "cum", Decimal.toPlain(e.cumE8));
                out.append(",\"initialLeverage\":").append(e.leverage);
            }
            default -> {
            }
        }
        out.append("}\n");
    }

    private void market(EventView e, StringBuilder out) {
        final String symbol = e.symbol.toString();
        while (symbols.size() <= e.market) {
            symbols.add(null);
            decimals.add(null);
        }
        symbols.set(e.market, symbol);
        final long[] p = e.marketParams;
        final int priceDecimals = Fixed.decimalsOf(p[MarketParam.TICK.ordinal()]);
        final int qtyDecimals = Fixed.decimalsOf(p[MarketParam.STEP.ordinal()]);
        decimals.set(e.market, new int[] {priceDecimals, qtyDecimals});
        str(out, "symbol", symbol);
        for (MarketParam param : MarketParam.values()) {
            final long v = p[param.ordinal()];
            switch (param) {
                case STP -> {
                    final StpMode mode = StpMode.fromCode((int) v);
                    str(out, param.key(), mode == null ? "?" : mode.name());
                }
                case MAX_OPEN_ORDERS, MAX_LEVERAGE, INSURANCE_SHARED ->
                    out.append(",\"").append(param.key()).append("\":").append(v);
                case FUNDING_INTERVAL, SLICE_INTERVAL, HALT_WINDOW, HALT_FOR, ADL_REFRESH ->
                    str(out, param.key(), Durations.format(v));
                default -> str(out, param.key(), Decimal.toPlain(v));
            }
        }
    }

    private void order(EventView e, StringBuilder out) {
        final int[] d = decimals(e.market);
        str(out, "account", account(e.account));
        str(out, "symbol", symbol(e.market));
        out.append(",\"orderId\":").append(e.orderId);
        str(out, "clientOrderId", e.clientId.toString());
        str(out, "side", e.side == null ? "?" : e.side.name());
        str(out, "orderType", e.orderType == null ? "?" : e.orderType.name());
        if (e.timeInForce != null) {
            str(out, "timeInForce", e.timeInForce.name());
        }
        str(out, "status", e.status == null ? "?" : e.status.name());
        str(out, "execType", e.execType == null ? "?" : e.execType.name());
        price(out, "price", e.priceE8, d);
        qty(out, "origQty", e.origQtyE8, d);
        qty(out, "executedQty", e.executedQtyE8, d);
        final long avg = e.executedQtyE8 == 0 ? 0 : Fixed.mulDivFloor(e.cumQuoteE8, Fixed.E8, e.executedQtyE8);
        str(out, "avgPrice", Decimal.toString(avg, Math.max(d[0], Fixed.decimalsOf(avg))));
        money(out, "cumQuote", e.cumQuoteE8);
        if (e.lastQtyE8 != 0) {
            qty(out, "lastFilledQty", e.lastQtyE8, d);
            price(out, "lastFilledPrice", e.lastPriceE8, d);
            money(out, "commission", e.lastFeeE8);
        }
        out.append(",\"reduceOnly\":").append(e.reduceOnly);
        if (e.conditional) {
            conditional(e, d, out);
        }
        if (e.stpMode != null) {
            str(out, "selfTradePreventionMode", e.stpMode.name());
        }
        if (e.expireReason != null && e.expireReason != ExpireReason.NONE) {
            str(out, "expireReason", e.expireReason.name());
        }
        if (e.status == OrderStatus.REJECTED) {
            reject(out, e.reject);
        }
    }

    /** Binance's fields of a conditional order (trailing stops: activation price and callback rate, not a stop). */
    private static void conditional(EventView e, int[] d, StringBuilder out) {
        out.append(",\"closePosition\":").append(e.closePosition);
        if (e.orderType == OrderType.TRAILING_STOP_MARKET) {
            if (e.activationPriceE8 > 0) {
                price(out, "activationPrice", e.activationPriceE8, d);
            }
            str(out, "priceRate", Decimal.toPlain(e.callbackRateE8));
        } else {
            price(out, "stopPrice", e.stopPriceE8, d);
        }
        str(out, "workingType", e.workingType == null ? "?" : e.workingType.name());
        out.append(",\"priceProtect\":").append(e.priceProtect);
        if (e.triggerPriceE8 != 0) {
            price(out, "triggerPrice", e.triggerPriceE8, d);
        }
    }

    private static void reject(StringBuilder out, RejectCode r) {
        if (r == null) {
            str(out, "reason", "UNKNOWN");
            return;
        }
        str(out, "reason", r.name());
        out.append(",\"code\":").append(r.code());
        str(out, "msg", r.message());
    }

    private String account(int id) {
        final String n = id >= 0 && id < accountNames.size() ? accountNames.get(id) : null;
        return n != null ? n : "#" + id;
    }

    private String symbol(int id) {
        final String s = id >= 0 && id < symbols.size() ? symbols.get(id) : null;
        return s != null ? s : "#" + id;
    }

    private int[] decimals(int market) {
        final int[] d = market >= 0 && market < decimals.size() ? decimals.get(market) : null;
        return d != null ? d : new int[] {8, 8};
    }

    private static void price(StringBuilder out, String key, long e8, int[] d) {
        str(out, key, Decimal.toString(e8, Math.max(d[0], Fixed.decimalsOf(e8))));
    }

    private static void qty(StringBuilder out, String key, long e8, int[] d) {
        str(out, key, Decimal.toString(e8, Math.max(d[1], Fixed.decimalsOf(e8))));
    }

    private static void money(StringBuilder out, String key, long e8) {
        str(out, key, Decimal.toString(e8, 8));
    }

    private static void str(StringBuilder out, String key, String value) {
        out.append(",\"").append(key).append("\":\"");
        escape(out, value);
        out.append('"');
    }

    /** JSON string escaping: names echoed from rejected input may hold anything ASCII. */
    static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
