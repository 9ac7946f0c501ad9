package org.perpcore.core.engine;

import org.perpcore.core.book.LevelStore;
import org.perpcore.core.book.OrderBook;
import org.perpcore.core.book.OrderStore;
import org.perpcore.core.funding.FundingCalculator;
import org.perpcore.core.funding.MarkPriceCalculator;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.risk.Brackets;

/**
 * A perpetual market: its specification (from {@link MarketParam}s), its book and its running figures.
 * Derived fields are recomputed whenever the specification changes.
 */
public final class Market {
    private final int id;
    private final byte[] symbol;
    private final long[] params = new long[MarketParam.COUNT];
    private final OrderBook book;

    long tickE8;
    long stepE8;
    /** Money value of one lot moving one tick: tick x step, in E8. Notional E8 = priceTicks x lots x this. */
    long lotTickValueE8;
    /**
     * Lots in one unit of the base asset ({@code 1e8 / step}) when the step divides it exactly, else 0; and the
     * most lots whose quantity in E8 fits a long. Position valuation divides by this instead of by 1e8.
     */
    long lotsPerUnit;
    long maxExactLots;
    long minQtyLots;
    long maxQtyLots;
    long maxPriceTicks;
    long minNotionalE8;
    long makerFeeE8;
    long takerFeeE8;
    long priceBandE8;
    long marketBandE8;
    StpMode stpMode;
    int maxOpenOrders;
    int priceDecimals;
    int qtyDecimals;

    long lastPriceTicks;
    /** Mark price in ticks (rounded), for the price bands; 0 until a mark is known. */
    long markPriceTicks;
    long feesCollectedE8;

    /** Margin tiers; the default single tier follows the market's max leverage until a bracket is given. */
    final Brackets brackets = new Brackets();
    boolean customBrackets;
    /** Incremented whenever the tiers change (cached maintenance margins go stale). */
    int tiersVersion;
    /** Index (oracle) price and mark price, E8; 0 until known. */
    long indexE8;
    long markE8;
    final MarkPriceCalculator markCalculator;
    FundingCalculator funding;
    /** Rounding residue of funding payments (payers round up, receivers down): money kept, never created. */
    long fundingResidueE8;
    long openLongLots;
    long openShortLots;

    final TriggerIndex longTriggers = new TriggerIndex(true);
    final TriggerIndex shortTriggers = new TriggerIndex(false);
    /** The valuation price moved in this command: scan the triggers at its end. */
    boolean priceMoved;
    /** Something the mark depends on changed in this command (index, trade, a sample, a funding rate). */
    boolean markInputsChanged;
    /** The account holding this market's insurance fund (its own or the shared one); null until first used. */
    Account fund;
    /** Losses the insurance fund could not cover (its equity went below zero), E8: the venue's socialised loss. */
    long badDebtE8;
    /** Circuit breaker: halted until this command time (0: trading); the recent marks' extremes. */
    long haltedUntilMs;
    final MoveWindow moveWindow = new MoveWindow();
    /** Command time at which the next time-driven work (samples, funding) is due. */
    long nextTimeWorkMs;

    private Position[] positions = new Position[16];
    private int positionCount;
    private Account[] multiCross = new Account[4];
    private int multiCrossCount;
    Market(int id, byte[] symbol, OrderStore orders, LevelStore levels) {
        this.id = id;
        this.symbol = symbol;
        this.book = new OrderBook(orders, levels);
        this.markCalculator = new MarkPriceCalculator();
    }

    /** Installs validated parameters (see {@link MarketSpecs#validate}). */
    void apply(long[] newParams) {
        System.arraycopy(newParams, 0, params, 0, params.length);
        tickE8 = params[MarketParam.TICK.ordinal()];
        stepE8 = params[MarketParam.STEP.ordinal()];
        lotTickValueE8 = tickE8 * stepE8 / Fixed.E8;
        lotsPerUnit = Fixed.E8 % stepE8 == 0 ? Fixed.E8 / stepE8 : 0;
        maxExactLots = Long.MAX_VALUE / stepE8;
        minQtyLots = params[MarketParam.MIN_QTY.ordinal()] / stepE8;
        maxQtyLots = params[MarketParam.MAX_QTY.ordinal()] / stepE8;
        maxPriceTicks = params[MarketParam.MAX_PRICE.ordinal()] / tickE8;
        minNotionalE8 = params[MarketParam.MIN_NOTIONAL.ordinal()];
        makerFeeE8 = params[MarketParam.MAKER_FEE.ordinal()];
        takerFeeE8 = params[MarketParam.TAKER_FEE.ordinal()];
        priceBandE8 = params[MarketParam.PRICE_BAND.ordinal()];
        marketBandE8 = params[MarketParam.MARKET_BAND.ordinal()];
        stpMode = StpMode.fromCode((int) params[MarketParam.STP.ordinal()]);
        maxOpenOrders = (int) params[MarketParam.MAX_OPEN_ORDERS.ordinal()];
        priceDecimals = Fixed.decimalsOf(tickE8);
        qtyDecimals = Fixed.decimalsOf(stepE8);
        if (!customBrackets) {
            brackets.setDefault((int) params[MarketParam.MAX_LEVERAGE.ordinal()]);
            tiersVersion++;
        }
        final long interval = params[MarketParam.FUNDING_INTERVAL.ordinal()];
        final long cap = params[MarketParam.FUNDING_CAP.ordinal()];
        final long interest = params[MarketParam.INTEREST_RATE.ordinal()];
        if (funding == null || funding.intervalMs() != interval || funding.capE8() != cap
            || funding.interestRateE8() != interest) {
            // a new schedule starts at the next command; the samples of the interval in progress are dropped
            funding = new FundingCalculator(interval, interest, cap);
        }
    }

    /** The trigger index of the position's side. */
    TriggerIndex triggers(Position p) {
        return p.sizeLots > 0 ? longTriggers : shortTriggers;
    }

    void addPosition(Position p) {
        if (positionCount == positions.length) {
            positions = java.util.Arrays.copyOf(positions, positionCount * 2);
        }
        positions[positionCount] = p;
        p.listSlot = positionCount++;
    }

    void removePosition(Position p) {
        final int i = p.listSlot;
        final Position last = positions[--positionCount];
        positions[i] = last;
        last.listSlot = i;
        positions[positionCount] = null;
        p.listSlot = -1;
    }

    /** Open (non-flat) positions; order is not meaningful. */
    int positionCount() {
        return positionCount;
    }

    Position positionAt(int i) {
        return positions[i];
    }

    int multiCrossCount() {
        return multiCrossCount;
    }

    Account multiCross(int i) {
        return multiCross[i];
    }

    /** Keeps the list of cross accounts with positions here and in other markets (their triggers depend on ours). */
    void setMultiCross(Account a, boolean member) {
        final Position p = a.position(id);
        if (member && p.multiCrossSlot < 0) {
            if (multiCrossCount == multiCross.length) {
                multiCross = java.util.Arrays.copyOf(multiCross, multiCrossCount * 2);
            }
            multiCross[multiCrossCount] = a;
            p.multiCrossSlot = multiCrossCount++;
        } else if (!member && p.multiCrossSlot >= 0) {
            final int i = p.multiCrossSlot;
            final Account last = multiCross[--multiCrossCount];
            multiCross[i] = last;
            last.position(id).multiCrossSlot = i;
            multiCross[multiCrossCount] = null;
            p.multiCrossSlot = -1;
        }
    }

    public long maxPriceTicks() {
        return maxPriceTicks;
    }

    public long adlRefreshMs() {
        return params[MarketParam.ADL_REFRESH.ordinal()];
    }

    public long badDebtE8() {
        return badDebtE8;
    }

    public long haltedUntilMs() {
        return haltedUntilMs;
    }

    public long markE8() {
        return markE8;
    }

    public long indexE8() {
        return indexE8;
    }

    public long openLongLots() {
        return openLongLots;
    }

    public long openShortLots() {
        return openShortLots;
    }

    public long fundingResidueE8() {
        return fundingResidueE8;
    }

    public FundingCalculator funding() {
        return funding;
    }

    public Brackets brackets() {
        return brackets;
    }

    /** True once the market has resting orders, a trade or a mark: prices kept in ticks exist. */
    boolean hasPriceHistory() {
        return book.orderCount() > 0 || lastPriceTicks != 0 || markPriceTicks != 0;
    }

    public int id() {
        return id;
    }

    /** The symbol's bytes. Read only. */
    public byte[] symbol() {
        return symbol;
    }

    public String symbolString() {
        return new String(symbol, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A parameter's current value (E8 for decimals, ms for durations, plain integers for counts and codes). */
    public long param(MarketParam p) {
        return params[p.ordinal()];
    }

    long[] params() {
        return params;
    }

    public OrderBook book() {
        return book;
    }

    public long tickE8() {
        return tickE8;
    }

    public long stepE8() {
        return stepE8;
    }

    public int priceDecimals() {
        return priceDecimals;
    }

    public int qtyDecimals() {
        return qtyDecimals;
    }

    public long lastPriceTicks() {
        return lastPriceTicks;
    }

    public long feesCollectedE8() {
        return feesCollectedE8;
    }

    /** Ticks to E8 (exact: prices within the market's max price fit). */
    public long priceE8(long ticks) {
        return ticks * tickE8;
    }

    /** Lots to E8 (exact: quantities within the market's max quantity fit). */
    public long qtyE8(long lots) {
        return lots * stepE8;
    }
}
