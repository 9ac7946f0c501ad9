package org.perpcore.core.engine;

import java.util.Arrays;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.model.AccountReason;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.risk.RiskMath;

/**
 * Positions, margin and the watch on maintenance margin, on the engine thread. Follows Binance USDⓈ-M one-way mode:
 * positions with an exactly tracked entry notional, realised PnL into the wallet, cross and isolated margin,
 * initial margin for positions and open orders, maintenance margin by tier, liquidation prices, and detection of
 * every account at or below maintenance margin in the command that puts it there.
 *
 * <p>Watching without scanning: every position with a finite liquidation price sits in its market's
 * {@link TriggerIndex} under a trigger price a little beyond it (the margin of safety covers the roundings of
 * the engine's own check). When a market's price moves, only the positions whose triggers it crossed are checked;
 * a position whose account is still above maintenance goes back under the same trigger. A position's trigger is
 * recomputed when its account changes (fills, fees, funding, transfers) and, for cross accounts holding several
 * markets, when another of those markets' price moves.
 *
 * <p>Valuation price of a market: its mark when it has one (index known, or forced), else its last trade price.
 */
final class RiskEngine {
    private static final long E8 = Fixed.E8;

    private final Engine engine;

    Account[] dirty = new Account[64];
    int dirtyCount;
    Position[] recheck = new Position[64];
    int recheckCount;
    Account[] called = new Account[16];
    int calledCount;
    Account[] negative = new Account[8];
    int negativeCount;

    // figures of the account computed last by figures()
    long fWalletTotalE8;
    long fCrossUpnlE8;
    long fTotalUpnlE8;
    long fCrossMaintE8;
    long fTotalMaintE8;
    long fCrossInitialE8;
    long fIsolatedOrderInitialE8;
    long fAvailableE8;
    int fCrossPositions;

    RiskEngine(Engine engine) {
        this.engine = engine;
    }

    // ------------------------------------------------------------------------------------------ prices

    /** The market's valuation price, E8 (0 when it has neither a mark nor a trade). */
    static long priceE8(Market m) {
        return m.markE8 > 0 ? m.markE8 : m.lastPriceTicks * m.tickE8;
    }

    /** The position, created (flat, default settings) on first use. */
    static Position position(Account a, Market m) {
        Position p = a.position(m.id());
        if (p == null) {
            p = new Position(a, m);
            a.setPosition(m.id(), p);
        }
        return p;
    }

    // ------------------------------------------------------------------------------------------ figures

    /** Initial margin of a market's position plus open orders: {@code max(|N + B|, |N - S|) / leverage}, rounded up. */
    private static long initialMarginE8(Position p, long priceE8, long extraBuyE8, long extraSellE8) {
        return initialOf(p, exposureOf(p, signedNotionalE8(p, priceE8), extraBuyE8, extraSellE8));
    }

    /** The larger of the two exposures of {@link #initialMarginE8}, before dividing by the leverage. */
    private static long exposureE8(Position p, long priceE8, long extraBuyE8, long extraSellE8) {
        return exposureOf(p, signedNotionalE8(p, priceE8), extraBuyE8, extraSellE8);
    }

    /** {@code max(|N + B|, |N - S|)} for the position's signed notional {@code N}, or OVERFLOW. */
    private static long exposureOf(Position p, long positionE8, long extraBuyE8, long extraSellE8) {
        final long buys = Fixed.add(Fixed.add(positionE8, p.buyOrderNotionalE8), extraBuyE8);
        final long sells = Fixed.add(Fixed.add(positionE8, -p.sellOrderNotionalE8), -extraSellE8);
        if (buys == Fixed.OVERFLOW || sells == Fixed.OVERFLOW) {
            return Fixed.OVERFLOW;
        }
        return Math.max(Math.abs(buys), Math.abs(sells));
    }

    /** The initial margin of an exposure: divided by the leverage, rounded up (OVERFLOW stays OVERFLOW). */
    private static long initialOf(Position p, long exposureE8) {
        return exposureE8 == Fixed.OVERFLOW ? Fixed.OVERFLOW : Fixed.mulDivCeil(exposureE8, 1, p.leverage);
    }

    /** The position's notional at a price, signed, rounded away from zero (a requirement never understated). */
    private static long signedNotionalE8(Position p, long priceE8) {
        if (p.sizeLots == 0) {
            return 0;
        }
        final long n = priceE8 == priceE8(p.market) ? value(p).vNotionalE8 : RiskMath.notionalUpE8(priceE8, p.qtyE8());
        return p.sizeLots > 0 ? n : -n;
    }

    static long unrealizedPnlE8(Position p) {
        return p.sizeLots == 0 ? 0 : value(p).vUpnlE8;
    }

    /**
     * The position's maintenance margin at its market's valuation price, cached apart from its notional and PnL:
     * an order's margin check needs those, not this, and a price that moved between two orders would otherwise
     * cost a tier lookup and a 128-bit product on every placement.
     */
    static long maintenanceMarginE8(Position p) {
        if (p.sizeLots == 0) {
            return 0;
        }
        value(p);
        final Market m = p.market;
        if (!p.vMaintKnown || p.vTiersVersion != m.tiersVersion) {
            final long notional = p.vNotionalE8;
            p.vMaintE8 = notional == Fixed.OVERFLOW ? Fixed.OVERFLOW : m.brackets.maintenanceMarginE8(notional);
            p.vTiersVersion = m.tiersVersion;
            p.vMaintKnown = true;
        }
        return p.vMaintE8;
    }

    /**
     * The position's notional and PnL at its market's valuation price, recomputed only when the price or the
     * position changed since the last time: an order placed between two price changes costs no arithmetic on the
     * positions it does not touch.
     */
    private static Position value(Position p) {
        final Market m = p.market;
        final long price = priceE8(m);
        if (p.vPriceE8 != price || p.vSizeLots != p.sizeLots || p.vCostE8 != p.costE8) {
            valueAt(p, m, price);
        }
        return p;
    }

    /**
     * {@code price x |qty| / 1e8} up and down, as {@link RiskMath#notionalUpE8} and {@link RiskMath#notionalDownE8}
     * give them, then the PnL as {@link RiskMath#unrealizedPnlE8}. With {@code qty = lots x step} and
     * {@code 1e8 = step x k} (a step dividing one unit, as every real one does) the quotient is exactly
     * {@code price x lots / k}: one 64-bit product and one division give both roundings, where the general path
     * forms a 128-bit product (above 2^63 for a position worth a few BTC at 60,000) and divides it twice.
     */
    private static void valueAt(Position p, Market m, long price) {
        final long lots = p.sizeLots;
        final long cost = p.costE8;
        p.vPriceE8 = price;
        p.vSizeLots = lots;
        p.vCostE8 = cost;
        p.vMaintKnown = false;
        if (lots == 0) {
            p.vNotionalE8 = 0;
            p.vUpnlE8 = 0;
            return;
        }
        final long abs = Math.abs(lots);
        final long k = m.lotsPerUnit;
        final long product = price * abs;
        final long up;
        final long down;
        if (k > 0 && abs <= m.maxExactLots && product >= 0 && Math.multiplyHigh(price, abs) == 0) {
            down = product / k;
            up = down * k == product ? down : down + 1;
        } else {
            final long qty = p.qtyE8();
            up = RiskMath.notionalUpE8(price, qty);
            down = RiskMath.notionalDownE8(price, qty);
        }
        p.vNotionalE8 = up;
        if (lots > 0) {
            p.vUpnlE8 = down == Fixed.OVERFLOW ? Fixed.OVERFLOW : Fixed.add(down, -cost);
        } else {
            p.vUpnlE8 = up == Fixed.OVERFLOW ? Fixed.OVERFLOW : Fixed.add(cost, -up);
        }
    }

    /**
     * Computes the account's figures into the {@code f...} fields. Available balance counts unrealised losses but
     * not unrealised profits (Perpcore's choice, conservative): {@code cross wallet + min(0, cross uPnL) - cross
     * initial margin - initial margin of isolated markets' open orders}.
     */
    void figures(Account a) {
        long walletTotal = a.walletE8;
        long crossUpnl = 0;
        long totalUpnl = 0;
        long crossMaint = 0;
        long totalMaint = 0;
        long crossInitial = 0;
        long isolatedOrderInitial = 0;
        int crossPositions = 0;
        final Position[] positions = a.positions();
        for (int i = 0, n = a.positionCapacity(); i < n; i++) {
            final Position p = positions[i];
            if (p == null || (p.sizeLots == 0 && !p.hasOpenOrders() && p.isolatedMarginE8 == 0)) {
                continue;
            }
            final long price = priceE8(p.market);
            final long upnl = unrealizedPnlE8(p);
            final long maint = maintenanceMarginE8(p);
            final long initial = initialMarginE8(p, price, 0, 0);
            totalUpnl += upnl;
            totalMaint += maint;
            if (p.isolated) {
                walletTotal += p.isolatedMarginE8;
                if (p.hasOpenOrders()) {
                    final long positionOnly = Fixed.mulDivCeil(Math.abs(signedNotionalE8(p, price)), 1, p.leverage);
                    isolatedOrderInitial += Math.max(0, initial - positionOnly);
                }
            } else {
                crossUpnl += upnl;
                crossMaint += maint;
                crossInitial += initial;
                if (p.sizeLots != 0) {
                    crossPositions++;
                }
            }
        }
        fWalletTotalE8 = walletTotal;
        fCrossUpnlE8 = crossUpnl;
        fTotalUpnlE8 = totalUpnl;
        fCrossMaintE8 = crossMaint;
        fTotalMaintE8 = totalMaint;
        fCrossInitialE8 = crossInitial;
        fIsolatedOrderInitialE8 = isolatedOrderInitial;
        fAvailableE8 = a.walletE8 + Math.min(0, crossUpnl) - crossInitial - isolatedOrderInitial;
        fCrossPositions = crossPositions;
    }

    /**
     * Available balance of the account, as {@link #figures} computes it (the same sums in the same order), without
     * the figures it does not need: no maintenance margin is computed, and the {@code f...} fields are left alone.
     */
    long availableE8(Account a) {
        long crossUpnl = 0;
        long crossInitial = 0;
        long isolatedOrderInitial = 0;
        final Position[] positions = a.positions();
        for (int i = 0, n = a.positionCapacity(); i < n; i++) {
            final Position p = positions[i];
            if (p == null || (p.sizeLots == 0 && !p.hasOpenOrders() && p.isolatedMarginE8 == 0)) {
                continue;
            }
            final long price = priceE8(p.market);
            final long initial = initialMarginE8(p, price, 0, 0);
            if (p.isolated) {
                if (p.hasOpenOrders()) {
                    final long positionOnly = Fixed.mulDivCeil(Math.abs(signedNotionalE8(p, price)), 1, p.leverage);
                    isolatedOrderInitial += Math.max(0, initial - positionOnly);
                }
            } else {
                crossUpnl += unrealizedPnlE8(p);
                crossInitial += initial;
            }
        }
        return a.walletE8 + Math.min(0, crossUpnl) - crossInitial - isolatedOrderInitial;
    }

    // ------------------------------------------------------------------------------------------ pre-trade

    /**
     * Checks that the account can carry one more order: margin (-2019), the size its leverage allows (-2027).
     * {@code notionalE8} is the order's notional at the price it may trade at; {@code openCostE8} what opening
     * costs beyond initial margin (its loss against the mark, and the taker fee).
     */
    RejectCode checkOrder(Account a, Market m, boolean buy, long notionalE8, long openCostE8) {
        final Position p = a.position(m.id());
        final long price = priceE8(m);
        final long extraBuy = buy ? notionalE8 : 0;
        final long extraSell = buy ? 0 : notionalE8;
        if (p == null) {
            // a fresh position at the default settings
            final Position fresh = new Position(a, m);
            return checkFresh(a, m, fresh, price, extraBuy, extraSell, openCostE8);
        }
        // the position's notional once for the three figures (each of them used to value it again)
        final long positionE8 = signedNotionalE8(p, price);
        final long before = initialOf(p, exposureOf(p, positionE8, 0, 0));
        final long exposure = exposureOf(p, positionE8, extraBuy, extraSell);
        final long after = initialOf(p, exposure);
        if (after == Fixed.OVERFLOW || before == Fixed.OVERFLOW) {
            return RejectCode.OVERFLOW;
        }
        if (after <= before) {
            return RejectCode.NONE; // reduces exposure: always allowed
        }
        if (exposure > m.brackets.maxNotionalForLeverage(p.leverage) || aboveMaxPosition(m, exposure)) {
            return RejectCode.MAX_LEVERAGE_RATIO;
        }
        return availableE8(a) >= after - before + openCostE8 ? RejectCode.NONE : RejectCode.MARGIN_NOT_SUFFICIENT;
    }

    private RejectCode checkFresh(Account a, Market m, Position fresh, long price, long extraBuy, long extraSell,
                                  long openCostE8) {
        final long after = initialMarginE8(fresh, price, extraBuy, extraSell);
        if (after == Fixed.OVERFLOW) {
            return RejectCode.OVERFLOW;
        }
        final long exposure = exposureE8(fresh, price, extraBuy, extraSell);
        if (exposure > m.brackets.maxNotionalForLeverage(fresh.leverage) || aboveMaxPosition(m, exposure)) {
            return RejectCode.MAX_LEVERAGE_RATIO;
        }
        return availableE8(a) >= after + openCostE8 ? RejectCode.NONE : RejectCode.MARGIN_NOT_SUFFICIENT;
    }

    /** The market's position limit (whatever the leverage), as the events of 2025 argue for; 0: none. */
    private static boolean aboveMaxPosition(Market m, long exposureE8) {
        final long max = m.param(MarketParam.MAX_POSITION);
        return max > 0 && exposureE8 > max;
    }

    // ------------------------------------------------------------------------------------------ orders in book

    /** An order of {@code lots} at {@code priceTicks} now rests (or its resting quantity grew). */
    void onRest(Account a, Market m, boolean buy, long lots, long priceTicks, boolean reduceOnly) {
        final Position p = position(a, m);
        final long notional = priceTicks * lots * m.lotTickValueE8;
        if (buy) {
            p.buyOrderLots += lots;
            p.buyOrderNotionalE8 += notional;
        } else {
            p.sellOrderLots += lots;
            p.sellOrderNotionalE8 += notional;
        }
        if (reduceOnly) {
            p.reduceOnlyOrders++;
        }
    }

    /** {@code lots} of a resting order left the book (fill, cancel, expiry, amend down); {@code whole}: the order left. */
    void onUnrest(Account a, Market m, boolean buy, long lots, long priceTicks, boolean reduceOnly, boolean whole) {
        final Position p = a.position(m.id());
        final long notional = priceTicks * lots * m.lotTickValueE8;
        if (buy) {
            p.buyOrderLots -= lots;
            p.buyOrderNotionalE8 -= notional;
        } else {
            p.sellOrderLots -= lots;
            p.sellOrderNotionalE8 -= notional;
        }
        if (reduceOnly && whole) {
            p.reduceOnlyOrders--;
        }
    }

    // ------------------------------------------------------------------------------------------ fills

    /**
     * One side of a trade: {@code lots} bought or sold for {@code notionalE8} in all (the same amount for both
     * sides, so money is conserved whatever the price). Updates size and entry notional, realises PnL into the
     * wallet, moves isolated margin, keeps open interest, and marks the account for the end-of-command checks.
     */
    void onFill(Account a, Market m, boolean buy, long lots, long notionalE8) {
        final Position p = position(a, m);
        final long before = p.sizeLots;
        if (before == 0 || (before > 0) == buy) {
            open(p, a, notionalE8);
            p.sizeLots += buy ? lots : -lots;
        } else {
            final long size = Math.abs(before);
            final long close = Math.min(lots, size);
            final long closeNotional = close == lots ? notionalE8 : Fixed.mulDivFloor(notionalE8, close, lots);
            // the cost leaving with the closed part: up for a long, down for a short, so realised PnL is never
            // overstated; the full remainder when the position closes
            final long removed = close == size ? p.costE8
                : before > 0 ? Fixed.mulDivCeil(p.costE8, close, size) : Fixed.mulDivFloor(p.costE8, close, size);
            final long realized = before > 0 ? closeNotional - removed : removed - closeNotional;
            p.costE8 -= removed;
            p.sizeLots += buy ? close : -close;
            a.walletE8 += realized;
            p.realizedPnlE8 += realized;
            if (p.isolated) {
                final long release = close == size ? p.isolatedMarginE8
                    : Fixed.mulDivFloor(p.isolatedMarginE8, close, size);
                p.isolatedMarginE8 -= release;
                a.walletE8 += release;
            }
            final long rest = lots - close;
            if (rest > 0) {
                open(p, a, notionalE8 - closeNotional);
                p.sizeLots = buy ? rest : -rest;
            }
        }
        final long after = p.sizeLots;
        m.openLongLots += Math.max(after, 0) - Math.max(before, 0);
        m.openShortLots += Math.max(-after, 0) - Math.max(-before, 0);
        if (before == 0 && after != 0) {
            m.addPosition(p);
        } else if (before != 0 && after == 0) {
            m.removePosition(p);
        }
        touch(p);
    }

    /** Adds notional to the position's entry; an isolated position takes its initial margin from the wallet. */
    private static void open(Position p, Account a, long notionalE8) {
        p.costE8 += notionalE8;
        if (p.isolated) {
            final long im = Fixed.mulDivCeil(notionalE8, 1, p.leverage);
            a.walletE8 -= im;
            p.isolatedMarginE8 += im;
        }
    }

    // ------------------------------------------------------------------------------------------ dirty tracking

    /** The position changed in this command (a fill): report it and re-examine its account at the end. */
    void touch(Position p) {
        touch(p, AccountReason.ORDER);
    }

    /** The position changed in this command for {@code reason}: report it and re-examine its account at the end. */
    void touch(Position p, AccountReason reason) {
        p.dirty = true;
        touch(p.account, reason);
    }

    /** The account's balance changed in this command. */
    void touch(Account a, AccountReason reason) {
        if (!a.dirty) {
            a.dirty = true;
            a.dirtyReason = reason;
            if (!a.recompute) {
                if (dirtyCount == dirty.length) {
                    dirty = Arrays.copyOf(dirty, dirtyCount * 2);
                }
                dirty[dirtyCount++] = a;
            }
        }
    }

    /** Re-examine the account at the end of the command without reporting it (its balance or a price moved). */
    void recheck(Account a) {
        recompute(a);
    }

    /** Re-examine every holder of a market (its tiers changed). */
    void touchHolders(Market m) {
        for (int i = 0; i < m.positionCount(); i++) {
            recompute(m.positionAt(i).account);
        }
    }

    private void recompute(Account a) {
        if (!a.dirty && !a.recompute) {
            a.recompute = true;
            if (dirtyCount == dirty.length) {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = a;
        }
    }

    boolean idle() {
        return dirtyCount == 0;
    }

    // ------------------------------------------------------------------------------------------ end of command

    /**
     * After a command: re-examines changed accounts (figures, liquidation prices, triggers), reports them (ACCOUNT
     * and POSITION events), checks the positions whose triggers the moved markets crossed, and emits a MARGIN_CALL
     * for every account (or isolated position) that is now at or below maintenance margin. Deterministic order:
     * accounts as they were first touched; margin calls by account id, then market.
     */
    void endOfCommand(Market[] markets, int marketCount, EventBuffer out) {
        for (int i = 0; i < marketCount; i++) {
            final Market m = markets[i];
            if (m.priceMoved) {
                for (int k = 0; k < m.multiCrossCount(); k++) {
                    recompute(m.multiCross(k));
                }
            }
        }
        for (int i = 0; i < dirtyCount; i++) {
            final Account a = dirty[i];
            refresh(a);
            engine.liquidator.accountChanged(a); // the ADL ranking it keeps across commands files it again
            if (!a.fund && a.walletE8 < 0 && fCrossPositions == 0) {
                addNegative(a); // its own trade lost more than it had: bad debt, for the liquidation stage
            }
            if (a.dirty) {
                report(a, out);
            }
            a.dirty = false;
            a.recompute = false;
            dirty[i] = null;
        }
        dirtyCount = 0;
        for (int i = 0; i < marketCount; i++) {
            final Market m = markets[i];
            if (m.priceMoved) {
                final long price = priceE8(m);
                scan(m.longTriggers, price);
                scan(m.shortTriggers, price);
                m.priceMoved = false;
            }
        }
        for (int i = 0; i < recheckCount; i++) {
            final Position p = recheck[i];
            final boolean called = p.isolated ? p.marginCalled : p.account.marginCalled;
            if (!called && p.sizeLots != 0) {
                p.market.triggers(p).update(p); // same trigger: checked again whenever the price is beyond it
            }
            recheck[i] = null;
        }
        recheckCount = 0;
        recheckCalled();
        emitMarginCalls(out);
    }

    /** Pops every position whose trigger the price crossed; checks its account (or isolated position). */
    private void scan(TriggerIndex index, long priceE8) {
        Position p;
        while ((p = index.peek()) != null && index.crossed(p, priceE8)) {
            TriggerIndex.detach(p);
            if (p.isolated) {
                if (isolatedBelowMaintenance(p)) {
                    flagIsolated(p);
                } else {
                    deferReinsert(p);
                }
            } else if (crossBelowMaintenance(p.account)) {
                flagCross(p.account);
            } else {
                deferReinsert(p);
            }
        }
    }

    private void deferReinsert(Position p) {
        if (recheckCount == recheck.length) {
            recheck = Arrays.copyOf(recheck, recheckCount * 2);
        }
        recheck[recheckCount++] = p;
    }

    /** Recomputes the account's liquidation prices and triggers, and its margin-call state. */
    private void refresh(Account a) {
        figures(a);
        if (a.fund) {
            return; // a fund is never liquidated: its losses are the venue's, reported as such
        }
        final long crossOtherBase = a.walletE8;
        final Position[] positions = a.positions();
        final boolean crossCalled = a.marginCalled;
        for (int i = 0, n = a.positionCapacity(); i < n; i++) {
            final Position p = positions[i];
            if (p == null) {
                continue;
            }
            final Market m = p.market;
            if (p.sizeLots == 0) {
                p.liquidationPriceE8 = 0;
                TriggerIndex.detach(p);
                p.marginCalled = false;
                p.marginCallPending = false;
                continue;
            }
            final long lp;
            if (p.isolated) {
                lp = RiskMath.liquidationPriceE8(p.isolatedMarginE8, 0, 0, p.qtyE8(), p.costE8, m.brackets);
            } else {
                final long upnl = unrealizedPnlE8(p);
                final long maint = maintenanceMarginE8(p);
                lp = RiskMath.liquidationPriceE8(crossOtherBase, fCrossMaintE8 - maint, fCrossUpnlE8 - upnl,
                    p.qtyE8(), p.costE8, m.brackets);
            }
            p.liquidationPriceE8 = lp == Fixed.OVERFLOW ? 0 : lp;
            final boolean called = p.isolated ? p.marginCalled : crossCalled;
            if (called || lp == Fixed.OVERFLOW || never(p, lp)) {
                TriggerIndex.detach(p);
            } else {
                p.triggerE8 = trigger(p, lp, fCrossPositions);
                m.triggers(p).update(p);
            }
        }
        // a flagged account or position that is no longer below maintenance is released (and re-armed next time)
        updateMultiCross(a);
        if (!crossCalled && fCrossMaintE8 > 0 && a.walletE8 + fCrossUpnlE8 <= fCrossMaintE8) {
            flagCross(a);
        }
        for (int i = 0, n = a.positionCapacity(); i < n; i++) {
            final Position p = positions[i];
            if (p != null && p.isolated && p.sizeLots != 0 && !p.marginCalled && isolatedBelowMaintenance(p)) {
                flagIsolated(p);
            }
        }
    }

    private static boolean never(Position p, long lp) {
        return p.sizeLots > 0 ? lp == RiskMath.LONG_NEVER_LIQUIDATED : lp == RiskMath.SHORT_NEVER_LIQUIDATED;
    }

    /**
     * The trigger: the liquidation price moved toward the mark by a margin that covers the roundings of the
     * engine's check (each of its PnL and maintenance figures may be off by up to 2e-8 per position), so the
     * check always runs at or before the first price where it can succeed.
     */
    private static long trigger(Position p, long lpE8, int crossPositions) {
        final long slackMoneyE8 = 8L * (2 + Math.max(1, crossPositions));
        final long shiftE8 = Math.max(1, Fixed.mulDivCeil(slackMoneyE8, E8, Math.abs(p.qtyE8())));
        if (p.sizeLots > 0) {
            return lpE8 > Long.MAX_VALUE - shiftE8 ? Long.MAX_VALUE : lpE8 + shiftE8;
        }
        return Math.max(0, lpE8 - shiftE8);
    }

    /** Registers or unregisters the account with its markets as a cross account holding several markets. */
    private void updateMultiCross(Account a) {
        final boolean multi = fCrossPositions >= 2;
        final Position[] positions = a.positions();
        for (int i = 0, n = a.positionCapacity(); i < n; i++) {
            final Position p = positions[i];
            if (p == null) {
                continue;
            }
            final boolean member = multi && !p.isolated && p.sizeLots != 0;
            p.market.setMultiCross(a, member);
        }
    }

    // ------------------------------------------------------------------------------------------ margin checks

    /** Cross: wallet + cross uPnL at or below the cross maintenance margin (and there is some). */
    boolean crossBelowMaintenance(Account a) {
        if (a.fund) {
            return false;
        }
        figures(a);
        return fCrossMaintE8 > 0 && a.walletE8 + fCrossUpnlE8 <= fCrossMaintE8;
    }

    /** Isolated: isolated margin + uPnL at or below the position's maintenance margin. */
    static boolean isolatedBelowMaintenance(Position p) {
        if (p.sizeLots == 0) {
            return false;
        }
        final long maint = maintenanceMarginE8(p);
        return maint > 0 && p.isolatedMarginE8 + unrealizedPnlE8(p) <= maint;
    }

    private void flagCross(Account a) {
        if (a.marginCalled) {
            return;
        }
        a.marginCalled = true;
        a.marginCallPending = true;
        final Position[] positions = a.positions();
        for (int i = 0, n = a.positionCapacity(); i < n; i++) {
            final Position p = positions[i];
            if (p != null && !p.isolated) {
                TriggerIndex.detach(p);
            }
        }
        addCalled(a);
    }

    private void flagIsolated(Position p) {
        if (p.marginCalled) {
            return;
        }
        p.marginCalled = true;
        p.marginCallPending = true;
        TriggerIndex.detach(p);
        addCalled(p.account);
    }

    private void addCalled(Account a) {
        if (a.onCalledList) {
            return;
        }
        a.onCalledList = true;
        if (calledCount == called.length) {
            called = Arrays.copyOf(called, calledCount * 2);
        }
        called[calledCount++] = a;
    }

    /** Releases flagged accounts and positions that are back above maintenance margin. */
    private void recheckCalled() {
        int kept = 0;
        for (int i = 0; i < calledCount; i++) {
            final Account a = called[i];
            boolean still = false;
            if (a.marginCalled) {
                if (crossBelowMaintenance(a)) {
                    still = true;
                } else {
                    a.marginCalled = false;
                    a.marginCallPending = false;
                    touchForRearm(a);
                }
            }
            final Position[] positions = a.positions();
            for (int k = 0, n = a.positionCapacity(); k < n; k++) {
                final Position p = positions[k];
                if (p != null && p.marginCalled) {
                    if (isolatedBelowMaintenance(p)) {
                        still = true;
                    } else {
                        p.marginCalled = false;
                        p.marginCallPending = false;
                        touchForRearm(a);
                    }
                }
            }
            if (still) {
                called[kept++] = a;
            } else {
                a.onCalledList = false;
            }
        }
        for (int i = kept; i < calledCount; i++) {
            called[i] = null;
        }
        calledCount = kept;
        if (dirtyCount > 0) {
            // accounts released above: re-arm their triggers now
            for (int i = 0; i < dirtyCount; i++) {
                final Account a = dirty[i];
                refresh(a);
                a.dirty = false;
                a.recompute = false;
                dirty[i] = null;
            }
            dirtyCount = 0;
        }
    }

    private void touchForRearm(Account a) {
        recompute(a);
    }

    /** MARGIN_CALL events for the flags raised in this command, by account id then market id. */
    private void emitMarginCalls(EventBuffer out) {
        int pending = 0;
        for (int i = 0; i < calledCount; i++) {
            final Account a = called[i];
            if (a.marginCallPending || hasPendingIsolated(a)) {
                pending++;
            }
        }
        if (pending == 0) {
            return;
        }
        if (pending > 1) {
            sortById(called, calledCount);
        }
        for (int i = 0; i < calledCount; i++) {
            final Account a = called[i];
            if (a.marginCallPending) {
                a.marginCallPending = false;
                figures(a);
                out.marginCall(a.id(), -1, a.walletE8 + fCrossUpnlE8, fCrossMaintE8);
            }
            final Position[] positions = a.positions();
            for (int k = 0, n = a.positionCapacity(); k < n; k++) {
                final Position p = positions[k];
                if (p != null && p.marginCallPending) {
                    p.marginCallPending = false;
                    out.marginCall(a.id(), p.market.id(), p.isolatedMarginE8 + unrealizedPnlE8(p),
                        maintenanceMarginE8(p));
                }
            }
        }
    }

    private static boolean hasPendingIsolated(Account a) {
        final Position[] positions = a.positions();
        for (int k = 0, n = a.positionCapacity(); k < n; k++) {
            if (positions[k] != null && positions[k].marginCallPending) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ sorting

    private long[] sortKeys = new long[64];

    /**
     * Sorts accounts by id without allocating (a comparator sort of objects allocates its merge buffer): ids and
     * places packed in longs, sorted as primitives, then applied.
     */
    private void sortById(Account[] accounts, int n) {
        final long[] keys = keys(n);
        for (int i = 0; i < n; i++) {
            keys[i] = (long) accounts[i].id() << 32 | i;
        }
        Arrays.sort(keys, 0, n);
        final Account[] copy = accountScratch(n, accounts);
        for (int i = 0; i < n; i++) {
            accounts[i] = copy[(int) keys[i]];
        }
    }

    private void sortByAccount(Position[] positions, int n) {
        final long[] keys = keys(n);
        for (int i = 0; i < n; i++) {
            keys[i] = (long) positions[i].account.id() << 32 | i;
        }
        Arrays.sort(keys, 0, n);
        if (positionCopy.length < n) {
            positionCopy = new Position[Math.max(n, positionCopy.length * 2)];
        }
        System.arraycopy(positions, 0, positionCopy, 0, n);
        for (int i = 0; i < n; i++) {
            positions[i] = positionCopy[(int) keys[i]];
        }
    }

    private long[] keys(int n) {
        if (sortKeys.length < n) {
            sortKeys = new long[Math.max(n, sortKeys.length * 2)];
        }
        return sortKeys;
    }

    private Account[] accountCopy = new Account[16];
    private Position[] positionCopy = new Position[16];

    private Account[] accountScratch(int n, Account[] source) {
        if (accountCopy.length < n) {
            accountCopy = new Account[Math.max(n, accountCopy.length * 2)];
        }
        System.arraycopy(source, 0, accountCopy, 0, n);
        return accountCopy;
    }

    // ------------------------------------------------------------------------------------------ reports

    /**
     * ACCOUNT (reason ORDER) and a POSITION for each position the command changed, from the account's figures as
     * {@link #refresh} just computed them (nothing between the two changes the account).
     */
    private void report(Account a, EventBuffer out) {
        final AccountReason reason = a.dirtyReason;
        engine.emitAccountFigures(a, reason, 0, out);
        final Position[] positions = a.positions();
        for (int i = 0, n = a.positionCapacity(); i < n; i++) {
            final Position p = positions[i];
            if (p != null && p.dirty) {
                p.dirty = false;
                emitPosition(p, reason, out);
            }
        }
    }

    void emitPosition(Position p, AccountReason reason, EventBuffer out) {
        final long price = priceE8(p.market);
        out.position(p.account.id(), p.market.id(), reason, p.qtyE8(), p.costE8, price, unrealizedPnlE8(p),
            p.liquidationPriceE8, p.sizeLots == 0 ? 0 : value(p).vNotionalE8, p.isolated,
            p.isolatedMarginE8, p.leverage, maintenanceMarginE8(p), engine.adlQuantile(p), p.realizedPnlE8);
    }

    // ------------------------------------------------------------------------------------------ settings

    /**
     * A new leverage for the account's position in a market: within 1 and the tier's max leverage at the current
     * exposure (-4028 beyond the market's, -2027 beyond what the exposure allows); not lower in isolated mode with a
     * position (-4161, Binance); and the initial margin it implies must fit the available balance (-2028).
     */
    RejectCode checkLeverage(Account a, Market m, int leverage) {
        if (leverage < 1 || leverage > m.brackets.maxLeverage(0)) {
            return RejectCode.INVALID_LEVERAGE;
        }
        final Position p = a.position(m.id());
        if (p == null) {
            return RejectCode.NONE;
        }
        final long price = priceE8(m);
        final long exposure = exposureE8(p, price, 0, 0);
        if (exposure == Fixed.OVERFLOW || exposure > m.brackets.maxNotionalForLeverage(leverage)) {
            return RejectCode.MAX_LEVERAGE_RATIO;
        }
        if (p.isolated && p.sizeLots != 0 && leverage < p.leverage) {
            return RejectCode.ISOLATED_LEVERAGE_REJECT_WITH_POSITION;
        }
        if (leverage < p.leverage && !p.isolated) {
            final long before = initialMarginE8(p, price, 0, 0);
            final int old = p.leverage;
            p.leverage = leverage;
            final long after = initialMarginE8(p, price, 0, 0);
            p.leverage = old;
            if (after - before > availableE8(a)) {
                return RejectCode.MIN_LEVERAGE_RATIO;
            }
        }
        return RejectCode.NONE;
    }

    /**
     * Adding ({@code amount > 0}) or removing margin of an isolated position: only isolated (-4049) and non-flat
     * (-4054) positions; an addition must fit the available balance (-4050); a removal must leave the isolated
     * margin, with unrealised losses, at least the position's initial margin at the mark (-4051).
     */
    RejectCode checkIsolatedMargin(Account a, Market m, long amountE8) {
        final Position p = a.position(m.id());
        if (p == null || !p.isolated) {
            return RejectCode.ADD_ISOLATED_MARGIN_REJECT;
        }
        if (p.sizeLots == 0) {
            return RejectCode.ADD_ISOLATED_MARGIN_NO_POSITION_REJECT;
        }
        if (amountE8 > 0) {
            return amountE8 <= availableE8(a) ? RejectCode.NONE : RejectCode.CROSS_BALANCE_INSUFFICIENT;
        }
        final long initial = Fixed.mulDivCeil(RiskMath.notionalUpE8(priceE8(m), p.qtyE8()), 1, p.leverage);
        final long left = p.isolatedMarginE8 + amountE8 + Math.min(0, unrealizedPnlE8(p));
        return amountE8 != Long.MIN_VALUE && left >= initial ? RejectCode.NONE
            : RejectCode.ISOLATED_BALANCE_INSUFFICIENT;
    }

    // ------------------------------------------------------------------------------------------ funding

    private Position[] fundingScratch = new Position[64];

    /**
     * Pays funding at rate {@code rateE8} between the market's positions, at its valuation price: payers round up,
     * receivers round down ({@code FundingCalculator.paymentE8}), and the difference stays in the market's funding
     * residue, so money is conserved exactly. Cross positions settle in the wallet, isolated ones in their margin.
     * One FUNDING event for the settlement, then one per position in account order.
     */
    void settleFunding(Market m, long rateE8, EventBuffer out) {
        final long price = priceE8(m);
        final int n = m.positionCount();
        if (n == 0 || rateE8 == 0 || price <= 0) {
            out.funding(m.id(), -1, rateE8, price, 0);
            return;
        }
        if (fundingScratch.length < n) {
            fundingScratch = new Position[Math.max(n, fundingScratch.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            fundingScratch[i] = m.positionAt(i);
        }
        sortByAccount(fundingScratch, n);
        long residue = 0;
        for (int i = 0; i < n; i++) {
            final long paid = org.perpcore.core.funding.FundingCalculator.paymentE8(fundingScratch[i].qtyE8(), price,
                rateE8);
            residue += paid == Fixed.OVERFLOW ? 0 : paid;
        }
        m.fundingResidueE8 += residue;
        out.funding(m.id(), -1, rateE8, price, residue);
        for (int i = 0; i < n; i++) {
            final Position p = fundingScratch[i];
            fundingScratch[i] = null;
            final long paid = org.perpcore.core.funding.FundingCalculator.paymentE8(p.qtyE8(), price, rateE8);
            if (paid == Fixed.OVERFLOW || paid == 0) {
                continue;
            }
            if (p.isolated) {
                p.isolatedMarginE8 -= paid;
            } else {
                p.account.walletE8 -= paid;
            }
            out.funding(m.id(), p.account.id(), rateE8, price, -paid);
            touch(p, AccountReason.FUNDING_FEE);
        }
    }

    // ------------------------------------------------------------------------------------------ reduce-only

    /**
     * Reduce-only orders never outgrow their position: after a command that changed positions, each changed
     * position's reduce-only orders are cancelled when the position is flat or now on their side, and cut to the
     * position's size otherwise (Binance).
     */
    void fitReduceOnlyOrders(Matcher matcher, EventBuffer out) {
        for (int i = 0; i < dirtyCount; i++) {
            final Account a = dirty[i];
            if (!a.dirty) {
                continue;
            }
            final Position[] positions = a.positions();
            for (int k = 0, n = a.positionCapacity(); k < n; k++) {
                final Position p = positions[k];
                if (p != null && p.dirty && (p.reduceOnlyOrders > 0 || p.conditionalReduceOnly > 0)) {
                    matcher.fitReduceOnly(a, p, out);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ liquidation support

    int calledCount() {
        return calledCount;
    }

    /** Accounts this command left with a negative wallet and no cross position (not a liquidation's work). */
    int negativeCount() {
        return negativeCount;
    }

    Account negative(int i) {
        return negative[i];
    }

    void clearNegative() {
        java.util.Arrays.fill(negative, 0, negativeCount, null);
        negativeCount = 0;
    }

    private void addNegative(Account a) {
        if (negativeCount == negative.length) {
            negative = java.util.Arrays.copyOf(negative, negativeCount * 2);
        }
        negative[negativeCount++] = a;
    }

    Account called(int i) {
        return called[i];
    }

    static boolean flagged(Account a, Market isolated) {
        if (isolated == null) {
            return a.marginCalled;
        }
        final Position p = a.position(isolated.id());
        return p != null && p.marginCalled;
    }

    boolean belowMaintenance(Account a, Market isolated) {
        return isolated == null ? crossBelowMaintenance(a) : isolatedBelowMaintenance(a.position(isolated.id()));
    }

    long marginBalanceE8(Account a, Market isolated) {
        if (isolated == null) {
            figures(a);
            return a.walletE8 + fCrossUpnlE8;
        }
        final Position p = a.position(isolated.id());
        return p.isolatedMarginE8 + unrealizedPnlE8(p);
    }

    long maintenanceMarginE8(Account a, Market isolated) {
        if (isolated == null) {
            figures(a);
            return fCrossMaintE8;
        }
        return maintenanceMarginE8(a.position(isolated.id()));
    }

    /** The position's bankruptcy price: where its isolated margin, or its cross account's margin balance, is 0. */
    long bankruptcyPriceE8(Position p) {
        if (p.isolated) {
            return RiskMath.bankruptcyPriceE8(p.isolatedMarginE8, 0, p.qtyE8(), p.costE8);
        }
        figures(p.account);
        return RiskMath.bankruptcyPriceE8(p.account.walletE8, fCrossUpnlE8 - unrealizedPnlE8(p), p.qtyE8(),
            p.costE8);
    }

    /** Clears a scope's flag after its liquidation (or recovery); its triggers are re-armed at the next pass. */
    void release(Account a, Market isolated) {
        if (isolated == null) {
            a.marginCalled = false;
            a.marginCallPending = false;
            a.nextSliceMs = 0;
        } else {
            final Position p = a.position(isolated.id());
            p.marginCalled = false;
            p.marginCallPending = false;
            p.nextSliceMs = 0;
        }
        recompute(a);
    }

    /** Equity of an insurance fund: its wallet plus its positions' unrealised PnL. */
    long fundEquityE8(Account fund) {
        figures(fund);
        return fund.walletE8 + fTotalUpnlE8;
    }

    static long notionalE8(Position p) {
        return p.sizeLots == 0 ? 0 : value(p).vNotionalE8;
    }

    static long maintenanceMarginOfE8(Position p, long lots) {
        final long qty = lots * p.market.stepE8 * Long.signum(p.sizeLots);
        return RiskMath.maintenanceMarginE8(qty, priceE8(p.market), p.market.brackets);
    }

    /** Margin balance behind a position for ADL ranking: its account's cross balance, or its isolated margin. */
    long adlMarginBalanceE8(Position p) {
        if (p.isolated) {
            return p.isolatedMarginE8 + unrealizedPnlE8(p);
        }
        return p.account.walletE8 + crossUpnlE8(p.account);
    }

    /**
     * The cross unrealised PnL of {@link #figures} alone (the same sum in the same order: positions it skips or
     * that are flat add nothing): every POSITION event ranks its position for ADL on it, and the rest of the
     * figures would be thrown away.
     */
    private static long crossUpnlE8(Account a) {
        long crossUpnl = 0;
        final Position[] positions = a.positions();
        for (int i = 0, n = a.positionCapacity(); i < n; i++) {
            final Position p = positions[i];
            if (p != null && !p.isolated && p.sizeLots != 0) {
                crossUpnl += unrealizedPnlE8(p);
            }
        }
        return crossUpnl;
    }
}
