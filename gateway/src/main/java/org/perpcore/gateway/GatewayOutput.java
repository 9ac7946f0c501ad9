package org.perpcore.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.event.EventType;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.AccountReason;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.Side;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.scenario.EventJson;
import org.perpcore.gateway.binance.AccountView;
import org.perpcore.gateway.binance.ApiError;
import org.perpcore.gateway.binance.ApiKeys;
import org.perpcore.gateway.binance.BinanceJson;
import org.perpcore.gateway.binance.JsonOut;
import org.perpcore.gateway.binance.MarketView;
import org.perpcore.gateway.binance.OrderView;
import org.perpcore.gateway.binance.ReadModel;
import org.perpcore.gateway.ws.StreamHub;
import org.perpcore.journal.EventJournalReader;
import org.perpcore.journal.JournaledEngine;
import org.perpcore.journal.SnapshotInfo;

/**
 * The gateway's output stage (one thread, after the engine): for each command, in sequence order, it applies the
 * engine's events to the {@link ReadModel}, pushes what they mean to WebSocket subscribers (market streams and
 * user data streams, in Binance's payloads), and answers the request that sent the command, if any. Requests
 * that only read (depth, open orders...) come through here as no-op commands, so every answer reflects exactly
 * the commands before it and the read model needs no locks.
 */
public final class GatewayOutput implements OutputStage {
    private final ReadModel model = new ReadModel();
    private final BinanceJson render = new BinanceJson(model);
    private final StreamHub hub;
    private final Pendings pendings;
    private final ApiKeys keys;
    private final EventView view = new EventView();
    private final EventJson eventJson = new EventJson();
    private final StringBuilder discard = new StringBuilder();
    private final JsonOut push = new JsonOut();
    private final JsonOut reply = new JsonOut(new StringBuilder(8192));

    // per command
    private RejectCode reject;
    /** ORDER_TRADE_UPDATE and ALGO_UPDATE messages to push, in the order of the events they come from. */
    private final List<BinanceJson.UserUpdate> orderUpdates = new ArrayList<>();
    /** Accounts whose balance or positions the command changed, with the ACCOUNT reason and balance change. */
    private final LinkedHashMap<Integer, long[]> touchedAccounts = new LinkedHashMap<>();
    /** Positions changed by the command: account id -> market ids, in order. */
    private final LinkedHashMap<Integer, List<Integer>> touchedPositions = new LinkedHashMap<>();
    /** Cumulative realised PnL of (account, market) before the command. */
    private final HashMap<Long, Long> realizedBefore = new HashMap<>();
    /** The last own trade and order update of (account, market) in the command: they carry its realised PnL. */
    private final HashMap<Long, long[]> lastTrade = new HashMap<>();
    private final HashMap<Long, BinanceJson.OrderUpdate> lastFillUpdate = new HashMap<>();
    private final List<long[]> bidScratch = new ArrayList<>();
    private final List<long[]> askScratch = new ArrayList<>();
    /** An aggregated trade being built: market, price, qty, first id, last id, time, buyer maker, taker order. */
    private long[] agg;
    private long ticks;
    /** The journal, when the gateway has one: the snapshots that admin snapshot requests are answered about. */
    private JournaledEngine journal;

    public GatewayOutput(StreamHub hub, Pendings pendings, ApiKeys keys) {
        this.hub = hub;
        this.pendings = pendings;
        this.keys = keys;
    }

    /**
     * The gateway's journal: its events rebuild the read model now ({@link #rebuild}), its snapshots answer admin
     * snapshot requests later. Call before the pipeline starts.
     *
     * @return the events applied
     */
    long attach(JournaledEngine j) {
        this.journal = j;
        try (EventJournalReader events = j.eventReader(1)) {
            return rebuild(events);
        }
    }

    /**
     * Applies journaled events to the read model as the output stage applied them when they were new: the read model
     * is a function of the events only, so it comes back exactly as it was (markets, books, open and recent orders,
     * trades, candles, funding, accounts' figures). No request waits for them and no stream is subscribed yet, so
     * nothing is sent. Before the pipeline starts, on the starting thread.
     */
    long rebuild(EventJournalReader events) {
        final Command c = new Command();
        long n = 0;
        while (events.next()) {
            c.clear();
            c.seq = events.seq();
            c.timestampMs = events.timestampMs();
            c.events().copyFrom(events.events(), 0, events.length(), events.count());
            onEvents(c, false);
            n++;
        }
        return n;
    }

    /** The read model, for tests that run the stage without threads. */
    ReadModel model() {
        return model;
    }

    @Override
    public void onEvents(Command c, boolean endOfBatch) {
        final Pending p = pendings.take(c.correlationId);
        model.beginCommand(c.seq, c.timestampMs);
        reject = null;
        final EventBuffer events = c.events();
        final DirectBuffer buffer = events.buffer();
        final int end = events.length();
        final boolean admin = p != null && p.route == Pending.Route.ADMIN;
        int pos = 0;
        while (pos < end) {
            final int n = view.decode(buffer, pos);
            if (n <= 0) {
                break;
            }
            if (admin) {
                eventJson.render(c.seq, c.timestampMs, buffer, pos, n, p.gathered());
            } else if (view.type == EventType.MARKET || view.type == EventType.ACCOUNT_CREATED) {
                discard.setLength(0);
                eventJson.render(c.seq, c.timestampMs, buffer, pos, n, discard);
            }
            before(view);
            model.apply(view);
            after(view, c.timestampMs);
            if (view.type == EventType.STATE && p != null && p.route == Pending.Route.ADMIN_STATE) {
                p.gathered().append(render.state(view, c.seq));
            }
            pos += n;
        }
        endCommand(c.timestampMs);
        if (p != null) {
            try {
                answer(p, c);
            } catch (ApiError e) {
                p.responder.respond(e.httpStatus(), e.json());
            } catch (RuntimeException e) {
                // a rendering bug must not stop the exchange for everyone: this request gets -1000, the read
                // model (already updated from the events) and the pipeline go on
                final ApiError u = ApiError.unknown(e.getClass().getSimpleName());
                p.responder.respond(u.httpStatus(), u.json());
            }
        } else if (c.type == CommandType.TICK && c.correlationId == 0) {
            heartbeat(c.timestampMs);
        }
    }

    // ------------------------------------------------------------------------------------------ events

    private static long key(int account, int market) {
        return ((long) account << 32) | (market & 0xffffffffL);
    }

    private void before(EventView e) {
        if (e.type == EventType.POSITION && e.accountReason != AccountReason.QUERY) {
            final long k = key(e.account, e.market);
            if (!realizedBefore.containsKey(k)) {
                final AccountView a = model.account(e.account);
                final AccountView.PositionFigures f = a == null ? null : a.positions.get(e.market);
                realizedBefore.put(k, f == null ? 0 : f.realizedPnlE8);
            }
            final AccountView a = model.account(e.account);
            final AccountView.PositionFigures f = a == null ? null : a.positions.get(e.market);
            if (e.accountReason == AccountReason.SETTINGS && a != null && hub.userSessions(a.name) != null) {
                if (f == null ? e.leverage != 20 : f.leverage != e.leverage) {
                    final MarketView m = model.market(e.market);
                    if (m != null) {
                        publishUser(a.name, render.accountConfigUpdate(push.reset(), m, e.leverage, model.nowMs()));
                    }
                }
                if (f == null ? e.isolated : f.isolated != e.isolated) {
                    touchedAccounts.computeIfAbsent(e.account, k2 -> new long[] {-1, 0})[0] =
                        BinanceJson.MARGIN_TYPE_CHANGE;
                }
            }
        }
    }

    private void after(EventView e, long ts) {
        switch (e.type) {
            case REJECT -> {
                if (reject == null) {
                    reject = e.reject;
                }
            }
            case ORDER -> {
                final OrderView v = e.orderId == 0 ? null : model.order(e.orderId);
                if (v == null) {
                    return; // a refused new order: it never existed
                }
                final boolean algoChanged = v.algoStatusChanged();
                final AccountView a = model.account(e.account);
                if (a != null && hub.userSessions(a.name) != null) {
                    if (algoChanged) {
                        // before the order's own update, so that a client merging both by id ends on the latter
                        orderUpdates.add(new BinanceJson.AlgoUpdate(v, ts));
                    }
                    final BinanceJson.OrderUpdate u = new BinanceJson.OrderUpdate(e, v, ts);
                    if (e.status == OrderStatus.TRIGGERED) {
                        orderUpdates.add(u.stopExpiredOnTrigger());
                    }
                    if (e.lastQtyE8 != 0) {
                        u.tradeId = model.lastTradeId();
                        u.maker = model.lastMakerOrderId() == e.orderId;
                        lastFillUpdate.put(key(e.account, e.market), u);
                    }
                    orderUpdates.add(u);
                }
            }
            case TRADE -> {
                trade(e, ts);
                final AccountView buyer = model.account(e.buyer);
                if (buyer != null && !buyer.trades.isEmpty()) {
                    lastTrade.put(key(e.buyer, e.market), buyer.trades.peekLast());
                }
                final AccountView seller = model.account(e.seller);
                if (seller != null && !seller.trades.isEmpty()) {
                    lastTrade.put(key(e.seller, e.market), seller.trades.peekLast());
                }
            }
            case ACCOUNT -> {
                if (e.accountReason != AccountReason.QUERY && hasUserStream(e.account)) {
                    final long[] t = touchedAccounts.computeIfAbsent(e.account, k -> new long[] {-1, 0});
                    if (t[0] == -1) {
                        t[0] = e.accountReason.code();
                    }
                    t[1] += e.changeE8;
                }
            }
            case POSITION -> {
                if (e.accountReason != AccountReason.QUERY && hasUserStream(e.account)) {
                    touchedAccounts.computeIfAbsent(e.account, k -> new long[] {-1, 0});
                    final List<Integer> ms = touchedPositions.computeIfAbsent(e.account, k -> new ArrayList<>(2));
                    if (!ms.contains(e.market)) {
                        ms.add(e.market);
                    }
                }
            }
            case MARGIN_CALL -> {
                final AccountView a = model.account(e.account);
                if (a != null && hub.userSessions(a.name) != null) {
                    publishUser(a.name, render.marginCall(push.reset(), a, e.market, ts));
                }
            }
            case LIQUIDATION -> {
                final MarketView m = model.market(e.market);
                if (m != null) {
                    render.forceOrder(push.reset(), m, e, ts);
                    hub.publish(m.streamPrefix + "@forceorder", push.sb());
                    hub.publish("!forceorder@arr", push.sb());
                }
            }
            default -> {
            }
        }
    }

    /**
     * Whether the account has a user data stream open: only then are its changed balances and positions gathered
     * for an ACCOUNT_UPDATE (an order from an account nobody listens to gathers nothing).
     */
    private boolean hasUserStream(int accountId) {
        final AccountView a = model.account(accountId);
        return a != null && hub.userSessions(a.name) != null;
    }

    private void trade(EventView e, long ts) {
        final MarketView m = model.market(e.market);
        if (m == null) {
            return;
        }
        final boolean buyerMaker = e.makerSide == Side.BUY;
        final long takerOrder = buyerMaker ? e.sellOrderId : e.buyOrderId;
        if (agg != null && (agg[0] != e.market || agg[1] != e.priceE8 || agg[7] != takerOrder)) {
            flushAgg();
        }
        if (agg == null) {
            agg = new long[] {e.market, e.priceE8, 0, e.tradeId, e.tradeId, ts, buyerMaker ? 1 : 0, takerOrder};
        }
        agg[2] += e.qtyE8;
        agg[4] = e.tradeId;
        final String tradeStream = m.streamPrefix + "@trade";
        if (hub.subscribers(tradeStream) != null) {
            hub.publish(tradeStream, render.tradeEvent(push.reset(), m, e, ts));
        }
    }

    private void flushAgg() {
        final long[] a = agg;
        agg = null;
        final MarketView m = model.market((int) a[0]);
        if (m == null) {
            return;
        }
        final long[] stored = {m.nextAggId++, a[1], a[2], a[3], a[4], a[5], a[6]};
        render.storeAgg(m, stored);
        final String stream = m.streamPrefix + "@aggtrade";
        if (hub.subscribers(stream) != null) {
            hub.publish(stream, render.aggTradeEvent(push.reset(), m, stored));
        }
    }

    private void endCommand(long ts) {
        if (agg != null) {
            flushAgg();
        }
        // realised PnL of the command goes to the last fill of each (account, market)
        for (Map.Entry<Long, Long> r : realizedBefore.entrySet()) {
            final int account = (int) (r.getKey() >>> 32);
            final int market = (int) (long) r.getKey();
            final AccountView a = model.account(account);
            final AccountView.PositionFigures f = a == null ? null : a.positions.get(market);
            if (f == null) {
                continue;
            }
            final long delta = f.realizedPnlE8 - r.getValue();
            final long[] t = lastTrade.get(r.getKey());
            if (t != null) {
                t[8] = delta;
            }
            final BinanceJson.OrderUpdate u = lastFillUpdate.get(r.getKey());
            if (u != null) {
                u.realizedPnlE8 = delta;
            }
        }
        for (BinanceJson.UserUpdate u : orderUpdates) {
            publishUser(model.account(u.accountId()).name, u.render(render, push));
        }
        for (Map.Entry<Integer, long[]> t : touchedAccounts.entrySet()) {
            final AccountView a = model.account(t.getKey());
            if (a == null || hub.userSessions(a.name) == null) {
                continue;
            }
            final List<Integer> ms = touchedPositions.getOrDefault(t.getKey(), List.of());
            publishUser(a.name, render.accountUpdate(push.reset(), a, (int) t.getValue()[0], t.getValue()[1], ms, ts));
        }
        for (MarketView m : model.bookChanged()) {
            depth(m, ts);
        }
        orderUpdates.clear();
        touchedAccounts.clear();
        touchedPositions.clear();
        realizedBefore.clear();
        lastTrade.clear();
        lastFillUpdate.clear();
    }

    private void depth(MarketView m, long ts) {
        bidScratch.clear();
        askScratch.clear();
        model.drainChanges(m, bidScratch, askScratch);
        model.closeBookUpdate(m);
        if (!hub.hasAnySubscriber()) {
            return;
        }
        final String p = m.streamPrefix;
        boolean rendered = false;
        for (String suffix : BinanceJson.DIFF_DEPTH_SUFFIXES) {
            if (hub.subscribers(p + suffix) != null) {
                if (!rendered) {
                    render.depthDiff(push.reset(), m, bidScratch, askScratch, ts);
                    rendered = true;
                }
                hub.publish(p + suffix, push.sb());
            }
        }
        for (int levels : new int[] {5, 10, 20}) {
            boolean done = false;
            for (String speed : BinanceJson.PARTIAL_SPEEDS) {
                final String name = p + "@depth" + levels + speed;
                if (hub.subscribers(name) != null) {
                    if (!done) {
                        render.depthPartial(push.reset(), m, levels, ts);
                        done = true;
                    }
                    hub.publish(name, push.sb());
                }
            }
        }
        final String bt = p + "@bookticker";
        if (hub.subscribers(bt) != null || hub.subscribers("!bookticker") != null) {
            if (render.bestChanged(m)) {
                render.bookTicker(push.reset(), m, ts);
                hub.publish(bt, push.sb());
                hub.publish("!bookticker", push.sb());
            }
        }
    }

    private void heartbeat(long ts) {
        ticks++;
        for (MarketView m : model.markets()) {
            if (m == null || m.markE8 == 0) {
                continue;
            }
            final String fast = m.streamPrefix + "@markprice@1s";
            final String slow = m.streamPrefix + "@markprice";
            final boolean everyThird = ticks % 3 == 0;
            if (hub.subscribers(fast) != null || (everyThird && hub.subscribers(slow) != null)) {
                render.markPriceUpdate(push.reset(), m, ts);
                hub.publish(fast, push.sb());
                if (everyThird) {
                    hub.publish(slow, push.sb());
                }
            }
        }
        if (hub.subscribers("!markprice@arr@1s") != null || (ticks % 3 == 0 && hub.subscribers("!markprice@arr") != null)) {
            render.markPriceArray(push.reset(), ts);
            hub.publish("!markprice@arr@1s", push.sb());
            if (ticks % 3 == 0) {
                hub.publish("!markprice@arr", push.sb());
            }
        }
        for (ApiKeys.ListenKey k : keys.expire(ts)) {
            hub.expireListenKey(k.account(), k.key(), "{\"e\":\"listenKeyExpired\",\"E\":" + ts + ",\"listenKey\":\""
                + k.key() + "\"}");
        }
    }

    private void publishUser(String account, CharSequence json) {
        final var sessions = hub.userSessions(account);
        if (sessions == null) {
            return;
        }
        for (var s : sessions) {
            s.send(s.listenKey(), json);
        }
    }

    // ------------------------------------------------------------------------------------------ answers

    private void answer(Pending p, Command c) {
        final JsonOut o = reply.reset();
        switch (p.route) {
            case ADMIN -> {
                if (reject != null && p.rejectCode == 0) {
                    p.rejectCode = reject.code();
                    p.rejectMsg = reject.message();
                }
                if (--p.remaining > 0) {
                    return;
                }
                final StringBuilder sb = new StringBuilder(p.gathered().length() + 64);
                sb.append('{').append(p.head);
                if (p.rejectCode != 0) {
                    sb.append("\"code\":").append(p.rejectCode).append(",\"msg\":");
                    JsonOut.quote(sb, p.rejectMsg);
                    sb.append(',');
                }
                sb.append("\"events\":[");
                final String lines = p.gathered().toString();
                boolean first = true;
                for (String line : lines.split("\n")) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    sb.append(line);
                }
                sb.append("]}");
                p.responder.respond(p.rejectCode != 0 ? 400 : 200, sb);
                return;
            }
            case ADMIN_STATE -> {
                p.responder.respond(200, p.gathered());
                return;
            }
            case BARRIER -> {
                if (p.done != null) {
                    p.done.countDown();
                }
                return;
            }
            case ADMIN_SNAPSHOT -> {
                // the engine thread wrote the file right after the SNAPSHOT command, before it reached this stage
                final SnapshotInfo s = journal == null ? null : journal.snapshotWrittenAt(c.seq);
                if (s == null) {
                    p.responder.respond(500, "{\"code\":-1000,\"msg\":\"the snapshot at seq " + c.seq
                        + " could not be written (the server's log says why); the journal has every command\"}");
                    return;
                }
                o.beginObject().num("seq", s.seq()).num("time", s.nowMs())
                    .str("stateHash", String.format("%016x", s.stateHash()))
                    .str("file", journal.dir().relativize(s.file()).toString()).endObject();
                p.responder.respond(200, o.sb());
                return;
            }
            default -> {
            }
        }
        if (reject != null && !(reject == RejectCode.BAD_ACCOUNT && isAccountQuery(p.route))) {
            throw ApiError.of(reject);
        }
        final MarketView m = p.symbol == null ? null : model.market(p.symbol);
        switch (p.route) {
            case EXCHANGE_INFO -> render.exchangeInfo(o, c.timestampMs);
            case DEPTH -> render.depth(o, market(m), p.limit, c.timestampMs);
            case PREMIUM_INDEX -> render.premiumIndex(o, symbolOrAll(p, m), c.timestampMs);
            case TICKER_24HR -> render.ticker24h(o, symbolOrAll(p, m), c.timestampMs);
            case TICKER_PRICE -> render.tickerPrice(o, symbolOrAll(p, m), c.timestampMs);
            case BOOK_TICKER -> render.bookTickers(o, symbolOrAll(p, m), c.timestampMs);
            case KLINES -> render.klines(o, market(m), p.intervalMs, p.startTimeMs, p.endTimeMs, p.limit);
            case FUNDING_RATE -> render.fundingRates(o, p.symbol == null ? null : market(m), p.startTimeMs,
                p.endTimeMs, p.limit);
            case TRADES -> render.trades(o, market(m), p.limit);
            case AGG_TRADES -> render.aggTrades(o, market(m), p.fromId, p.startTimeMs, p.endTimeMs, p.limit);
            case ORDER_NEW -> {
                final OrderView order = ownOrder(c, p);
                render.order(o, order, !p.result, false);
            }
            case ORDER_CANCEL -> {
                final OrderView order = p.orderId != 0 ? model.order(p.orderId) : byClientId(p);
                if (order == null) {
                    throw ApiError.of(RejectCode.CANCEL_REJECTED);
                }
                render.order(o, order, false, false);
            }
            case ORDER_QUERY, OPEN_ORDER_QUERY -> {
                market(m);
                final OrderView order = p.orderId != 0 ? model.order(p.orderId) : byClientId(p);
                final AccountView a = model.account(p.account);
                if (order == null || a == null || order.accountId != a.id || order.market != m
                    || (p.route == Pending.Route.OPEN_ORDER_QUERY && !order.isOpen())) {
                    throw ApiError.noSuchOrder();
                }
                render.order(o, order, false, true);
            }
            case OPEN_ORDERS -> {
                if (p.symbol != null) {
                    market(m);
                }
                render.openOrders(o, model.account(p.account), m);
            }
            case ALL_ORDERS -> render.allOrders(o, model.account(p.account), market(m), p.startTimeMs, p.endTimeMs,
                p.limit);
            case ALGO_NEW -> render.algoOrder(o, ownOrder(c, p));
            case ALGO_CANCEL -> {
                final OrderView order = p.orderId != 0 ? model.order(p.orderId) : byClientId(p);
                if (order == null) {
                    throw ApiError.of(RejectCode.CANCEL_REJECTED);
                }
                o.beginObject().num("algoId", order.orderId).str("clientAlgoId", order.clientOrderId)
                    .str("code", "200").str("msg", "success").endObject();
            }
            case ALGO_QUERY -> {
                if (p.symbol != null) {
                    market(m);
                }
                final OrderView order = p.orderId != 0 ? model.order(p.orderId) : byClientId(p);
                final AccountView a = model.account(p.account);
                if (order == null || a == null || order.accountId != a.id || !order.conditional
                    || (m != null && order.market != m)) {
                    throw ApiError.noSuchOrder();
                }
                render.algoOrder(o, order);
            }
            case OPEN_ALGO_ORDERS -> {
                if (p.symbol != null) {
                    market(m);
                }
                render.openAlgoOrders(o, model.account(p.account), m, p.orderId);
            }
            case ALL_ALGO_ORDERS -> render.allAlgoOrders(o, model.account(p.account), market(m), p.startTimeMs,
                p.endTimeMs, p.limit);
            case CANCEL_ALL -> o.beginObject().num("code", 200)
                .str("msg", "The operation of cancel all open order is done.").endObject();
            case POSITION_RISK_V2, POSITION_RISK_V3 -> {
                if (p.symbol != null) {
                    market(m);
                }
                render.positionRisk(o, model.account(p.account), m, p.route == Pending.Route.POSITION_RISK_V3,
                    c.timestampMs);
            }
            case ACCOUNT_V2, ACCOUNT_V3 -> render.account(o, model.account(p.account), p.route == Pending.Route.ACCOUNT_V3,
                c.timestampMs);
            case BALANCE -> render.balance(o, model.account(p.account), c.timestampMs);
            case LEVERAGE_BRACKET -> {
                if (p.symbol != null) {
                    market(m);
                }
                render.leverageBrackets(o, m);
            }
            case COMMISSION_RATE -> render.commissionRate(o, market(m));
            case LEVERAGE -> render.leverage(o, market(m), p.leverage);
            case MARGIN_TYPE -> o.beginObject().num("code", 200).str("msg", "success").endObject();
            case POSITION_MARGIN -> {
                o.beginObject().raw("amount", org.perpcore.core.num.Decimal.toPlain(p.amountE8)).num("code", 200)
                    .str("msg", "Successfully modify position margin.").num("type", p.type).endObject();
            }
            case USER_TRADES -> render.userTrades(o, model.account(p.account), market(m), p.orderId, p.fromId,
                p.startTimeMs, p.endTimeMs, p.limit);
            default -> throw ApiError.unknown("route " + p.route);
        }
        p.responder.respond(200, o.sb());
    }

    private static boolean isAccountQuery(Pending.Route r) {
        return r == Pending.Route.POSITION_RISK_V2 || r == Pending.Route.POSITION_RISK_V3
            || r == Pending.Route.ACCOUNT_V2 || r == Pending.Route.ACCOUNT_V3 || r == Pending.Route.BALANCE;
    }

    private List<MarketView> symbolOrAll(Pending p, MarketView m) {
        if (p.symbol == null) {
            final List<MarketView> all = new ArrayList<>();
            for (MarketView x : model.markets()) {
                if (x != null) {
                    all.add(x);
                }
            }
            return all;
        }
        return List.of(market(m));
    }

    private static MarketView market(MarketView m) {
        if (m == null) {
            throw ApiError.badSymbol();
        }
        return m;
    }

    private OrderView byClientId(Pending p) {
        final AccountView a = model.account(p.account);
        return a == null || p.clientOrderId == null ? null : a.byClientId.get(p.clientOrderId);
    }

    /** The order a PLACE_ORDER command created: the account's order with the client id the request gave. */
    private OrderView ownOrder(Command c, Pending p) {
        final OrderView o = byClientId(p);
        if (o == null || o.timeMs != c.timestampMs && o.updateTimeMs != c.timestampMs) {
            throw ApiError.unknown("the engine reported no order");
        }
        return o;
    }
}
