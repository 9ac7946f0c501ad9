package org.perpcore.core.engine;

import org.perpcore.core.model.Side;

import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.liquidation.LiquidationHost;
import org.perpcore.core.model.InsuranceCause;

/** The engine's side of the liquidation stage's interface: reads and mutations of engine state. */
final class EngineLiquidationHost implements LiquidationHost {
    private final Engine engine;
    private final RiskEngine risk;
    private final Matcher matcher;

    EngineLiquidationHost(Engine engine, RiskEngine risk, Matcher matcher) {
        this.engine = engine;
        this.risk = risk;
        this.matcher = matcher;
    }

    @Override
    public long nowMs() {
        return engine.nowMs();
    }

    @Override
    public Account account(int id) {
        return engine.account(id);
    }

    @Override
    public int calledCount() {
        return risk.calledCount();
    }

    @Override
    public Account called(int i) {
        return risk.called(i);
    }

    @Override
    public void setNextSlice(Account a, Market isolated, long atMs) {
        if (isolated == null) {
            a.nextSliceMs = atMs;
        } else {
            a.position(isolated.id()).nextSliceMs = atMs;
        }
    }

    @Override
    public boolean flagged(Account a, Market isolated) {
        return RiskEngine.flagged(a, isolated);
    }

    @Override
    public boolean belowMaintenance(Account a, Market isolated) {
        return risk.belowMaintenance(a, isolated);
    }

    @Override
    public long marginBalanceE8(Account a, Market isolated) {
        return risk.marginBalanceE8(a, isolated);
    }

    @Override
    public long maintenanceMarginE8(Account a, Market isolated) {
        return risk.maintenanceMarginE8(a, isolated);
    }

    @Override
    public void cancelOpenOrders(Account a, Market isolated, EventBuffer out) {
        if (isolated != null) {
            matcher.cancelAll(a, isolated, false, out);
            return;
        }
        for (int i = 0; i < engine.marketCount(); i++) {
            matcher.cancelAll(a, engine.market(i), false, out);
        }
    }

    @Override
    public long priceE8(Market m) {
        return RiskEngine.priceE8(m);
    }

    @Override
    public long bankruptcyPriceE8(Position p) {
        return risk.bankruptcyPriceE8(p);
    }

    @Override
    public long notionalE8(Position p) {
        return RiskEngine.notionalE8(p);
    }

    @Override
    public long unrealizedPnlE8(Position p) {
        return RiskEngine.unrealizedPnlE8(p);
    }

    @Override
    public long maintenanceMarginE8(Position p) {
        return RiskEngine.maintenanceMarginE8(p);
    }

    @Override
    public long maintenanceMarginOfE8(Position p, long lots) {
        return RiskEngine.maintenanceMarginOfE8(p, lots);
    }

    @Override
    public long sendLiquidationOrder(Position p, long lots, long limitTicks, EventBuffer out) {
        return matcher.liquidationOrder(p.account, p.market, p.sizeLots < 0, Math.min(lots, Math.abs(p.sizeLots)),
            limitTicks, out);
    }

    @Override
    public int fillCount() {
        return matcher.liquidationFills;
    }

    @Override
    public int bookLevels(Market m, boolean bids) {
        return m.book().side(bids ? Side.BUY : Side.SELL).size();
    }

    @Override
    public long levelPriceTicks(Market m, boolean bids, int depth) {
        return m.book().levels().price(m.book().side(bids ? Side.BUY : Side.SELL).levelAtDepth(depth));
    }

    @Override
    public long levelLots(Market m, boolean bids, int depth) {
        return m.book().levels().lots(m.book().side(bids ? Side.BUY : Side.SELL).levelAtDepth(depth));
    }

    @Override
    public long fillPriceTicks(int i) {
        return matcher.liquidationFillTicks(i);
    }

    @Override
    public long fillLots(int i) {
        return matcher.liquidationFillLots(i);
    }

    @Override
    public int fillMaker(int i) {
        return matcher.liquidationFillMaker(i);
    }

    @Override
    public void payFund(Position p, long amountE8, InsuranceCause cause, EventBuffer out) {
        final Account fund = fund(p.market, out);
        if (p.isolated && p.sizeLots != 0) {
            p.isolatedMarginE8 -= amountE8;
        } else {
            p.account.walletE8 -= amountE8;
        }
        fund.walletE8 += amountE8;
        risk.touch(p, org.perpcore.core.model.AccountReason.ORDER);
        risk.touch(fund, org.perpcore.core.model.AccountReason.ORDER);
        out.insurance(p.market.id(), fund.id(), risk.fundEquityE8(fund), amountE8, cause, p.account.id());
    }

    @Override
    public void fundPays(Position p, long amountE8, InsuranceCause cause, EventBuffer out) {
        final Account fund = fund(p.market, out);
        fund.walletE8 -= amountE8;
        if (p.isolated && p.sizeLots != 0) {
            p.isolatedMarginE8 += amountE8;
        } else {
            p.account.walletE8 += amountE8;
        }
        risk.touch(p, org.perpcore.core.model.AccountReason.ORDER);
        risk.touch(fund, org.perpcore.core.model.AccountReason.ORDER);
        out.insurance(p.market.id(), fund.id(), risk.fundEquityE8(fund), -amountE8, cause, p.account.id());
    }

    @Override
    public Account fund(Market m, EventBuffer out) {
        return engine.fundOf(m, out);
    }

    @Override
    public long fundEquityE8(Account fund) {
        return risk.fundEquityE8(fund);
    }

    @Override
    public void transfer(Position from, Account to, long lots, long notionalE8) {
        final boolean fromLong = from.sizeLots > 0;
        risk.onFill(from.account, from.market, !fromLong, lots, notionalE8);
        risk.onFill(to, from.market, fromLong, lots, notionalE8);
    }

    @Override
    public void reportForcedFill(Account a, Market m, boolean buy, long lots, long priceE8, boolean adl,
                                 EventBuffer out) {
        matcher.reportForcedFill(a, m, buy, lots, priceE8, adl, out);
    }

    @Override
    public int negativeCount() {
        return risk.negativeCount();
    }

    @Override
    public Account negative(int i) {
        return risk.negative(i);
    }

    @Override
    public void clearNegative() {
        risk.clearNegative();
    }

    @Override
    public Market badDebtMarket(Account a) {
        for (int k = 0; k < a.positionCapacity(); k++) {
            final Position p = a.positions()[k];
            if (p != null) {
                return p.market;
            }
        }
        return engine.market(0);
    }

    @Override
    public Account existingFund(Market m) {
        return m.fund;
    }

    @Override
    public long coverBadDebt(Account a, Account fund, Market m, EventBuffer out) {
        if (a.walletE8 >= 0) {
            return 0;
        }
        final long debt = -a.walletE8;
        final long before = risk.fundEquityE8(fund);
        a.walletE8 = 0;
        fund.walletE8 -= debt;
        final long uncovered = Math.min(debt, Math.max(0, debt - Math.max(0, before)));
        m.badDebtE8 += uncovered;
        risk.touch(a, org.perpcore.core.model.AccountReason.ORDER);
        risk.touch(fund, org.perpcore.core.model.AccountReason.ORDER);
        out.badDebt(a.id(), m.id(), debt, uncovered);
        out.insurance(m.id(), fund.id(), risk.fundEquityE8(fund), -debt, InsuranceCause.BAD_DEBT, a.id());
        return uncovered;
    }

    @Override
    public void recordFundDeficit(Account fund, Market m, EventBuffer out) {
        final long deficit = -risk.fundEquityE8(fund);
        if (deficit <= 0) {
            return;
        }
        long recorded = 0;
        for (int k = 0; k < engine.marketCount(); k++) {
            final Market other = engine.market(k);
            if (other.fund == fund) {
                recorded += other.badDebtE8;
            }
        }
        if (deficit > recorded) {
            m.badDebtE8 += deficit - recorded;
            out.badDebt(fund.id(), m.id(), deficit - recorded, deficit - recorded);
        }
    }

    @Override
    public void release(Account a, Market isolated) {
        risk.release(a, isolated);
    }

    @Override
    public void afterPass(EventBuffer out) {
        engine.afterLiquidationPass(out);
    }

    @Override
    public int positionCount(Market m) {
        return m.positionCount();
    }

    @Override
    public Position positionAt(Market m, int i) {
        return m.positionAt(i);
    }

    @Override
    public long adlMarginBalanceE8(Position p) {
        if (p.isolated) {
            return p.isolatedMarginE8 + RiskEngine.unrealizedPnlE8(p);
        }
        // RiskEngine.adlMarginBalanceE8's figure (wallet + cross uPnL) without the rest of the account's figures
        // (initial margins, maintenance): ranking a side scores every position on it, once per auto-deleverage
        long upnl = 0;
        final Position[] positions = p.account.positions();
        for (int k = 0, n = p.account.positionCapacity(); k < n; k++) {
            final Position q = positions[k];
            if (q != null && !q.isolated) {
                upnl += RiskEngine.unrealizedPnlE8(q);
            }
        }
        return p.account.walletE8 + upnl;
    }

    @Override
    public int marketCount() {
        return engine.marketCount();
    }

    @Override
    public Market market(int id) {
        return engine.market(id);
    }
}
