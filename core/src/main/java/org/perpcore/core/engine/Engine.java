package org.perpcore.core.engine;

import java.util.Arrays;
import org.perpcore.core.book.OrderStore;
import org.perpcore.core.command.Command;
import org.perpcore.core.command.Name;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.model.AccountReason;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.funding.ImpactPrices;
import org.perpcore.core.liquidation.Liquidator;
import org.perpcore.core.model.InsuranceCause;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.risk.Brackets;

/**
 * The deterministic exchange engine: one command in, its events out (into the command's own
 * {@link Command#events()} buffer). It owns all exchange state and is driven by one thread at a time; the
 * Disruptor pipeline, replay, the scenario runner and tests all drive this same object.
 *
 * <p>Determinism: the only inputs are the commands, in sequence. Time is the command's timestamp (never a
 * clock); nothing is random; no outcome depends on hash-map iteration order. Bad input never throws and never
 * changes state: the command is rejected with a {@link RejectCode} and a REJECT event. An exception escaping
 * {@link #apply} is a bug, and the pipeline halts on it rather than run on state that may be corrupt.
 */
public final class Engine {
    final NameIndex marketNames = new NameIndex(16);
    final NameIndex accountNames;
    /** Account names compare in the {@link Account}, which the lookup reads next anyway. */
    private final NameIndex.Match accountNameMatch = (id, name) -> this.accounts[id].hasName(name);
    final Matcher matcher;
    final RiskEngine risk = new RiskEngine(this);
    final Liquidator liquidator;
    final ConditionalOrders conditional;
    Account sharedFund;
    private final StateHash hash = new StateHash();
    private final long[] specScratch = new long[MarketParam.COUNT];

    private final Brackets bracketScratch = new Brackets();
    Market[] markets = new Market[8];
    int marketCount;
    /** The market found last; markets are never removed or replaced, so it stays valid. */
    private Market lastMarket;
    Account[] accounts;
    int accountCount;

    /**
     * Money in the system (deposits less withdrawals) is capped at 2^61 E8 (about 23 billion USDT). Money only moves
     * between wallets and the fee pot after that, so no balance or total can reach the long range.
     */
    static final long MAX_TOTAL_DEPOSITS_E8 = 1L << 61;

    long totalDepositsE8;
    long nowMs;
    long lastSeq;

    /** An engine sized for a small workload; structures grow as needed. */
    public Engine() {
        this(1 << 16, 1 << 12);
    }

    /** An engine whose order and account structures start at the given sizes (growing is the only allocation). */
    public Engine(int expectedOrders, int expectedAccounts) {
        accountNames = new NameIndex(expectedAccounts);
        accounts = new Account[Math.max(16, expectedAccounts)];
        matcher = new Matcher(this, expectedOrders);
        conditional = new ConditionalOrders(this, matcher, expectedOrders);
        matcher.conditional = conditional;
        liquidator = new Liquidator(new EngineLiquidationHost(this, risk, matcher));
    }

    /** Applies one command; its events are appended to {@code command.events()} (cleared first). */
    public void apply(Command c) {
        final EventBuffer out = c.events();
        out.clear();
        if (c.type == CommandType.SNAPSHOT) {
            lastSeq = c.seq; // a marker in the log (EngineSnapshot): no time passes, so taking one changes nothing
            return;
        }
        if (c.timestampMs > nowMs) {
            nowMs = c.timestampMs; // ingress stamps time; a late stamp from a racing producer never moves time back
        }
        lastSeq = c.seq;
        advanceTime(out);
        // stops the time-driven mark moves crossed fire before the command (its orders watch prices from now on)
        conditional.run(out);
        dispatch(c, out);
        afterCommand(out);
    }

    private void dispatch(Command c, EventBuffer out) {
        if (c.type == null) {
            reject(c, RejectCode.UNKNOWN_COMMAND, out);
            return;
        }
        switch (c.type) {
            case MARKET -> defineMarket(c, out);
            case DEPOSIT -> deposit(c, out);
            case WITHDRAW -> withdraw(c, out);
            case PLACE_ORDER -> placeOrder(c, out);
            case CANCEL_ORDER -> cancelOrder(c, out);
            case CANCEL_ALL -> cancelAll(c, out);
            case AMEND_ORDER -> amendOrder(c, out);
            case TICK -> {
                // time has advanced; time-driven work hooks in here
            }
            case QUERY_ACCOUNT -> queryAccount(c, out);
            case INDEX -> index(c, out);
            case MARK_PRICE -> forceMark(c, out);
            case LEVERAGE -> leverage(c, out);
            case MARGIN_TYPE -> marginType(c, out);
            case ISOLATED_MARGIN -> isolatedMargin(c, out);
            case BRACKET -> bracket(c, out);
            case QUERY_POSITION -> queryPosition(c, out);
            case INSURANCE -> insuranceDeposit(c, out);
            case QUERY_POSITIONS -> queryPositions(c, out);
            case QUERY_STATE -> out.state(stateHash(), marketCount, accountCount, matcher.orders.live());
            default -> reject(c, RejectCode.UNKNOWN_COMMAND, out);
        }
    }

    // ------------------------------------------------------------------------------------------ time and marks

    /**
     * Time-driven work before a command, from the state before it: funding samples and settlements, and the
     * mark's moving-average samples, for every whole interval the command's time crossed. At most once per second
     * of command time per market.
     */
    private void advanceTime(EventBuffer out) {
        for (int i = 0; i < marketCount; i++) {
            final Market m = markets[i];
            if (m.haltedUntilMs != 0 && nowMs >= m.haltedUntilMs) {
                m.haltedUntilMs = 0;
                out.halt(m.id(), true, 0, 0);
            }
            if (nowMs >= m.nextTimeWorkMs) {
                timeWork(m, out);
            }
        }
    }

    private void timeWork(Market m, EventBuffer out) {
        final long bidE8 = ImpactPrices.bestBidE8(m.book(), m.tickE8);
        final long askE8 = ImpactPrices.bestAskE8(m.book(), m.tickE8);
        final long impactNotionalE8 = ImpactPrices.impactMarginNotionalE8(m.brackets.maxLeverage(0));
        final long impactBidE8 = ImpactPrices.impactBidE8(m.book(), m.tickE8, m.lotTickValueE8, impactNotionalE8);
        final long impactAskE8 = ImpactPrices.impactAskE8(m.book(), m.tickE8, m.lotTickValueE8, impactNotionalE8);
        final long lastPriceE8 = m.lastPriceTicks * m.tickE8;
        while (m.funding.onTime(nowMs, m.indexE8, impactBidE8, impactAskE8)) {
            final long fundingTimeMs = m.funding.lastFundingTimeMs();
            m.markCalculator.onTime(fundingTimeMs, m.indexE8, bidE8, askE8);
            m.markCalculator.update(fundingTimeMs, m.indexE8, lastPriceE8, m.funding.lastFundingRateE8(),
                fundingTimeMs, m.funding.intervalMs());
            setMark(m, m.markCalculator.markE8(), out);
            risk.settleFunding(m, m.funding.lastFundingRateE8(), out);
        }
        m.markCalculator.onTime(nowMs, m.indexE8, bidE8, askE8);
        // the mark's first input depends on the time to the next funding: it may move every second
        m.markInputsChanged = true;
        m.nextTimeWorkMs = Math.floorDiv(nowMs, 1000) * 1000 + 1000;
    }

    private void setMark(Market m, long markE8, EventBuffer out) {
        if (markE8 == m.markE8) {
            return;
        }
        m.markE8 = markE8;
        m.markPriceTicks = Fixed.mulDivFloor(markE8, 1, m.tickE8);
        m.priceMoved = true;
        m.conditionals.onMark(markE8);
        out.mark(m.id(), markE8, m.indexE8, m.funding.estimatedFundingRateE8(), m.funding.nextFundingTimeMs());
        circuitBreaker(m, markE8, out);
    }

    /**
     * Halts the market to new risk for {@code haltFor} when its mark has moved more than {@code haltMove} (as a
     * fraction of the window's lowest mark) within {@code haltWindow}. Off when {@code haltMove} is 0.
     */
    private void circuitBreaker(Market m, long markE8, EventBuffer out) {
        final long limit = m.param(MarketParam.HALT_MOVE);
        if (limit == 0 || markE8 <= 0) {
            return;
        }
        m.moveWindow.add(nowMs, m.param(MarketParam.HALT_WINDOW), markE8);
        if (m.haltedUntilMs > nowMs) {
            return;
        }
        final long low = m.moveWindow.min();
        final long move = Fixed.mulDivFloor(m.moveWindow.max() - low, Fixed.E8, low);
        if (move > limit) {
            m.haltedUntilMs = nowMs + m.param(MarketParam.HALT_FOR);
            m.moveWindow.clear();
            out.halt(m.id(), false, move, m.haltedUntilMs);
        }
    }

    /**
     * After a command: marks recomputed, the conditional orders the command's prices crossed fired, reduce-only
     * orders fitted to their positions, margin re-examined.
     */
    private void afterCommand(EventBuffer out) {
        refreshMarks(out);
        conditional.run(out);
        if (!risk.idle()) {
            risk.fitReduceOnlyOrders(matcher, out);
        }
        risk.endOfCommand(markets, marketCount, out);
        if (risk.calledCount() > 0 || risk.negativeCount() > 0 || fundsHoldPositions()) {
            liquidator.run(out);
        }
    }

    /** Some insurance fund holds a position (taken over): its equity is watched after every command. */
    private boolean fundsHoldPositions() {
        for (int i = 0; i < marketCount; i++) {
            final Account fund = markets[i].fund;
            if (fund != null) {
                final Position p = fund.position(i);
                if (p != null && p.sizeLots != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * After a pass of liquidations: marks moved by their fills, the conditional orders their prices crossed fired,
     * reduce-only orders, margin, new flags.
     */
    void afterLiquidationPass(EventBuffer out) {
        refreshMarks(out);
        conditional.run(out);
        if (!risk.idle()) {
            risk.fitReduceOnlyOrders(matcher, out);
        }
        risk.endOfCommand(markets, marketCount, out);
    }

    /** Recomputes the marks whose inputs changed (trades, index, samples) and emits the MARKs that moved. */
    void refreshMarks(EventBuffer out) {
        for (int i = 0; i < marketCount; i++) {
            final Market m = markets[i];
            if (m.markInputsChanged) {
                m.markInputsChanged = false;
                if (m.markCalculator.update(nowMs, m.indexE8, m.lastPriceTicks * m.tickE8,
                    m.funding.lastFundingRateE8(), m.funding.nextFundingTimeMs(), m.funding.intervalMs())) {
                    setMark(m, m.markCalculator.markE8(), out);
                }
            }
        }
    }

    /** The ADL quantile (0-5) of a position for its POSITION events. */
    int adlQuantile(Position p) {
        return liquidator.adlQuantile(p);
    }

    /**
     * The account of the market's insurance fund: its own ({@code $insurance-SYMBOL}) or the shared one
     * ({@code $insurance}) per the market's {@code insuranceShared}; created on first use. Fund names start with
     * '$', which no command can give an account, so no user can trade as or deposit into a fund.
     */
    Account fundOf(Market m, EventBuffer out) {
        final boolean shared = m.param(MarketParam.INSURANCE_SHARED) == 1;
        if (shared && sharedFund != null) {
            return m.fund = sharedFund;
        }
        if (!shared && m.fund != null && m.fund != sharedFund) {
            return m.fund;
        }
        final Name name = new Name();
        name.set(shared ? "$insurance" : "$insurance-" + m.symbolString());
        final int existing = accountNames.find(name);
        final Account fund = existing >= 0 ? accounts[existing] : createAccount(name, out);
        fund.fund = true;
        if (shared) {
            sharedFund = fund;
        }
        m.fund = fund;
        return fund;
    }

    // ------------------------------------------------------------------------------------------ commands

    private void defineMarket(Command c, EventBuffer out) {
        if (c.symbol.isEmpty()) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        if (!c.symbol.isLegal()) {
            reject(c, RejectCode.ILLEGAL_CHARS, out);
            return;
        }
        final int id = marketNames.find(c.symbol);
        final Market existing = id >= 0 ? markets[id] : null;
        final long[] p = specScratch;
        if (existing != null) {
            System.arraycopy(existing.params(), 0, p, 0, p.length);
        } else {
            MarketSpecs.defaults(p);
        }
        for (MarketParam param : MarketParam.values()) {
            if (c.has(param)) {
                p[param.ordinal()] = c.param(param);
            }
        }
        final RejectCode r = MarketSpecs.validate(p);
        if (r != RejectCode.NONE) {
            reject(c, r, out);
            return;
        }
        // prices in ticks and quantities in lots are kept (orders, last price, mark): once any exist the units stay
        if (existing != null && existing.hasPriceHistory()
            && (p[MarketParam.TICK.ordinal()] != existing.tickE8 || p[MarketParam.STEP.ordinal()] != existing.stepE8)) {
            reject(c, RejectCode.MARKET_SPEC_LOCKED, out);
            return;
        }
        Market m = existing;
        if (m == null) {
            final int newId = marketNames.add(c.symbol);
            if (newId == markets.length) {
                markets = Arrays.copyOf(markets, newId * 2);
            }
            m = new Market(newId, marketNames.name(newId), matcher.orders, matcher.levels);
            markets[newId] = m;
            marketCount++;
        }
        m.apply(p);
        out.market(m.id(), m.symbol(), m.params());
    }

    private void deposit(Command c, EventBuffer out) {
        final long amount = c.amountE8;
        if (amount == Command.ABSENT || c.account.isEmpty()) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        if (amount <= 0) {
            reject(c, RejectCode.AMOUNT_MUST_BE_POSITIVE, out);
            return;
        }
        Account a = findAccount(c.account);
        if (a == null && !c.account.isLegal()) {
            reject(c, RejectCode.ILLEGAL_CHARS, out);
            return;
        }
        if (a == null && accountNames.find(c.account) >= 0) {
            reject(c, RejectCode.BAD_ACCOUNT, out); // a fund's name
            return;
        }
        final long wallet = Fixed.add(a == null ? 0 : a.walletE8, amount);
        final long total = Fixed.add(totalDepositsE8, amount);
        if (wallet == Fixed.OVERFLOW || total == Fixed.OVERFLOW || total > MAX_TOTAL_DEPOSITS_E8) {
            reject(c, RejectCode.OVERFLOW, out);
            return;
        }
        if (a == null) {
            a = createAccount(c.account, out);
        }
        a.walletE8 = wallet;
        totalDepositsE8 = total;
        emitAccount(a, AccountReason.DEPOSIT, amount, out);
    }

    private void withdraw(Command c, EventBuffer out) {
        final long amount = c.amountE8;
        if (amount == Command.ABSENT) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        final Account a = findAccount(c.account);
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        if (amount <= 0) {
            reject(c, RejectCode.AMOUNT_MUST_BE_POSITIVE, out);
            return;
        }
        if (amount > availableE8(a)) {
            reject(c, RejectCode.BALANCE_NOT_SUFFICIENT, out);
            return;
        }
        a.walletE8 -= amount;
        totalDepositsE8 -= amount;
        emitAccount(a, AccountReason.WITHDRAW, -amount, out);
    }

    private void placeOrder(Command c, EventBuffer out) {
        if (c.side == null) {
            reject(c, RejectCode.INVALID_SIDE, out);
            return;
        }
        if (c.orderType == null) {
            reject(c, RejectCode.INVALID_ORDER_TYPE, out);
            return;
        }
        final Account a = findAccount(c.account);
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        final Market m = findMarket(c.symbol);
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        if (ConditionalOrders.isConditional(c.orderType)) {
            conditional.place(c, a, m, out);
            return;
        }
        final RejectCode r = matcher.validatePlace(c, a, m);
        if (r != RejectCode.NONE) {
            rejectOrder(c, a, m, r, out);
            return;
        }
        matcher.place(c, a, m, out);
    }

    private void cancelOrder(Command c, EventBuffer out) {
        final Account a = findAccount(c.account);
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        final Market m = findMarket(c.symbol);
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        if (c.clientId.isEmpty() && c.orderId <= 0) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        final int h = matcher.locate(c, a, m);
        if (h == OrderStore.NONE || (c.orderType != null && !matcher.orders.waitingForTrigger(h))) {
            reject(c, RejectCode.CANCEL_REJECTED, out);
            return;
        }
        matcher.cancel(h, m, out);
    }

    private void cancelAll(Command c, EventBuffer out) {
        final Account a = findAccount(c.account);
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        final Market m = findMarket(c.symbol);
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        matcher.cancelAll(a, m, c.orderType != null, out);
    }

    private void amendOrder(Command c, EventBuffer out) {
        final Account a = findAccount(c.account);
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        final Market m = findMarket(c.symbol);
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        if (c.clientId.isEmpty() && c.orderId <= 0) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        final int h = matcher.locate(c, a, m);
        if (h == OrderStore.NONE) {
            reject(c, RejectCode.NO_SUCH_ORDER, out);
            return;
        }
        final RejectCode r = matcher.validateAmend(c, h, m);
        if (r != RejectCode.NONE) {
            reject(c, r, out);
            return;
        }
        matcher.amend(h, m, out);
    }

    private void queryAccount(Command c, EventBuffer out) {
        final Account a = findAccount(c.account);
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        emitAccount(a, AccountReason.QUERY, 0, out);
    }

    private void index(Command c, EventBuffer out) {
        final Market m = findMarket(c.symbol);
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        if (c.priceE8 == Command.ABSENT || c.priceE8 <= 0) {
            reject(c, c.priceE8 == Command.ABSENT ? RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED
                : RejectCode.PRICE_LESS_THAN_ZERO, out);
            return;
        }
        m.indexE8 = c.priceE8;
        m.markCalculator.onIndexTick();
        m.markInputsChanged = true;
    }

    private void forceMark(Command c, EventBuffer out) {
        final Market m = findMarket(c.symbol);
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        if (c.priceE8 == Command.ABSENT || c.priceE8 <= 0) {
            reject(c, c.priceE8 == Command.ABSENT ? RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED
                : RejectCode.PRICE_LESS_THAN_ZERO, out);
            return;
        }
        m.markCalculator.force(c.priceE8);
        setMark(m, c.priceE8, out);
    }

    private void leverage(Command c, EventBuffer out) {
        final Account a = findAccount(c.account);
        final Market m = a == null ? null : findMarket(c.symbol);
        if (a == null || m == null) {
            reject(c, a == null ? RejectCode.BAD_ACCOUNT : RejectCode.BAD_SYMBOL, out);
            return;
        }
        final RejectCode r = risk.checkLeverage(a, m, c.leverage);
        if (r != RejectCode.NONE) {
            reject(c, r, out);
            return;
        }
        final Position p = RiskEngine.position(a, m);
        p.leverage = c.leverage;
        risk.touch(p, AccountReason.SETTINGS);
    }

    private void marginType(Command c, EventBuffer out) {
        final Account a = findAccount(c.account);
        final Market m = a == null ? null : findMarket(c.symbol);
        if (a == null || m == null) {
            reject(c, a == null ? RejectCode.BAD_ACCOUNT : RejectCode.BAD_SYMBOL, out);
            return;
        }
        final Position p = a.position(m.id());
        final boolean current = p != null && p.isolated;
        final RejectCode r = current == c.isolated ? RejectCode.NO_NEED_TO_CHANGE_MARGIN_TYPE
            : p != null && p.hasOpenOrders() ? RejectCode.THERE_EXISTS_OPEN_ORDERS
            : p != null && p.sizeLots != 0 ? RejectCode.THERE_EXISTS_QUANTITY
            : RejectCode.NONE;
        if (r != RejectCode.NONE) {
            reject(c, r, out);
            return;
        }
        final Position q = RiskEngine.position(a, m);
        q.isolated = c.isolated;
        a.walletE8 += q.isolatedMarginE8; // a flat position keeps no isolated margin, but never lose a unit
        q.isolatedMarginE8 = 0;
        risk.touch(q, AccountReason.SETTINGS);
    }

    private void isolatedMargin(Command c, EventBuffer out) {
        final Account a = findAccount(c.account);
        final Market m = a == null ? null : findMarket(c.symbol);
        if (a == null || m == null) {
            reject(c, a == null ? RejectCode.BAD_ACCOUNT : RejectCode.BAD_SYMBOL, out);
            return;
        }
        if (c.amountE8 == Command.ABSENT || c.amountE8 == 0) {
            reject(c, c.amountE8 == 0 ? RejectCode.AMOUNT_MUST_BE_POSITIVE
                : RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        final RejectCode r = risk.checkIsolatedMargin(a, m, c.amountE8);
        if (r != RejectCode.NONE) {
            reject(c, r, out);
            return;
        }
        final Position p = a.position(m.id());
        p.isolatedMarginE8 += c.amountE8;
        a.walletE8 -= c.amountE8;
        risk.touch(p, AccountReason.MARGIN_TRANSFER);
    }

    private void bracket(Command c, EventBuffer out) {
        final Market m = findMarket(c.symbol);
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        final Brackets scratch = bracketScratch;
        scratch.copyFrom(m.brackets);
        if (!m.customBrackets && c.floorE8 != 0) {
            reject(c, RejectCode.INVALID_BRACKET, out); // the first tier of a table starts at notional 0
            return;
        }
        final RejectCode r = scratch.add(c.floorE8, c.mmrE8, c.leverage);
        if (r != RejectCode.NONE) {
            reject(c, r, out);
            return;
        }
        m.brackets.copyFrom(scratch);
        m.customBrackets = true;
        m.tiersVersion++;
        m.priceMoved = true; // maintenance margins changed: re-examine every holder
        risk.touchHolders(m);
        out.bracket(m.id(), m.brackets.count() - 1, c.floorE8, c.mmrE8, m.brackets.cumE8(m.brackets.count() - 1),
            c.leverage);
    }

    /** {@code insurance SYMBOL AMOUNT}: money into the market's insurance fund (it enters the system). */
    private void insuranceDeposit(Command c, EventBuffer out) {
        final Market m = findMarket(c.symbol);
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        final long amount = c.amountE8;
        if (amount == Command.ABSENT || amount <= 0) {
            reject(c, amount == Command.ABSENT ? RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED
                : RejectCode.AMOUNT_MUST_BE_POSITIVE, out);
            return;
        }
        final long total = Fixed.add(totalDepositsE8, amount);
        if (total == Fixed.OVERFLOW || total > MAX_TOTAL_DEPOSITS_E8) {
            reject(c, RejectCode.OVERFLOW, out);
            return;
        }
        final Account fund = fundOf(m, out);
        fund.walletE8 += amount;
        totalDepositsE8 = total;
        out.insurance(m.id(), fund.id(), risk.fundEquityE8(fund), amount, InsuranceCause.DEPOSIT, -1);
    }

    private void queryPosition(Command c, EventBuffer out) {
        final Account a = findAccount(c.account);
        final Market m = a == null ? null : findMarket(c.symbol);
        if (a == null || m == null) {
            reject(c, a == null ? RejectCode.BAD_ACCOUNT : RejectCode.BAD_SYMBOL, out);
            return;
        }
        risk.emitPosition(RiskEngine.position(a, m), AccountReason.QUERY, out);
    }

    /**
     * {@code query positions ACCOUNT}: an ACCOUNT event, then a POSITION event for every market in id order, flat
     * ones included. A market the account never touched is reported at its defaults from a scratch position that
     * is not kept, so the query changes nothing (not even the state hash).
     */
    private void queryPositions(Command c, EventBuffer out) {
        final Account a = findAccount(c.account);
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        risk.figures(a);
        emitAccountFigures(a, AccountReason.QUERY, 0, out);
        for (int i = 0; i < marketCount; i++) {
            final Position p = a.position(i);
            risk.emitPosition(p != null ? p : new Position(a, markets[i]), AccountReason.QUERY, out);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private Account createAccount(Name name, EventBuffer out) {
        final int id = accountNames.add(name);
        if (id == accounts.length) {
            accounts = Arrays.copyOf(accounts, id * 2);
        }
        final Account a = new Account(id, accountNames.name(id));
        accounts[id] = a;
        accountCount++;
        out.accountCreated(id, a.name());
        return a;
    }

    /** What the account can withdraw or commit (see {@link RiskEngine#figures}). */
    private long availableE8(Account a) {
        return risk.availableE8(a);
    }

    private void emitAccount(Account a, AccountReason reason, long changeE8, EventBuffer out) {
        risk.figures(a);
        emitAccountFigures(a, reason, changeE8, out);
        risk.recheck(a); // its balance may move its liquidation prices
    }

    /** An ACCOUNT event from the risk engine's figures of {@code a} (computed just before). */
    void emitAccountFigures(Account a, AccountReason reason, long changeE8, EventBuffer out) {
        out.account(a.id(), reason, risk.fWalletTotalE8, risk.fWalletTotalE8 + risk.fTotalUpnlE8,
            risk.fTotalMaintE8, risk.fAvailableE8, changeE8);
    }

    private void reject(Command c, RejectCode code, EventBuffer out) {
        out.reject(c.type, code, c.account, c.symbol, c.clientId, c.orderId);
    }

    /** A refused order: an ORDER event with status REJECTED (the account and market are known), then the REJECT. */
    private void rejectOrder(Command c, Account a, Market m, RejectCode code, EventBuffer out) {
        out.order(a.id(), m.id(), 0, c.clientId.bytes(), 0, c.clientId.length(), c.side, c.orderType,
            c.timeInForce, OrderStatus.REJECTED, ExecType.REJECTED, ExpireReason.NONE, c.reduceOnly,
            c.stpMode != null ? c.stpMode : m.stpMode,
            c.priceE8 == Command.ABSENT ? 0 : c.priceE8, c.qtyE8 == Command.ABSENT ? 0 : c.qtyE8,
            0, 0, 0, 0, 0, code);
        reject(c, code, out);
    }

    /** A user's account by name; null for unknown names and for insurance funds. */
    private Account findAccount(Name name) {
        final int id = accountNames.find(name, accountNameMatch);
        return id < 0 || accounts[id].fund ? null : accounts[id];
    }

    private Market findMarket(Name symbol) {
        // most commands name the market of the one before: comparing its bytes is cheaper than hashing them
        final Market last = lastMarket;
        if (last != null && symbol.contentEquals(last.symbol(), 0, last.symbol().length)) {
            return last;
        }
        final int id = marketNames.find(symbol);
        if (id < 0) {
            return null;
        }
        lastMarket = markets[id];
        return lastMarket;
    }

    // ------------------------------------------------------------------------------------------ read access

    /** Engine time: the latest command timestamp seen (ms since the epoch). */
    public long nowMs() {
        return nowMs;
    }

    /** Sequence number of the last applied command. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Deposits less withdrawals, E8: all the money in the system. */
    public long totalDepositsE8() {
        return totalDepositsE8;
    }

    RiskEngine risk() {
        return risk;
    }

    ConditionalOrders conditionals() {
        return conditional;
    }

    public int marketCount() {
        return marketCount;
    }

    public Market market(int id) {
        return markets[id];
    }

    /** The market with this symbol, or null. */
    public Market market(String symbol) {
        final Name n = new Name();
        return n.set(symbol) ? findMarket(n) : null;
    }

    public int accountCount() {
        return accountCount;
    }

    public Account account(int id) {
        return accounts[id];
    }

    /** The account with this name, or null. */
    public Account account(String name) {
        final Name n = new Name();
        return n.set(name) ? findAccount(n) : null;
    }

    /** Open orders in all markets: resting in the books, or conditional ones waiting for their trigger. */
    public int openOrderCount() {
        return matcher.orders.live();
    }

    /**
     * A 64-bit hash of all exchange state (markets, books with time priority, accounts, positions, marks and
     * funding, id counters), independent of the order in which it is walked: equal states give equal hashes on
     * every run and JVM. The log position ({@link #lastSeq()}, {@link #nowMs()}) is not part of it, so a rejected
     * command leaves the hash unchanged. O(state): for checks and replays, not for the hot path.
     */
    public long stateHash() {
        hash.reset();
        hashBooks();
        hashRisk();
        conditional.hash(hash);
        return hash.value();
    }

    /**
     * The part of {@link #stateHash()} that order matching alone determines: markets' specifications and last
     * prices, books with time priority, accounts' names, id counters. Another implementation of matching (the
     * test reference) computes the same value.
     */
    public long bookHash() {
        hash.reset();
        hashBooks();
        return hash.value();
    }

    private void hashBooks() {
        hash.entity(StateHash.KIND_COUNTERS)
            .add(matcher.nextOrderId).add(matcher.nextTradeId).add(marketCount).add(accountCount)
            .done();
        for (int i = 0; i < marketCount; i++) {
            final Market m = markets[i];
            final StateHash.Entity e = hash.entity(StateHash.KIND_MARKET).add(m.id()).add(m.symbol(), 0, m.symbol().length);
            for (long v : m.params()) {
                e.add(v);
            }
            e.add(m.lastPriceTicks).add(m.feesCollectedE8).done();
            matcher.hashOrders(m, hash);
        }
        for (int i = 0; i < accountCount; i++) {
            final Account a = accounts[i];
            hash.entity(StateHash.KIND_ACCOUNT).add(a.id()).add(a.name(), 0, a.name().length).done();
        }
    }

    private void hashRisk() {
        hash.entity(StateHash.KIND_RISK_COUNTERS).add(totalDepositsE8).done();
        for (int i = 0; i < marketCount; i++) {
            final Market m = markets[i];
            final StateHash.Entity e = hash.entity(StateHash.KIND_MARKET_RISK).add(m.id())
                .add(m.indexE8).add(m.markE8).add(m.markPriceTicks).add(m.fundingResidueE8)
                .add(m.openLongLots).add(m.openShortLots).add(m.customBrackets ? 1 : 0)
                .add(m.funding.lastFundingRateE8()).add(m.funding.nextFundingTimeMs()).add(m.funding.sampleCount())
                .add(m.funding.averagePremiumE8()).add(m.markCalculator.isForced() ? 1 : 0)
                .add(m.markCalculator.movingAverageBasisE8()).add(m.markCalculator.basisSampleCount())
                .add(m.badDebtE8).add(m.haltedUntilMs).add(m.fund == null ? -1 : m.fund.id());
            for (int t = 0; t < m.brackets.count(); t++) {
                e.add(m.brackets.floorE8(t)).add(m.brackets.mmrE8(t)).add(m.brackets.maxLeverage(t));
            }
            e.done();
        }
        for (int i = 0; i < accountCount; i++) {
            final Account a = accounts[i];
            hash.entity(StateHash.KIND_ACCOUNT_RISK).add(a.id()).add(a.walletE8).add(a.marginCalled ? 1 : 0)
                .add(a.fund ? 1 : 0).add(a.nextSliceMs).done();
            for (int k = 0; k < a.positionCapacity(); k++) {
                final Position p = a.positions()[k];
                if (p != null) {
                    hash.entity(StateHash.KIND_POSITION).add(a.id()).add(k).add(p.sizeLots).add(p.costE8)
                        .add(p.leverage).add(p.isolated ? 1 : 0).add(p.isolatedMarginE8).add(p.realizedPnlE8)
                        .add(p.marginCalled ? 1 : 0).done();
                }
            }
        }
    }
}
