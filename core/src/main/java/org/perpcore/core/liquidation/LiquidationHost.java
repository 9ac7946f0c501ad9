package org.perpcore.core.liquidation;

import org.perpcore.core.engine.Account;
import org.perpcore.core.engine.Market;
import org.perpcore.core.engine.Position;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.model.InsuranceCause;

/**
 * What the liquidation stage may see and do in the engine, on the engine thread, inside the command being applied.
 * The engine owns the state; this stage decides the order and the steps of liquidations, how losses are shared
 * between the book, the insurance fund and auto-deleverage, and says so in events. Scopes are a cross account
 * ({@code market == null}) or one isolated position.
 */
public interface LiquidationHost {
    long nowMs();

    Account account(int id);

    /** Accounts holding a flag (cross or isolated), in no particular order. */
    int calledCount();

    Account called(int i);

    /**
     * Accounts the command left with a negative wallet and no cross position: their own orders (an isolated
     * position closed through a thin book, say) lost more than they had.
     */
    int negativeCount();

    Account negative(int i);

    void clearNegative();

    /** The market whose fund answers for an account's bad debt outside a liquidation: its first position's. */
    Market badDebtMarket(Account a);

    /** When the scope's next liquidation slice is due (ms of command time). */
    void setNextSlice(Account a, Market isolatedMarket, long atMs);

    /** The scope is flagged at or below maintenance margin (and waits for liquidation). */
    boolean flagged(Account a, Market isolatedMarket);

    /** The scope is at or below maintenance margin now (computed afresh). */
    boolean belowMaintenance(Account a, Market isolatedMarket);

    /** Margin balance and maintenance margin of the scope, E8, now. */
    long marginBalanceE8(Account a, Market isolatedMarket);

    long maintenanceMarginE8(Account a, Market isolatedMarket);

    /** Cancels the scope's open orders (every market for a cross account, as Binance does). */
    void cancelOpenOrders(Account a, Market isolatedMarket, EventBuffer out);

    /** The market's valuation price (mark, else last trade), E8. */
    long priceE8(Market m);

    /** The position's bankruptcy price now (E8): where its scope's margin balance reaches zero. */
    long bankruptcyPriceE8(Position p);

    /** Notional at the valuation price (E8, positive) and unrealised PnL of a position. */
    long notionalE8(Position p);

    long unrealizedPnlE8(Position p);

    /** Maintenance margin of a position at the valuation price and of {@code lots} of it. */
    long maintenanceMarginE8(Position p);

    long maintenanceMarginOfE8(Position p, long lots);

    /**
     * Sends an IOC liquidation order (type LIQUIDATION, client id {@code autoclose-...}) closing up to {@code lots}
     * of the position, limited to {@code limitTicks}; no trading fee for the liquidated side. Returns the lots
     * filled; each fill's price and lots are then available through {@link #fillCount()}.
     */
    long sendLiquidationOrder(Position p, long lots, long limitTicks, EventBuffer out);

    int fillCount();

    /** Price levels on one side of the market's book ({@code bids} or asks), best first by {@code depth}. */
    int bookLevels(Market m, boolean bids);

    long levelPriceTicks(Market m, boolean bids, int depth);

    long levelLots(Market m, boolean bids, int depth);

    long fillPriceTicks(int i);

    long fillLots(int i);

    /** The account whose resting order fill {@code i} of the last liquidation order traded with. */
    int fillMaker(int i);

    /** Moves {@code amountE8} from the scope's margin (isolated margin, else wallet) to the market's fund. */
    void payFund(Position p, long amountE8, InsuranceCause cause, EventBuffer out);

    /** Moves {@code amountE8} from the market's fund to the scope's margin (isolated margin, else wallet). */
    void fundPays(Position p, long amountE8, InsuranceCause cause, EventBuffer out);

    /** The account holding the insurance fund of the market (created on first use). */
    Account fund(Market m, EventBuffer out);

    /** The account holding the market's insurance fund, or null if it was never used (never creates it). */
    Account existingFund(Market m);

    /** The fund's equity: its wallet plus the unrealised PnL of every position it holds, E8. */
    long fundEquityE8(Account fund);

    /**
     * Transfers {@code lots} of {@code from}'s position to {@code to} for {@code notionalE8}: {@code from} reduces,
     * {@code to} takes the other side (opening or reducing its own position); no fee.
     */
    void transfer(Position from, Account to, long lots, long notionalE8);

    /** Emits an ORDER event for a position change made outside the book (type INSURANCE takeover or ADL). */
    void reportForcedFill(Account a, Market m, boolean buy, long lots, long priceE8, boolean adl, EventBuffer out);

    /** Brings a negative cross wallet back to zero from the fund; returns the part the fund could not cover. */
    long coverBadDebt(Account a, Account fund, Market m, EventBuffer out);

    /**
     * A fund with negative equity and no positions left: records as bad debt (BAD_DEBT, for {@code m}) whatever
     * part of its deficit is not recorded yet.
     */
    void recordFundDeficit(Account fund, Market m, EventBuffer out);

    /** Clears the scope's flag (it was liquidated or recovered). */
    void release(Account a, Market isolatedMarket);

    /** Recomputes marks after this pass's fills and flags whoever they put below maintenance. */
    void afterPass(EventBuffer out);

    /** Open positions of a market (for auto-deleverage ranking); order is not meaningful. */
    int positionCount(Market m);

    Position positionAt(Market m, int i);

    /** Margin balance attributable to a position for ADL ranking: its account's (cross) or its own (isolated). */
    long adlMarginBalanceE8(Position p);

    int marketCount();

    Market market(int id);
}
