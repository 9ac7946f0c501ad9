package org.perpcore.core.liquidation;

import java.util.Arrays;
import org.perpcore.core.engine.Account;
import org.perpcore.core.engine.Market;
import org.perpcore.core.engine.Position;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.model.InsuranceCause;
import org.perpcore.core.model.LiquidationStage;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.Side;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.snapshot.SnapshotSink;
import org.perpcore.core.snapshot.SnapshotSource;

/**
 * The liquidation stage: what happens to an account, or an isolated position, at or below maintenance margin. It
 * runs on the engine thread, at the end of the command that flagged it, and loops while its own fills move prices
 * into further accounts' triggers (a cascade inside one command), at most {@value #MAX_PASSES} passes.
 *
 * <p>Per scope, in order (Binance's liquidation protocol, with Hyperliquid's slices and backstop):
 * <ol>
 *   <li>cancel its open orders and check again;</li>
 *   <li><b>partial</b>: when its largest position is above the first margin tier, one IOC liquidation order
 *       reducing it to the highest lower tier at which the scope would be back above maintenance (after the
 *       liquidation fee, estimated at the mark); the fee on what filled goes to the insurance fund; check again;</li>
 *   <li><b>full</b>: every position of the scope (cross: largest maintenance margin first) is closed at its
 *       bankruptcy price. IOC liquidation orders limited to the bankruptcy price go into the book; what they fill
 *       better than the bankruptcy price is the fund's ({@code SURPLUS}). Then, as far as the fund can pay the
 *       difference, IOC orders go below the bankruptcy price (down to the market's protection band) and the fund
 *       pays each fill's shortfall ({@code SHORTFALL}). The rest the insurance fund takes over at
 *       the bankruptcy price, within its cap on net position and as long as its equity stays above its floor
 *       ({@code TAKEOVER}); the rest again is auto-deleveraged against the ranked opposite positions at the
 *       bankruptcy price, without fee. A position above the market's slice notional goes into the book one slice
 *       (a share of it) at a time, a slice interval apart, until the scope recovers, or until its margin balance
 *       falls below two thirds of its maintenance margin, when the rest is closed at once;</li>
 *   <li>an account left with a negative wallet is brought back to zero by the fund; what the fund cannot cover is
 *       bad debt, recorded and reported (BAD_DEBT), never hidden.</li>
 * </ol>
 *
 * <p>Order when several scopes are due at once: the furthest beyond its liquidation price (relative distance of the
 * mark past it) first, then account id, then market id, as dYdX orders its liquidations.
 */
public final class Liquidator {
    static final int MAX_PASSES = 1000;

    private final LiquidationHost host;
    private final AdlRanking adl;
    private final AdlRanking quantiles;
    private final PassRanking ranking;
    private static volatile boolean verifyRankings;

    private long[] keys = new long[64];
    private Position[] crossPositions = new Position[8];

    /** Liquidations processed (scopes), book/insurance/ADL fills, since the engine started. */
    private long liquidations;
    private long adlFills;

    public Liquidator(LiquidationHost host) {
        this.host = host;
        this.adl = new AdlRanking(host);
        this.quantiles = new AdlRanking(host);
        this.ranking = new PassRanking(host, adl);
    }

    /**
     * For tests: check every ADL ranking the stage hands out (kept for a pass, see {@link PassRanking}) against a
     * full ranking computed afresh, and throw {@link IllegalStateException} on any difference. Slow; off by default.
     */
    public static void verifyRankingCache(boolean on) {
        verifyRankings = on;
    }

    /**
     * The engine changed the account's wallet or positions (or may have), outside a liquidation pass: called for
     * every account a command touched, at the end of the command and of each liquidation pass, so that the ADL
     * ranking kept across commands ({@link AdlIndex}) stays exact.
     */
    public void accountChanged(Account a) {
        ranking.changed(a);
    }

    /** The position's ADL quantile (0-5) for POSITION events. */
    public int adlQuantile(Position p) {
        return quantiles.quantile(p);
    }

    public long liquidations() {
        return liquidations;
    }

    public long adlFills() {
        return adlFills;
    }

    /**
     * Liquidates every flagged scope that is due, then deleverages any insurance fund whose own positions took its
     * equity below its floor, pass after pass while new ones appear.
     */
    public void run(EventBuffer out) {
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            ranking.newPass();
            final boolean negatives = coverNegativeWallets(out);
            final int n = collect();
            if (n == 0 && !negatives && !fundsBelowFloor()) {
                return;
            }
            for (int i = 0; i < n; i++) {
                final long key = keys[i];
                final int marketBits = (int) (key & 1023);
                liquidate(host.account((int) (key >>> 10 & ((1 << 25) - 1))),
                    marketBits == 0 ? null : host.market(marketBits - 1), out);
            }
            final boolean fundsMoved = deleverageFunds(out);
            host.afterPass(out);
            if (n == 0 && !fundsMoved && host.negativeCount() == 0) {
                return; // a fund below its floor that nobody can take positions from keeps them
            }
        }
    }

    /** Collects the due scopes as sort keys (order first, then account id and market); returns how many. */
    private int collect() {
        int n = 0;
        final long now = host.nowMs();
        for (int i = 0, count = host.calledCount(); i < count; i++) {
            final Account a = host.called(i);
            if (host.flagged(a, null) && (a.nextSliceMs() <= now || backstop(a, null))) {
                n = add(a, null, n);
            }
            for (int k = 0; k < host.marketCount(); k++) {
                final Position p = a.position(k);
                if (p != null && p.isolated() && host.flagged(a, p.market())
                    && (p.nextSliceMs() <= now || backstop(a, p.market()))) {
                    n = add(a, p.market(), n);
                }
            }
        }
        Arrays.sort(keys, 0, n);
        return n;
    }

    /**
     * The sort key of a scope: the furthest past its liquidation price first (28 bits of inverted relative
     * distance), then account id (25 bits), then market (10 bits: 0 for a cross account, id + 1 for an isolated
     * position).
     */
    private int add(Account a, Market m, int n) {
        if (n == keys.length) {
            keys = Arrays.copyOf(keys, n * 2);
        }
        final long distance = Math.min((1L << 28) - 1, distanceE8(a, m) >>> 2);
        keys[n] = ((1L << 28) - 1 - distance) << 35 | (long) a.id() << 10 | (m == null ? 0 : m.id() + 1);
        return n + 1;
    }

    /** How far the mark is past the scope's liquidation price, relative to the mark (E8; the largest position's). */
    private long distanceE8(Account a, Market m) {
        long best = 0;
        for (int k = 0; k < host.marketCount(); k++) {
            final Position p = a.position(k);
            if (p == null || p.sizeLots() == 0 || (m == null ? p.isolated() : p.market() != m)) {
                continue;
            }
            final long mark = host.priceE8(p.market());
            final long lp = p.liquidationPriceE8();
            if (mark <= 0 || lp <= 0 || lp == Long.MAX_VALUE) {
                continue;
            }
            final long past = p.sizeLots() > 0 ? lp - mark : mark - lp;
            if (past > 0) {
                best = Math.max(best, Fixed.mulDivFloor(past, Fixed.E8, mark));
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------ one scope

    private void liquidate(Account a, Market m, EventBuffer out) {
        if (!host.flagged(a, m)) {
            return; // released earlier in this pass (an earlier liquidation lifted its prices)
        }
        host.cancelOpenOrders(a, m, out);
        ranking.note(a);
        if (!host.belowMaintenance(a, m)) {
            host.release(a, m);
            return;
        }
        final Position target = m != null ? a.position(m.id()) : largestCross(a);
        if (target == null) {
            host.release(a, m);
            return;
        }
        liquidations++;
        final long reduce = partialQuantity(a, m, target);
        if (reduce > 0) {
            final long bp = host.bankruptcyPriceE8(target);
            final boolean longPosition = target.sizeLots() > 0;
            send(target, reduce, limitTicks(target.market(), bp, longPosition), out);
            final long feeRate = target.market().param(MarketParam.LIQUIDATION_FEE);
            long fees = 0;
            for (int i = 0; i < host.fillCount(); i++) {
                final long notional = host.fillPriceTicks(i) * host.fillLots(i) * lotTickValue(target.market());
                final long fee = Fixed.mulDivCeil(notional, feeRate, Fixed.E8);
                fees += fee;
                out.liquidation(a.id(), target.market().id(), longPosition ? Side.SELL : Side.BUY,
                    host.fillLots(i) * target.market().stepE8(), host.fillPriceTicks(i) * target.market().tickE8(),
                    bp, host.priceE8(target.market()), LiquidationStage.BOOK, false, fee);
            }
            if (fees > 0) {
                payFund(target, fees, InsuranceCause.LIQUIDATION_FEE, out);
            }
            if (!host.belowMaintenance(a, m)) {
                host.release(a, m);
                return;
            }
        }
        full(a, m, target, out);
    }

    /** Closes the scope at its bankruptcy prices (book, then fund, then ADL), slice by slice for large positions. */
    private void full(Account a, Market m, Position target, EventBuffer out) {
        int n = 0;
        if (m != null) {
            crossPositions[n++] = target;
        } else {
            for (int k = 0; k < host.marketCount(); k++) {
                final Position p = a.position(k);
                if (p != null && !p.isolated() && p.sizeLots() != 0) {
                    if (n == crossPositions.length) {
                        crossPositions = Arrays.copyOf(crossPositions, n * 2);
                    }
                    crossPositions[n++] = p;
                }
            }
            sortByMaintenance(crossPositions, n);
        }
        final boolean backstop = backstop(a, m);
        for (int i = 0; i < n; i++) {
            final Position p = crossPositions[i];
            crossPositions[i] = null;
            if (p.sizeLots() == 0) {
                continue;
            }
            final Market market = p.market();
            final long size = Math.abs(p.sizeLots());
            final long sliceNotional = market.param(MarketParam.SLICE_NOTIONAL);
            final boolean slice = !backstop && sliceNotional > 0 && host.notionalE8(p) > sliceNotional;
            final long lots = slice
                ? Math.max(1, Fixed.mulDivCeil(size, market.param(MarketParam.SLICE_FRACTION), Fixed.E8)) : size;
            closeAtBankruptcy(a, p, lots, out);
            if (slice) {
                host.setNextSlice(a, m, host.nowMs() + market.param(MarketParam.SLICE_INTERVAL));
                if (!host.belowMaintenance(a, m)) {
                    host.release(a, m);
                }
                return; // the next slice comes after the interval, or at once if the backstop is reached
            }
        }
        if (m == null || a.walletE8() < 0) {
            final Account fund = host.fund(market(m, target), out);
            coverBadDebt(a, fund, market(m, target), out);
        }
        host.release(a, m);
    }

    private static Market market(Market m, Position target) {
        return m != null ? m : target.market();
    }

    /** Book at the bankruptcy price, then the fund, then ADL, for {@code lots} of the position. */
    private void closeAtBankruptcy(Account a, Position p, long lots, EventBuffer out) {
        final Market market = p.market();
        final boolean longPosition = p.sizeLots() > 0;
        final Side side = longPosition ? Side.SELL : Side.BUY;
        final long bp = host.bankruptcyPriceE8(p);
        final long mark = host.priceE8(market);
        final long filled = send(p, lots, limitTicks(market, bp, longPosition), out);
        long surplus = 0;
        for (int i = 0; i < host.fillCount(); i++) {
            final long q = host.fillLots(i);
            final long fillNotional = host.fillPriceTicks(i) * q * lotTickValue(market);
            final long atBankruptcy = bankruptcyNotional(bp, q, market, longPosition);
            surplus += Math.max(0, longPosition ? fillNotional - atBankruptcy : atBankruptcy - fillNotional);
            out.liquidation(a.id(), market.id(), side, q * market.stepE8(), host.fillPriceTicks(i) * market.tickE8(),
                bp, mark, LiquidationStage.BOOK, true, 0);
        }
        if (surplus > 0) {
            payFund(p, surplus, InsuranceCause.SURPLUS, out);
        }
        long rest = lots - filled;
        if (rest <= 0) {
            return;
        }
        rest -= belowBankruptcy(a, p, rest, bp, out);
        if (rest <= 0) {
            return;
        }
        rest -= takeover(a, p, rest, bp, out);
        if (rest > 0) {
            deleverage(a, p, rest, bp, out);
        }
    }

    /**
     * The book below the bankruptcy price, the fund paying each fill's shortfall: as much as the fund can cover at
     * the book's prices, down to the worst price allowed (the market's protection band around the mark), with its
     * equity kept above its floor.
     * Returns the lots filled.
     */
    private long belowBankruptcy(Account a, Position p, long rest, long bp, EventBuffer out) {
        final Market market = p.market();
        final boolean longPosition = p.sizeLots() > 0;
        final long mark = host.priceE8(market);
        final long band = market.param(MarketParam.MARKET_BAND);
        final long worstE8 = longPosition ? Fixed.mulDivCeil(mark, Fixed.E8 - band, Fixed.E8)
            : Fixed.mulDivFloor(mark, Fixed.E8 + band, Fixed.E8);
        if (longPosition ? worstE8 >= bp : worstE8 <= bp) {
            return 0; // the band does not reach past the bankruptcy price
        }
        final Account fund = host.fund(market, out);
        final long room = host.fundEquityE8(fund) - market.param(MarketParam.INSURANCE_FLOOR);
        final long worstTicks = longPosition ? Fixed.mulDivCeil(worstE8, 1, market.tickE8())
            : worstE8 / market.tickE8();
        final long lots = affordableLots(market, longPosition, rest, bp, worstTicks, room);
        if (lots <= 0) {
            return 0;
        }
        final long filled = send(p, lots, Math.max(1, worstTicks), out);
        long shortfall = 0;
        for (int i = 0; i < host.fillCount(); i++) {
            final long q = host.fillLots(i);
            final long fillNotional = host.fillPriceTicks(i) * q * lotTickValue(market);
            final long atBankruptcy = bankruptcyNotional(bp, q, market, longPosition);
            shortfall += Math.max(0, longPosition ? atBankruptcy - fillNotional : fillNotional - atBankruptcy);
            out.liquidation(a.id(), market.id(), longPosition ? Side.SELL : Side.BUY, q * market.stepE8(),
                host.fillPriceTicks(i) * market.tickE8(), bp, mark, LiquidationStage.BOOK, true, 0);
        }
        if (shortfall > 0) {
            fundPays(p, shortfall, InsuranceCause.SHORTFALL, out);
        }
        return filled;
    }

    /**
     * How many lots the book takes between the bankruptcy price and the worst price whose shortfalls the fund's
     * {@code budgetE8} covers: the opposite side walked from its best level, each lot costing what its price falls
     * short of the bankruptcy price (rounded against the fund).
     */
    private long affordableLots(Market market, boolean longPosition, long rest, long bp, long worstTicks,
                                long budgetE8) {
        final boolean bids = longPosition; // a long is closed by selling into the bids
        final long atBankruptcyPerLot = bankruptcyNotional(bp, 1, market, longPosition);
        final long lotTickValue = lotTickValue(market);
        final int levels = host.bookLevels(market, bids);
        long budget = budgetE8;
        long lots = 0;
        for (int depth = 0; depth < levels && lots < rest && budget > 0; depth++) {
            final long priceTicks = host.levelPriceTicks(market, bids, depth);
            if (longPosition ? priceTicks < worstTicks : priceTicks > worstTicks) {
                break;
            }
            final long levelLots = Math.min(rest - lots, host.levelLots(market, bids, depth));
            final long perLot = 1 + Math.max(0, longPosition ? atBankruptcyPerLot - priceTicks * lotTickValue
                : priceTicks * lotTickValue - atBankruptcyPerLot);
            final long q = Math.min(levelLots, budget / perLot);
            lots += q;
            budget -= q * perLot;
            if (q < levelLots) {
                break;
            }
        }
        return lots;
    }

    /** The fund takes over what it can at the bankruptcy price; returns the lots it took. */
    private long takeover(Account a, Position p, long rest, long bp, EventBuffer out) {
        final Market market = p.market();
        final long cap = market.param(MarketParam.INSURANCE_CAP);
        if (cap <= 0) {
            return 0;
        }
        final boolean longPosition = p.sizeLots() > 0;
        final Account fund = host.fund(market, out);
        final long mark = host.priceE8(market);
        final long perLotMark = Math.max(1, Fixed.mulDivCeil(mark, market.stepE8(), Fixed.E8));
        // what the fund's position may grow to, at the mark
        final Position held = fund.position(market.id());
        final long heldSigned = held == null ? 0 : held.sizeLots();
        final long direction = longPosition ? 1 : -1; // the fund takes the liquidated side
        final long capLots = cap / perLotMark;
        final long room = Math.max(0, capLots - direction * heldSigned);
        long lots = Math.min(rest, room);
        // and its equity may not fall below the floor by the loss at the mark
        final long equity = host.fundEquityE8(fund);
        final long floor = market.param(MarketParam.INSURANCE_FLOOR);
        if (lots > 0) {
            final long lossPerLot = Math.max(0, longPosition
                ? bankruptcyNotional(bp, 1, market, true) - perLotMarkDown(mark, market)
                : perLotMark - bankruptcyNotional(bp, 1, market, false));
            if (lossPerLot > 0) {
                lots = Math.min(lots, Math.max(0, (equity - floor) / lossPerLot));
            } else if (equity < floor) {
                lots = 0;
            }
        }
        if (lots <= 0) {
            return 0;
        }
        final long notional = bankruptcyNotional(bp, lots, market, longPosition);
        final long before = host.fundEquityE8(fund);
        transfer(p, fund, lots, notional);
        host.reportForcedFill(a, market, !longPosition, lots, bp, false, out);
        host.reportForcedFill(fund, market, longPosition, lots, bp, false, out);
        out.liquidation(a.id(), market.id(), longPosition ? Side.SELL : Side.BUY, lots * market.stepE8(), bp, bp,
            mark, LiquidationStage.INSURANCE, true, 0);
        final long after = host.fundEquityE8(fund);
        out.insurance(market.id(), fund.id(), after, after - before, InsuranceCause.TAKEOVER, a.id());
        return lots;
    }

    /**
     * Closes the rest against the ranked opposite positions at the bankruptcy price (or the mark, if that is
     * better for them), without fee. Insurance funds
     * never rank; only when no trader holds the other side does the rest close against the fund's own opposite
     * position, and if even that is not enough (it cannot be while open interest balances) the fund takes the
     * rest whatever its cap: a position is never left open past its bankruptcy.
     */
    private void deleverage(Account a, Position p, long rest, long bankruptcyE8, EventBuffer out) {
        // never worse than the mark for the other side: a bankruptcy price past the mark (the account's equity
        // already below zero) is not passed on through ADL; the account's remaining loss is bad debt instead
        final long markE8 = host.priceE8(p.market());
        final long bp = p.sizeLots() > 0 ? Math.min(bankruptcyE8, markE8) : Math.max(bankruptcyE8, markE8);
        rest = deleverageRanked(a, p, rest, bp, bankruptcyE8, out);
        if (rest <= 0 || a.isFund()) {
            return;
        }
        final Market market = p.market();
        final boolean longPosition = p.sizeLots() > 0;
        final Account fund = host.fund(market, out);
        final Position held = fund.position(market.id());
        final long before = host.fundEquityE8(fund);
        if (held != null && held.sizeLots() != 0 && (held.sizeLots() > 0) != longPosition) {
            final long q = Math.min(rest, Math.abs(held.sizeLots()));
            close(a, p, fund, q, bp, bankruptcyE8, LiquidationStage.ADL, out);
            out.adl(fund.id(), a.id(), market.id(), longPosition ? Side.BUY : Side.SELL, q * market.stepE8(), bp);
            adlFills++;
            rest -= q;
        }
        if (rest > 0) {
            close(a, p, fund, rest, bp, bankruptcyE8, LiquidationStage.INSURANCE, out);
        }
        final long after = host.fundEquityE8(fund);
        out.insurance(market.id(), fund.id(), after, after - before, InsuranceCause.TAKEOVER, a.id());
    }

    /** {@link #deleverage} against the ranked traders only; returns what is left. */
    private long deleverageRanked(Account a, Position p, long rest, long priceE8, long bankruptcyE8,
                                  EventBuffer out) {
        final Market market = p.market();
        final boolean longPosition = p.sizeLots() > 0;
        ranking.begin(market, !longPosition, a.id(), verifyRankings);
        Position winner;
        while (rest > 0 && (winner = ranking.next()) != null) {
            final long q = Math.min(rest, Math.abs(winner.sizeLots()));
            if (q == 0) {
                continue;
            }
            close(a, p, winner.account(), q, priceE8, bankruptcyE8, LiquidationStage.ADL, out);
            out.adl(winner.account().id(), a.id(), market.id(), longPosition ? Side.BUY : Side.SELL,
                q * market.stepE8(), priceE8);
            adlFills++;
            rest -= q;
        }
        return rest;
    }

    /** Moves {@code lots} of {@code p} to {@code to} at {@code priceE8} outside the book, with its events. */
    private void close(Account a, Position p, Account to, long lots, long priceE8, LiquidationStage stage,
                       EventBuffer out) {
        close(a, p, to, lots, priceE8, priceE8, stage, out);
    }

    private void close(Account a, Position p, Account to, long lots, long priceE8, long bankruptcyE8,
                       LiquidationStage stage, EventBuffer out) {
        final Market market = p.market();
        final boolean longPosition = p.sizeLots() > 0;
        transfer(p, to, lots, bankruptcyNotional(priceE8, lots, market, longPosition));
        final boolean adlFill = stage == LiquidationStage.ADL;
        host.reportForcedFill(a, market, !longPosition, lots, priceE8, adlFill, out);
        host.reportForcedFill(to, market, longPosition, lots, priceE8, adlFill, out);
        out.liquidation(a.id(), market.id(), longPosition ? Side.SELL : Side.BUY, lots * market.stepE8(), priceE8,
            bankruptcyE8, host.priceE8(market), stage, true, 0);
    }

    // ------------------------------------------------------------------------------------------ the funds

    /** Brings the wallets the command left negative outside a liquidation back to zero from a fund (bad debt). */
    private boolean coverNegativeWallets(EventBuffer out) {
        final int n = host.negativeCount();
        for (int i = 0; i < n; i++) {
            final Account a = host.negative(i);
            if (a.walletE8() < 0) {
                final Market m = host.badDebtMarket(a);
                coverBadDebt(a, host.fund(m, out), m, out);
            }
        }
        host.clearNegative();
        return n > 0;
    }

    /** Some fund holds positions and its equity is below its market's floor. */
    private boolean fundsBelowFloor() {
        for (int k = 0; k < host.marketCount(); k++) {
            final Market m = host.market(k);
            final Account fund = host.existingFund(m);
            if (fund != null && holds(fund, m)
                && host.fundEquityE8(fund) < m.param(MarketParam.INSURANCE_FLOOR)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(Account fund, Market m) {
        final Position p = fund.position(m.id());
        return p != null && p.sizeLots() != 0;
    }

    /**
     * A fund whose positions (taken over from bankrupt accounts) lost it more than its equity above the floor
     * closes them by ADL against the ranked traders at the mark: its loss stops growing, and whatever equity it
     * is left with below zero is recorded as bad debt, never passed on silently.
     */
    private boolean deleverageFunds(EventBuffer out) {
        boolean moved = false;
        for (int k = 0; k < host.marketCount(); k++) {
            final Market m = host.market(k);
            final Account fund = host.existingFund(m);
            if (fund == null || !holds(fund, m)) {
                continue;
            }
            final long before = host.fundEquityE8(fund);
            if (before >= m.param(MarketParam.INSURANCE_FLOOR)) {
                continue;
            }
            final Position p = fund.position(m.id());
            final long size = Math.abs(p.sizeLots());
            final long rest = deleverageRanked(fund, p, size, host.priceE8(m), host.bankruptcyPriceE8(p), out);
            if (rest != size) {
                moved = true;
                final long after = host.fundEquityE8(fund);
                out.insurance(m.id(), fund.id(), after, after - before, InsuranceCause.DELEVERAGE, -1);
            }
            host.recordFundDeficit(fund, m, out);
        }
        return moved;
    }

    // ------------------------------------------------------------------------------------------ changes of state

    // Every change the stage makes to a wallet or a position goes through these, so that the pass's ADL rankings
    // re-score exactly the accounts whose scores may have moved (PassRanking).

    private long send(Position p, long lots, long limitTicks, EventBuffer out) {
        final long filled = host.sendLiquidationOrder(p, lots, limitTicks, out);
        ranking.note(p.account());
        for (int i = 0; i < host.fillCount(); i++) {
            ranking.note(host.account(host.fillMaker(i)));
        }
        return filled;
    }

    private void payFund(Position p, long amountE8, InsuranceCause cause, EventBuffer out) {
        host.payFund(p, amountE8, cause, out);
        ranking.note(p.account());
    }

    private void fundPays(Position p, long amountE8, InsuranceCause cause, EventBuffer out) {
        host.fundPays(p, amountE8, cause, out);
        ranking.note(p.account());
    }

    private void transfer(Position from, Account to, long lots, long notionalE8) {
        final Account owner = from.account();
        host.transfer(from, to, lots, notionalE8);
        ranking.note(owner);
        ranking.note(to);
    }

    private long coverBadDebt(Account a, Account fund, Market m, EventBuffer out) {
        final long uncovered = host.coverBadDebt(a, fund, m, out);
        ranking.note(a);
        ranking.note(fund);
        return uncovered;
    }

    // ------------------------------------------------------------------------------------------ quantities

    /**
     * Binance's partial liquidation: the smallest reduction that brings the position into a lower margin tier at
     * which the scope is back above maintenance (after the fee), tried from the next lower tier down; 0 when none
     * does, or when the position is in the first tier.
     */
    private long partialQuantity(Account a, Market m, Position p) {
        final Market market = p.market();
        final long notional = host.notionalE8(p);
        final int tier = market.brackets().tierOf(notional);
        if (tier == 0) {
            return 0;
        }
        final long size = Math.abs(p.sizeLots());
        final long price = host.priceE8(market);
        final long perLot = Math.max(1, Fixed.mulDivCeil(price, market.stepE8(), Fixed.E8));
        final long balance = host.marginBalanceE8(a, m);
        final long maintenance = host.maintenanceMarginE8(a, m);
        final long own = host.maintenanceMarginE8(p);
        final long feeRate = market.param(MarketParam.LIQUIDATION_FEE);
        for (int t = tier - 1; t >= 0; t--) {
            final long targetLots = Math.min(size - 1, (market.brackets().floorE8(t + 1) - 1) / perLot);
            if (targetLots <= 0) {
                continue;
            }
            final long reduce = size - targetLots;
            final long fee = Fixed.mulDivCeil(perLot * reduce, feeRate, Fixed.E8);
            final long after = maintenance - own + host.maintenanceMarginOfE8(p, targetLots);
            if (balance - fee > after) {
                return reduce;
            }
        }
        return 0;
    }

    /** Hyperliquid's backstop: below two thirds of maintenance margin, no more slices. */
    private boolean backstop(Account a, Market m) {
        final long maintenance = host.maintenanceMarginE8(a, m);
        return 3 * host.marginBalanceE8(a, m) < 2 * maintenance;
    }

    /** The limit of a liquidation order: the bankruptcy price rounded to the tick on the safe side. */
    private static long limitTicks(Market m, long bankruptcyPriceE8, boolean longPosition) {
        final long tick = m.tickE8();
        if (longPosition) {
            return Math.min(m.maxPriceTicks(), Math.max(1, Fixed.mulDivCeil(Math.max(0, bankruptcyPriceE8), 1, tick)));
        }
        if (bankruptcyPriceE8 == Long.MAX_VALUE || bankruptcyPriceE8 / tick > m.maxPriceTicks()) {
            return m.maxPriceTicks();
        }
        return Math.max(1, bankruptcyPriceE8 / tick);
    }

    /** Notional of {@code lots} at the bankruptcy price, rounded in the liquidated account's favour. */
    private static long bankruptcyNotional(long bp, long lots, Market m, boolean longPosition) {
        final long qty = lots * m.stepE8();
        final long price = bp == Long.MAX_VALUE ? m.maxPriceTicks() * m.tickE8() : Math.max(0, bp);
        return longPosition ? Fixed.mulDivCeil(price, qty, Fixed.E8) : Fixed.mulDivFloor(price, qty, Fixed.E8);
    }

    private static long perLotMarkDown(long mark, Market m) {
        return Fixed.mulDivFloor(mark, m.stepE8(), Fixed.E8);
    }

    private static long lotTickValue(Market m) {
        return m.tickE8() * m.stepE8() / Fixed.E8;
    }

    private Position largestCross(Account a) {
        Position best = null;
        long bestMaintenance = -1;
        for (int k = 0; k < host.marketCount(); k++) {
            final Position p = a.position(k);
            if (p != null && !p.isolated() && p.sizeLots() != 0) {
                final long mm = host.maintenanceMarginE8(p);
                if (mm > bestMaintenance) {
                    best = p;
                    bestMaintenance = mm;
                }
            }
        }
        return best;
    }

    /** Largest maintenance margin first, then market id (insertion sort: an account holds a few markets). */
    private void sortByMaintenance(Position[] positions, int n) {
        for (int i = 1; i < n; i++) {
            final Position p = positions[i];
            final long mm = host.maintenanceMarginE8(p);
            int j = i - 1;
            while (j >= 0 && host.maintenanceMarginE8(positions[j]) < mm) {
                positions[j + 1] = positions[j];
                j--;
            }
            positions[j + 1] = p;
        }
    }

    /** Writes the stage's own state for a snapshot: its counters and the ADL quantile thresholds in use. */
    public void writeState(SnapshotSink out) {
        out.putLong(liquidations);
        out.putLong(adlFills);
        adl.writeState(out);
        quantiles.writeState(out);
    }

    /** Restores what {@link #writeState} wrote. */
    public void readState(SnapshotSource in) {
        liquidations = in.getLong();
        adlFills = in.getLong();
        adl.readState(in);
        quantiles.readState(in);
        ranking.clear();
    }
}
