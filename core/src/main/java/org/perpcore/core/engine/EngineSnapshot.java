package org.perpcore.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.agrona.collections.Long2LongHashMap;
import org.perpcore.core.book.BookSide;
import org.perpcore.core.book.ClientIdIndex;
import org.perpcore.core.book.LevelStore;
import org.perpcore.core.book.OrderStore;
import org.perpcore.core.command.Name;
import org.perpcore.core.funding.FundingCalculator;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.Side;
import org.perpcore.core.risk.Brackets;
import org.perpcore.core.snapshot.SnapshotFormatException;
import org.perpcore.core.snapshot.SnapshotSink;
import org.perpcore.core.snapshot.SnapshotSource;

/**
 * Engine state to and from a snapshot stream, between commands. The engine does no I/O: {@link #write} hands the
 * state to a {@link SnapshotSink} and {@link #read} builds a fresh engine from a {@link SnapshotSource}; where the
 * bytes live is the caller's business (the journal module writes them to files on the engine thread, right after
 * a {@code SNAPSHOT} command).
 *
 * <p>What a caller may rely on:
 * <ul>
 *   <li><b>Complete.</b> Everything the state hash covers and everything that influences later outputs is
 *       written: markets with their specification, margin tiers, mark and funding calculators (sample windows
 *       included), circuit-breaker windows and halts; books with time priority; accounts, positions with their
 *       displayed liquidation prices and triggers, margin-call flags and liquidation slices; the order of the
 *       lists whose order reaches outputs (a market's positions, its multi-market cross accounts, the margin-called
 *       accounts); conditional orders waiting for their trigger (with where they wait, and an active trailing
 *       stop's extreme) and the stop fields of triggered ones resting in a book; ADL quantile thresholds and when
 *       they were computed; id counters and the log position. A
 *       restored engine produces the same events as the original for every following command.</li>
 *   <li><b>Canonical.</b> Markets and accounts by id, positions by market id, orders by market, side, price level
 *       (best first) and time priority, waiting conditional orders by market and order id: the bytes depend on
 *       the state only, never on hash-map layouts, handles or free lists. Two engines in the same state write
 *       identical bytes; writing a restored engine gives back the bytes it was read from.</li>
 *   <li><b>Derived structures are rebuilt, not stored</b>: name, order-id and client-id indexes, price levels,
 *       trigger heaps, the conditional orders' trigger structures and counts, accounts' open-order lists and
 *       counts, cached position figures.</li>
 *   <li><b>Checked.</b> The stream starts with a magic number and {@link #FORMAT_VERSION} and ends with the state
 *       hash: {@link #read} refuses an unknown version, a truncated or inconsistent stream, and a restored state
 *       whose hash differs from the one written, with a {@link SnapshotFormatException} saying why.</li>
 * </ul>
 *
 * <p>Only between commands: {@link #write} throws {@link IllegalStateException} if called while a command is
 * half applied (there is no such moment on the engine thread outside {@link Engine#apply}).
 *
 * <p>Reads the engine's internals package-privately; keep it in step with them when they change.
 */
public final class EngineSnapshot {
    /**
     * Version of the stream written. 2 added conditional orders: those waiting for their trigger, and the stop
     * fields of triggered ones resting in a book. {@link #read} accepts every version from 1 ({@link #readable}): a
     * version-1 stream has none (a version-1 build could not snapshot an engine holding any).
     */
    public static final int FORMAT_VERSION = 2;
    /** The oldest version {@link #read} accepts. */
    public static final int OLDEST_READABLE_VERSION = 1;

    private static final int MAGIC = 0x53454350; // "PCES" in little-endian bytes
    private static final int END = 0x444E4550;   // "PEND"

    private static final int HEAP_NONE = 0;
    private static final int HEAP_LONGS = 1;
    private static final int HEAP_SHORTS = 2;

    private EngineSnapshot() {
    }

    /** True for a stream version this build reads. */
    public static boolean readable(int version) {
        return version >= OLDEST_READABLE_VERSION && version <= FORMAT_VERSION;
    }

    // ------------------------------------------------------------------------------------------ write

    /**
     * Writes the engine's state; returns its state hash (also written). The engine is not changed.
     *
     * @throws IllegalStateException when called in the middle of a command
     */
    public static long write(Engine e, SnapshotSink out) {
        final RiskEngine risk = e.risk;
        final Matcher matcher = e.matcher;
        if (risk.dirtyCount != 0 || risk.recheckCount != 0) {
            throw new IllegalStateException("an engine snapshot is taken between commands only");
        }
        int resting = 0;
        for (int i = 0; i < e.marketCount; i++) {
            resting += e.markets[i].book().orderCount();
        }
        final int[] waiting = waitingOrders(e);
        if (resting + waiting.length != matcher.orders.live()) {
            throw new IllegalStateException(matcher.orders.live() + " live orders but " + resting + " in the books and "
                + waiting.length + " waiting for their trigger");
        }
        out.putInt(MAGIC);
        out.putInt(FORMAT_VERSION);
        out.putInt(e.marketCount);
        out.putInt(e.accountCount);
        out.putInt(resting);
        out.putInt(waiting.length);
        out.putLong(e.lastSeq);
        out.putLong(e.nowMs);
        out.putLong(e.totalDepositsE8);
        out.putLong(matcher.nextOrderId);
        out.putLong(matcher.nextTradeId);
        out.putInt(e.sharedFund == null ? -1 : e.sharedFund.id());

        out.putInt(MarketParam.COUNT);
        for (int i = 0; i < e.marketCount; i++) {
            writeMarket(e.markets[i], out);
        }
        for (int i = 0; i < e.accountCount; i++) {
            writeAccount(e.accounts[i], out);
        }
        for (int i = 0; i < e.marketCount; i++) {
            final Market m = e.markets[i];
            out.putInt(m.positionCount());
            for (int k = 0; k < m.positionCount(); k++) {
                out.putInt(m.positionAt(k).account.id());
            }
            out.putInt(m.multiCrossCount());
            for (int k = 0; k < m.multiCrossCount(); k++) {
                out.putInt(m.multiCross(k).id());
            }
        }
        out.putInt(risk.calledCount);
        for (int i = 0; i < risk.calledCount; i++) {
            out.putInt(risk.called[i].id());
        }
        out.putInt(risk.negativeCount);
        for (int i = 0; i < risk.negativeCount; i++) {
            out.putInt(risk.negative[i].id());
        }
        for (int i = 0; i < e.marketCount; i++) {
            final Market m = e.markets[i];
            writeSide(m.book().bids(), matcher, out);
            writeSide(m.book().asks(), matcher, out);
        }
        writeWaiting(e, waiting, out);
        e.liquidator.writeState(out);
        final long hash = e.stateHash();
        out.putLong(hash);
        out.putInt(END);
        return hash;
    }

    private static void writeMarket(Market m, SnapshotSink out) {
        putBytes(m.symbol(), out);
        for (long v : m.params()) {
            out.putLong(v);
        }
        out.putLong(m.lastPriceTicks);
        out.putLong(m.markPriceTicks);
        out.putLong(m.feesCollectedE8);
        out.putBoolean(m.customBrackets);
        out.putInt(m.tiersVersion);
        final Brackets b = m.brackets;
        out.putInt(b.count());
        for (int t = 0; t < b.count(); t++) {
            out.putLong(b.floorE8(t));
            out.putLong(b.mmrE8(t));
            out.putInt(b.maxLeverage(t));
            out.putLong(b.cumE8(t));
        }
        out.putLong(m.indexE8);
        out.putLong(m.markE8);
        m.markCalculator.writeState(out);
        m.funding.writeState(out);
        out.putLong(m.fundingResidueE8);
        out.putLong(m.openLongLots);
        out.putLong(m.openShortLots);
        out.putBoolean(m.priceMoved);
        out.putBoolean(m.markInputsChanged);
        out.putInt(m.fund == null ? -1 : m.fund.id());
        out.putLong(m.badDebtE8);
        out.putLong(m.haltedUntilMs);
        out.putLong(m.nextTimeWorkMs);
        final MoveWindow w = m.moveWindow;
        writeQueue(w.minSeconds, w.minValues, w.minHead, w.minTail, out);
        writeQueue(w.maxSeconds, w.maxValues, w.maxHead, w.maxTail, out);
    }

    private static void writeQueue(long[] seconds, long[] values, int head, int tail, SnapshotSink out) {
        out.putInt(tail - head);
        for (int i = head; i < tail; i++) {
            out.putLong(seconds[i % MoveWindow.CAPACITY]);
            out.putLong(values[i % MoveWindow.CAPACITY]);
        }
    }

    private static void writeAccount(Account a, SnapshotSink out) {
        putBytes(a.name(), out);
        out.putLong(a.walletE8);
        out.putBoolean(a.fund);
        out.putBoolean(a.marginCalled);
        out.putBoolean(a.marginCallPending);
        out.putLong(a.nextSliceMs);
        int present = 0;
        for (int k = 0; k < a.positionCapacity(); k++) {
            if (a.positions()[k] != null) {
                present++;
            }
        }
        out.putInt(present);
        for (int k = 0; k < a.positionCapacity(); k++) {
            final Position p = a.positions()[k];
            if (p == null) {
                continue;
            }
            out.putInt(k);
            out.putLong(p.sizeLots);
            out.putLong(p.costE8);
            out.putInt(p.leverage);
            out.putBoolean(p.isolated);
            out.putLong(p.isolatedMarginE8);
            out.putLong(p.realizedPnlE8);
            out.putLong(p.buyOrderLots);
            out.putLong(p.buyOrderNotionalE8);
            out.putLong(p.sellOrderLots);
            out.putLong(p.sellOrderNotionalE8);
            out.putInt(p.reduceOnlyOrders);
            out.putLong(p.liquidationPriceE8);
            out.putLong(p.triggerE8);
            final Market m = p.market;
            out.putByte(p.heap == null ? HEAP_NONE : p.heap == m.longTriggers ? HEAP_LONGS : HEAP_SHORTS);
            out.putBoolean(p.marginCalled);
            out.putBoolean(p.marginCallPending);
            out.putLong(p.nextSliceMs);
        }
    }

    /** One side of a book: its orders from the best level to the worst, each level in time priority. */
    private static void writeSide(BookSide side, Matcher matcher, SnapshotSink out) {
        final OrderStore orders = matcher.orders;
        final LevelStore levels = matcher.levels;
        int n = 0;
        for (int d = 0; d < side.size(); d++) {
            n += levels.count(side.levelAtDepth(d));
        }
        out.putInt(n);
        for (int d = 0; d < side.size(); d++) {
            for (int o = levels.head(side.levelAtDepth(d)); o != OrderStore.NONE; o = orders.next(o)) {
                out.putLong(orders.orderId(o));
                out.putInt(orders.account(o));
                out.putByte(orders.side(o));
                out.putByte(orders.type(o));
                out.putByte(orders.tif(o));
                out.putByte(orders.stp(o));
                out.putByte(orders.flags(o));
                out.putLong(orders.price(o));
                out.putLong(orders.origLots(o));
                out.putLong(orders.execLots(o));
                out.putLong(orders.cumQuote(o));
                out.putLong(orders.time(o));
                final int idLength = orders.clientIdLength(o);
                out.putByte(idLength);
                out.putBytes(orders.clientIdBytes(), orders.clientIdOffset(o), idLength);
                if (ConditionalOrders.isConditional(orders.type(o))) {
                    writeStopFields(matcher.conditional, o, out); // a triggered STOP / TAKE_PROFIT resting
                }
            }
        }
    }

    private static void writeStopFields(ConditionalOrders co, int h, SnapshotSink out) {
        out.putLong(co.stopE8[h]);
        out.putLong(co.activationE8[h]);
        out.putLong(co.rateE8[h]);
        out.putByte(co.kind[h]);
    }

    /** Handles of the orders waiting for their trigger, in canonical order: by market, then order id. */
    private static int[] waitingOrders(Engine e) {
        final OrderStore orders = e.matcher.orders;
        final List<Integer> found = new ArrayList<>(e.conditional.waiting());
        for (int h = 0, high = orders.highWater(); h < high; h++) {
            if (orders.orderId(h) != 0 && orders.waitingForTrigger(h)) {
                found.add(h);
            }
        }
        if (found.size() != e.conditional.waiting()) {
            throw new IllegalStateException(found.size() + " orders flagged waiting, " + e.conditional.waiting()
                + " counted");
        }
        found.sort(Comparator.comparingInt((Integer h) -> orders.market(h)).thenComparingLong(orders::orderId));
        final int[] handles = new int[found.size()];
        for (int i = 0; i < handles.length; i++) {
            handles[i] = found.get(i);
        }
        return handles;
    }

    /** Waiting conditional orders: the order record, the stop fields, where it waits and a trailing stop's extreme. */
    private static void writeWaiting(Engine e, int[] handles, SnapshotSink out) {
        final OrderStore orders = e.matcher.orders;
        final ConditionalOrders co = e.conditional;
        for (int h : handles) {
            out.putLong(orders.orderId(h));
            out.putInt(orders.market(h));
            out.putInt(orders.account(h));
            out.putByte(orders.side(h));
            out.putByte(orders.type(h));
            out.putByte(orders.tif(h));
            out.putByte(orders.stp(h));
            out.putByte(orders.flags(h));
            out.putLong(orders.price(h));
            out.putLong(orders.origLots(h));
            out.putLong(orders.execLots(h));
            out.putLong(orders.cumQuote(h));
            out.putLong(orders.time(h));
            final int idLength = orders.clientIdLength(h);
            out.putByte(idLength);
            out.putBytes(orders.clientIdBytes(), orders.clientIdOffset(h), idLength);
            writeStopFields(co, h, out);
            out.putByte(co.where(h));
            out.putLong(co.extreme(h));
        }
    }

    private static void putBytes(byte[] bytes, SnapshotSink out) {
        out.putInt(bytes.length);
        out.putBytes(bytes, 0, bytes.length);
    }

    // ------------------------------------------------------------------------------------------ read

    /**
     * A fresh engine in the state that {@link #write} wrote. Reads exactly the bytes {@link #write} wrote.
     *
     * @throws SnapshotFormatException when the stream is not a snapshot of this version, ends early, describes an
     *     impossible state, or restores into a state whose hash is not the one written
     */
    public static Engine read(SnapshotSource in) {
        try {
            return readChecked(in);
        } catch (SnapshotFormatException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw new SnapshotFormatException("malformed engine snapshot: " + ex, ex);
        }
    }

    private static Engine readChecked(SnapshotSource in) {
        final int magic = in.getInt();
        if (magic != MAGIC) {
            throw new SnapshotFormatException(String.format("not an engine snapshot (magic %08x)", magic));
        }
        final int version = in.getInt();
        if (!readable(version)) {
            throw new SnapshotFormatException("engine snapshot format version " + version + " is unknown to this build"
                + " (it reads versions " + OLDEST_READABLE_VERSION + " to " + FORMAT_VERSION + ")");
        }
        final int marketCount = count(in.getInt(), 1 << 20, "markets");
        final int accountCount = count(in.getInt(), 1 << 25, "accounts");
        final int resting = count(in.getInt(), Integer.MAX_VALUE / 4, "resting orders");
        final int waiting = version >= 2 ? count(in.getInt(), Integer.MAX_VALUE / 4, "waiting conditional orders") : 0;
        final int live = resting + waiting;
        final Engine e = new Engine(Math.max(1 << 16, live + live / 2), Math.max(1 << 12, accountCount));
        final Matcher matcher = e.matcher;
        final RiskEngine risk = e.risk;
        e.lastSeq = in.getLong();
        e.nowMs = in.getLong();
        e.totalDepositsE8 = in.getLong();
        matcher.nextOrderId = in.getLong();
        matcher.nextTradeId = in.getLong();
        final int sharedFundId = in.getInt();

        final int paramCount = in.getInt();
        if (paramCount < 1 || paramCount > MarketParam.COUNT) {
            throw new SnapshotFormatException(paramCount + " market parameters; this build knows " + MarketParam.COUNT);
        }
        final int[] fundIds = new int[marketCount];
        for (int i = 0; i < marketCount; i++) {
            fundIds[i] = readMarket(e, i, paramCount, in);
        }
        for (int i = 0; i < accountCount; i++) {
            readAccount(e, i, in);
        }
        for (int i = 0; i < marketCount; i++) {
            final Market m = e.markets[i];
            m.fund = fundIds[i] < 0 ? null : account(e, fundIds[i]);
            final int positions = count(in.getInt(), accountCount, "positions of " + m.symbolString());
            for (int k = 0; k < positions; k++) {
                final Position p = account(e, in.getInt()).position(i);
                if (p == null || p.sizeLots == 0 || p.listSlot >= 0) {
                    throw new SnapshotFormatException("market " + m.symbolString() + " lists a flat, missing or"
                        + " repeated position");
                }
                m.addPosition(p);
            }
            final int multi = count(in.getInt(), accountCount, "multi-market accounts of " + m.symbolString());
            for (int k = 0; k < multi; k++) {
                final Account a = account(e, in.getInt());
                final Position p = a.position(i);
                if (p == null || p.multiCrossSlot >= 0) {
                    throw new SnapshotFormatException("market " + m.symbolString() + " lists a multi-market account"
                        + " without a position or twice");
                }
                m.setMultiCross(a, true);
            }
        }
        e.sharedFund = sharedFundId < 0 ? null : account(e, sharedFundId);
        // trigger heaps: their order is total (trigger, then account id), so rebuilding gives the same pops
        for (int i = 0; i < accountCount; i++) {
            final Account a = e.accounts[i];
            for (int k = 0; k < a.positionCapacity(); k++) {
                final Position p = a.positions()[k];
                if (p == null) {
                    continue;
                }
                final int heap = p.heapSlot;
                p.heapSlot = -1;
                if (heap == HEAP_LONGS) {
                    p.market.longTriggers.update(p);
                } else if (heap == HEAP_SHORTS) {
                    p.market.shortTriggers.update(p);
                }
            }
        }
        final int called = count(in.getInt(), accountCount, "margin-called accounts");
        for (int i = 0; i < called; i++) {
            final Account a = account(e, in.getInt());
            if (a.onCalledList) {
                throw new SnapshotFormatException("account " + a.nameString() + " is margin-called twice");
            }
            a.onCalledList = true;
            if (risk.calledCount == risk.called.length) {
                risk.called = Arrays.copyOf(risk.called, risk.calledCount * 2);
            }
            risk.called[risk.calledCount++] = a;
        }
        final int negative = count(in.getInt(), accountCount, "negative accounts");
        for (int i = 0; i < negative; i++) {
            final Account a = account(e, in.getInt());
            if (risk.negativeCount == risk.negative.length) {
                risk.negative = Arrays.copyOf(risk.negative, risk.negativeCount * 2);
            }
            risk.negative[risk.negativeCount++] = a;
        }
        final int[] handles = new int[live];
        int read = 0;
        for (int i = 0; i < marketCount; i++) {
            final Market m = e.markets[i];
            read = readSide(e, m, true, version, in, handles, read, resting);
            read = readSide(e, m, false, version, in, handles, read, resting);
        }
        if (read != resting) {
            throw new SnapshotFormatException(resting + " resting orders announced, " + read + " found");
        }
        for (int i = 0; i < waiting; i++) {
            handles[read++] = readWaiting(e, in);
        }
        registerOrders(e, handles, read);
        e.liquidator.readState(in);
        final long hash = in.getLong();
        if (in.getInt() != END) {
            throw new SnapshotFormatException("the engine snapshot does not end where it should");
        }
        final long restored = e.stateHash();
        if (restored != hash) {
            throw new SnapshotFormatException(String.format(
                "the restored state hash %016x is not the snapshot's %016x", restored, hash));
        }
        return e;
    }

    /** Reads market {@code id}; returns the id of its fund's account (-1: none), resolved once accounts exist. */
    private static int readMarket(Engine e, int id, int paramCount, SnapshotSource in) {
        final Name symbol = readName(in, "symbol");
        if (e.marketNames.find(symbol) >= 0 || e.marketNames.add(symbol) != id) {
            throw new SnapshotFormatException("market " + symbol + " appears twice");
        }
        final long[] params = new long[MarketParam.COUNT];
        MarketSpecs.defaults(params); // parameters added after the snapshot was written keep their defaults
        for (int k = 0; k < paramCount; k++) {
            params[k] = in.getLong();
        }
        if (MarketSpecs.validate(params) != RejectCode.NONE) {
            throw new SnapshotFormatException("market " + symbol + " has an invalid specification");
        }
        if (id == e.markets.length) {
            e.markets = Arrays.copyOf(e.markets, id * 2);
        }
        final Market m = new Market(id, e.marketNames.name(id), e.matcher.orders, e.matcher.levels);
        e.markets[id] = m;
        e.marketCount++;
        m.lastPriceTicks = in.getLong();
        m.markPriceTicks = in.getLong();
        m.feesCollectedE8 = in.getLong();
        m.customBrackets = in.getBoolean();
        m.apply(params);
        m.tiersVersion = in.getInt();
        final int tiers = count(in.getInt(), Brackets.MAX_TIERS, "margin tiers");
        m.brackets.clear();
        for (int t = 0; t < tiers; t++) {
            final long floor = in.getLong();
            final long mmr = in.getLong();
            final int leverage = in.getInt();
            final long cum = in.getLong();
            if (m.brackets.add(floor, mmr, leverage) != RejectCode.NONE || m.brackets.cumE8(t) != cum) {
                throw new SnapshotFormatException("market " + symbol + ": margin tier " + t + " is invalid");
            }
        }
        m.indexE8 = in.getLong();
        m.markE8 = in.getLong();
        m.markCalculator.readState(in);
        m.funding = FundingCalculator.readState(in);
        m.fundingResidueE8 = in.getLong();
        m.openLongLots = in.getLong();
        m.openShortLots = in.getLong();
        m.priceMoved = in.getBoolean();
        m.markInputsChanged = in.getBoolean();
        final int fundId = in.getInt();
        m.badDebtE8 = in.getLong();
        m.haltedUntilMs = in.getLong();
        m.nextTimeWorkMs = in.getLong();
        final MoveWindow w = m.moveWindow;
        w.minTail = readQueue(w.minSeconds, w.minValues, in);
        w.minHead = 0;
        w.maxTail = readQueue(w.maxSeconds, w.maxValues, in);
        w.maxHead = 0;
        return fundId;
    }

    private static int readQueue(long[] seconds, long[] values, SnapshotSource in) {
        final int n = count(in.getInt(), MoveWindow.CAPACITY - 1, "circuit-breaker window entries");
        for (int i = 0; i < n; i++) {
            seconds[i] = in.getLong();
            values[i] = in.getLong();
        }
        return n;
    }

    private static void readAccount(Engine e, int id, SnapshotSource in) {
        final Name name = readName(in, "account name");
        if (e.accountNames.find(name) >= 0 || e.accountNames.add(name) != id) {
            throw new SnapshotFormatException("account " + name + " appears twice");
        }
        if (id == e.accounts.length) {
            e.accounts = Arrays.copyOf(e.accounts, id * 2);
        }
        final Account a = new Account(id, e.accountNames.name(id));
        e.accounts[id] = a;
        e.accountCount++;
        a.walletE8 = in.getLong();
        a.fund = in.getBoolean();
        a.marginCalled = in.getBoolean();
        a.marginCallPending = in.getBoolean();
        a.nextSliceMs = in.getLong();
        final int present = count(in.getInt(), e.marketCount, "positions of " + name);
        int lastMarket = -1;
        for (int i = 0; i < present; i++) {
            final int marketId = in.getInt();
            if (marketId <= lastMarket || marketId >= e.marketCount) {
                throw new SnapshotFormatException("account " + name + ": position in market " + marketId);
            }
            lastMarket = marketId;
            final Position p = new Position(a, e.markets[marketId]);
            a.setPosition(marketId, p);
            p.sizeLots = in.getLong();
            p.costE8 = in.getLong();
            p.leverage = in.getInt();
            p.isolated = in.getBoolean();
            p.isolatedMarginE8 = in.getLong();
            p.realizedPnlE8 = in.getLong();
            p.buyOrderLots = in.getLong();
            p.buyOrderNotionalE8 = in.getLong();
            p.sellOrderLots = in.getLong();
            p.sellOrderNotionalE8 = in.getLong();
            p.reduceOnlyOrders = in.getInt();
            p.liquidationPriceE8 = in.getLong();
            p.triggerE8 = in.getLong();
            final int heap = in.getByte();
            if (heap < HEAP_NONE || heap > HEAP_SHORTS || p.leverage < 1) {
                throw new SnapshotFormatException("account " + name + ": bad position in market " + marketId);
            }
            p.heapSlot = heap; // which heap, until the heaps are rebuilt
            p.marginCalled = in.getBoolean();
            p.marginCallPending = in.getBoolean();
            p.nextSliceMs = in.getLong();
        }
    }

    /**
     * Puts one side's orders back into the book, in the order written (best level first, time priority), after
     * checking that the prices run the way a book's do. Returns the running count of orders read.
     */
    private static int readSide(Engine e, Market m, boolean bids, int version, SnapshotSource in, int[] handles,
                                int read, int resting) {
        final OrderStore orders = e.matcher.orders;
        final ClientIdIndex clientIds = e.matcher.clientIds;
        final byte sideCode = bids ? Side.BUY.code() : Side.SELL.code();
        final int n = count(in.getInt(), resting - read, "orders of " + m.symbolString());
        final Name clientId = new Name();
        final byte[] idBytes = new byte[OrderStore.MAX_CLIENT_ID];
        long lastPrice = -1;
        for (int i = 0; i < n; i++) {
            final long orderId = in.getLong();
            final int accountId = in.getInt();
            final byte side = in.getByte();
            final byte type = in.getByte();
            final byte tif = in.getByte();
            final byte stp = in.getByte();
            final byte flags = in.getByte();
            final long price = in.getLong();
            final long origLots = in.getLong();
            final long execLots = in.getLong();
            final long cumQuote = in.getLong();
            final long timeMs = in.getLong();
            final int idLength = in.getByte();
            if (idLength < 0 || idLength > OrderStore.MAX_CLIENT_ID) {
                throw new SnapshotFormatException("order " + orderId + ": client id of " + idLength + " bytes");
            }
            in.getBytes(idBytes, 0, idLength);
            final boolean worseOrSame = lastPrice < 0 || (bids ? price <= lastPrice : price >= lastPrice);
            if (side != sideCode || orderId <= 0 || orderId >= e.matcher.nextOrderId || price <= 0 || !worseOrSame
                || execLots < 0 || origLots <= execLots || accountId < 0 || accountId >= e.accountCount
                || e.accounts[accountId].position(m.id()) == null) {
                throw new SnapshotFormatException("order " + orderId + " of " + m.symbolString() + " is impossible");
            }
            lastPrice = price;
            final int h = orders.allocate();
            orders.orderId(h, orderId);
            orders.account(h, accountId);
            orders.market(h, m.id());
            orders.side(h, side);
            orders.type(h, type);
            orders.tif(h, tif);
            orders.stp(h, stp);
            orders.flags(h, flags);
            orders.price(h, price);
            orders.origLots(h, origLots);
            orders.execLots(h, execLots);
            orders.cumQuote(h, cumQuote);
            orders.time(h, timeMs);
            if (idLength > 0) {
                clientId.set(idBytes, 0, idLength);
                final long hash = ClientIdIndex.keyHash(accountId, m.id(), clientId);
                if (clientIds.find(hash, accountId, m.id(), clientId) != OrderStore.NONE) {
                    throw new SnapshotFormatException("client order id " + clientId + " is open twice");
                }
                orders.clientId(h, clientId);
                clientIds.add(hash, h);
            }
            if (version >= 2 && ConditionalOrders.isConditional(type)) {
                e.conditional.restoreTriggered(h, in.getLong(), in.getLong(), in.getLong(), in.getByte());
            }
            m.book().add(h);
            handles[read++] = h;
        }
        return read;
    }

    /** One order waiting for its trigger, back in its order store record, client-id index and trigger structure. */
    private static int readWaiting(Engine e, SnapshotSource in) {
        final OrderStore orders = e.matcher.orders;
        final long orderId = in.getLong();
        final int marketId = in.getInt();
        final int accountId = in.getInt();
        final byte side = in.getByte();
        final byte type = in.getByte();
        final byte tif = in.getByte();
        final byte stp = in.getByte();
        final byte flags = in.getByte();
        final long price = in.getLong();
        final long origLots = in.getLong();
        final long execLots = in.getLong();
        final long cumQuote = in.getLong();
        final long timeMs = in.getLong();
        final int idLength = in.getByte();
        if (idLength < 0 || idLength > OrderStore.MAX_CLIENT_ID) {
            throw new SnapshotFormatException("order " + orderId + ": client id of " + idLength + " bytes");
        }
        final byte[] idBytes = new byte[idLength];
        in.getBytes(idBytes, 0, idLength);
        final long stop = in.getLong();
        final long activation = in.getLong();
        final long rate = in.getLong();
        final byte kind = in.getByte();
        final byte where = in.getByte();
        final long extreme = in.getLong();
        if (orderId <= 0 || orderId >= e.matcher.nextOrderId || marketId < 0 || marketId >= e.marketCount
            || accountId < 0 || accountId >= e.accountCount || e.accounts[accountId].position(marketId) == null
            || (flags & OrderStore.FLAG_CONDITIONAL) == 0 || origLots < 0 || execLots != 0) {
            throw new SnapshotFormatException("waiting order " + orderId + " is impossible");
        }
        final Market m = e.markets[marketId];
        final int h = orders.allocate();
        orders.orderId(h, orderId);
        orders.account(h, accountId);
        orders.market(h, marketId);
        orders.side(h, side);
        orders.type(h, type);
        orders.tif(h, tif);
        orders.stp(h, stp);
        orders.flags(h, flags);
        orders.price(h, price);
        orders.origLots(h, origLots);
        orders.execLots(h, execLots);
        orders.cumQuote(h, cumQuote);
        orders.time(h, timeMs);
        if (idLength > 0) {
            final Name clientId = new Name();
            clientId.set(idBytes, 0, idLength);
            final long hash = ClientIdIndex.keyHash(accountId, marketId, clientId);
            if (e.matcher.clientIds.find(hash, accountId, marketId, clientId) != OrderStore.NONE) {
                throw new SnapshotFormatException("client order id " + clientId + " is open twice");
            }
            orders.clientId(h, clientId);
            e.matcher.clientIds.add(hash, h);
        }
        if (!e.conditional.restoreWaiting(h, m, stop, activation, rate, kind, where, extreme)) {
            throw new SnapshotFormatException("waiting order " + orderId + " of " + m.symbolString()
                + " cannot wait where the snapshot says (" + where + ")");
        }
        return h;
    }

    /**
     * The per-account open-order lists hold orders in placement order, which is order id order (an order gets
     * its id when placed and is registered in the same command: when it first rests, or a conditional order at once,
     * staying registered once triggered); the order-id index wants ascending ids too. Resting and waiting orders
     * alike.
     */
    private static void registerOrders(Engine e, int[] handles, int n) {
        final OrderStore orders = e.matcher.orders;
        final long[] ids = new long[n];
        final Long2LongHashMap handleById = new Long2LongHashMap(Math.max(16, n * 2), 0.5f, -1);
        for (int i = 0; i < n; i++) {
            ids[i] = orders.orderId(handles[i]);
            if (handleById.put(ids[i], handles[i]) != -1) {
                throw new SnapshotFormatException("order id " + ids[i] + " rests twice");
            }
        }
        Arrays.sort(ids);
        for (int i = 0; i < n; i++) {
            final int h = (int) handleById.get(ids[i]);
            final Account a = e.accounts[orders.account(h)];
            a.addOrder(ids[i], h, orders);
            a.position(orders.market(h)).openOrderCount++;
            e.matcher.restingById.put(ids[i], h);
        }
    }

    private static Account account(Engine e, int id) {
        if (id < 0 || id >= e.accountCount) {
            throw new SnapshotFormatException("account id " + id + " out of range");
        }
        return e.accounts[id];
    }

    private static Name readName(SnapshotSource in, String what) {
        final int length = in.getInt();
        if (length <= 0 || length > Name.CAPACITY) {
            throw new SnapshotFormatException(what + " of " + length + " bytes");
        }
        final byte[] bytes = new byte[length];
        in.getBytes(bytes, 0, length);
        final Name name = new Name();
        name.set(bytes, 0, length);
        return name;
    }

    private static int count(int n, int max, String what) {
        if (n < 0 || n > max) {
            throw new SnapshotFormatException(n + " " + what);
        }
        return n;
    }
}
