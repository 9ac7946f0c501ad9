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
import org.perpcore.core.num.Fixed;

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
    private final NameIndex marketNames = new NameIndex(16);
    private final NameIndex accountNames;
    private final Matcher matcher;
    private final StateHash hash = new StateHash();
    private final long[] specScratch = new long[MarketParam.COUNT];

    private Market[] markets = new Market[8];
    private int marketCount;
    /** The market found last; markets are never removed or replaced, so it stays valid. */
    private Market lastMarket;
    private Account[] accounts;
    private int accountCount;

    /**
     * Money in the system (deposits less withdrawals) is capped at 2^61 E8 (about 23 billion USDT). Money only moves
     * between wallets and the fee pot after that, so no balance or total can reach the long range.
     */
    static final long MAX_TOTAL_DEPOSITS_E8 = 1L << 61;

    private long totalDepositsE8;
    private long nowMs;
    private long lastSeq;

    /** An engine sized for a small workload; structures grow as needed. */
    public Engine() {
        this(1 << 16, 1 << 12);
    }

    /** An engine whose order and account structures start at the given sizes (growing is the only allocation). */
    public Engine(int expectedOrders, int expectedAccounts) {
        accountNames = new NameIndex(expectedAccounts);
        accounts = new Account[Math.max(16, expectedAccounts)];
        matcher = new Matcher(this, expectedOrders);
    }

    /** Applies one command; its events are appended to {@code command.events()} (cleared first). */
    public void apply(Command c) {
        final EventBuffer out = c.events();
        out.clear();
        if (c.timestampMs > nowMs) {
            nowMs = c.timestampMs; // ingress stamps time; a late stamp from a racing producer never moves time back
        }
        lastSeq = c.seq;
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
            default -> reject(c, RejectCode.UNKNOWN_COMMAND, out);
        }
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
        if (h == OrderStore.NONE) {
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
        matcher.cancelAll(a, m, out);
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

    /** Wallet balance less what is committed; positions and order margin reduce it from the risk stage on. */
    private long availableE8(Account a) {
        return a.walletE8;
    }

    private void emitAccount(Account a, AccountReason reason, long changeE8, EventBuffer out) {
        out.account(a.id(), reason, a.walletE8, a.walletE8, 0, availableE8(a), changeE8);
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

    private Account findAccount(Name name) {
        final int id = accountNames.find(name);
        return id < 0 ? null : accounts[id];
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

    /** Orders resting in all books. */
    public int openOrderCount() {
        return matcher.orders.live();
    }

    /**
     * A 64-bit hash of all exchange state (markets, books with time priority, accounts, id counters), independent of
     * the order in which it is walked: equal states give equal hashes on every run and JVM. The log position
     * ({@link #lastSeq()}, {@link #nowMs()}) is not part of it, so a rejected command leaves the hash unchanged.
     * O(state): for checks and replays, not for the hot path.
     */
    public long stateHash() {
        hash.reset();
        hash.entity(StateHash.KIND_COUNTERS)
            .add(matcher.nextOrderId).add(matcher.nextTradeId).add(marketCount).add(accountCount)
            .add(totalDepositsE8)
            .done();
        for (int i = 0; i < marketCount; i++) {
            final Market m = markets[i];
            final StateHash.Entity e = hash.entity(StateHash.KIND_MARKET).add(m.id()).add(m.symbol(), 0, m.symbol().length);
            for (long v : m.params()) {
                e.add(v);
            }
            e.add(m.lastPriceTicks).add(m.markPriceTicks).add(m.feesCollectedE8).done();
            matcher.hashOrders(m, hash);
        }
        for (int i = 0; i < accountCount; i++) {
            final Account a = accounts[i];
            hash.entity(StateHash.KIND_ACCOUNT).add(a.id()).add(a.name(), 0, a.name().length).add(a.walletE8).done();
        }
        return hash.value();
    }
}
