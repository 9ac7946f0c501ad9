package org.perpcore.core.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.perpcore.core.command.Name;
import org.perpcore.core.model.AccountReason;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.InsuranceCause;
import org.perpcore.core.model.LiquidationStage;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.model.WorkingType;

/**
 * The engine's output for one command: binary events appended back to back into a growable buffer that is
 * reused from command to command (it only allocates when it grows past its largest size so far).
 *
 * <p>Each event is {@code [int length][byte type][byte version]} followed by its body, little-endian. Bodies are
 * written here and read by {@link EventView#decode} in the same field order; {@code EventCodecTest} checks that
 * every type round-trips. A version byte per event lets the event journal outlive format changes.
 *
 * <p>An ORDER event of a conditional order (stop, take-profit, trailing stop) carries a tail after its client order
 * id ({@link #orderConditional}): readers know it is there because the event's length says there are bytes left, so
 * events without it, and readers that stop at the client id, are unaffected (the version stays 1).
 */
public final class EventBuffer {
    static final int HEADER = 6;
    static final byte VERSION = 1;

    /** Native order, as Agrona's unordered puts and gets (and so {@link EventView}) use. */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /**
     * Most commands produce one to three events of about 150 bytes; a market order sweeping many levels grows the
     * buffer once. Small, because every ring slot owns one: a 4 KiB buffer per slot made the ring's footprint many
     * megabytes and evicted the engine's own state from cache.
     */
    private static final int INITIAL_CAPACITY = 512;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(INITIAL_CAPACITY);
    /** The buffer's backing array as of the last {@link #begin}: the buffer replaces it when it grows. */
    private byte[] bytes;
    private int position;
    private int count;
    private int start;

    public void clear() {
        position = 0;
        count = 0;
    }

    /** Bytes written. */
    public int length() {
        return position;
    }

    /** Events written. */
    public int count() {
        return count;
    }

    public DirectBuffer buffer() {
        return buffer;
    }

    /** Replaces the content with {@code length} bytes holding {@code count} events (journal replay, tests). */
    public void copyFrom(DirectBuffer src, int offset, int length, int count) {
        buffer.putBytes(0, src, offset, length);
        this.position = length;
        this.count = count;
    }

    /**
     * Starts an event of exactly {@code length} bytes (header included): one capacity check for the whole event,
     * after which the fields are plain stores into the backing array.
     */
    private int begin(EventType type, int length) {
        buffer.checkLimit(position + length);
        bytes = buffer.byteArray();
        start = position;
        bytes[position + 4] = type.code();
        bytes[position + 5] = VERSION;
        return position + HEADER;
    }

    private void end(int end) {
        INT.set(bytes, start, end - start);
        position = end;
        count++;
    }

    private static int putByte(byte[] a, int p, int v) {
        a[p] = (byte) v;
        return p + 1;
    }

    private static int putInt(byte[] a, int p, int v) {
        INT.set(a, p, v);
        return p + 4;
    }

    private static int putLong(byte[] a, int p, long v) {
        LONG.set(a, p, v);
        return p + 8;
    }

    private static int putName(byte[] a, int p, byte[] name, int offset, int len) {
        a[p] = (byte) len;
        System.arraycopy(name, offset, a, p + 1, len);
        return p + 1 + len;
    }

    private static int putName(byte[] a, int p, Name name) {
        return putName(a, p, name.bytes(), 0, name.length());
    }

    public void market(int marketId, byte[] symbol, long[] params) {
        int p = begin(EventType.MARKET, HEADER + 4 + 1 + symbol.length + 1 + 8 * MarketParam.COUNT);
        final byte[] a = bytes;
        p = putInt(a, p, marketId);
        p = putName(a, p, symbol, 0, symbol.length);
        p = putByte(a, p, MarketParam.COUNT);
        for (int i = 0; i < MarketParam.COUNT; i++) {
            p = putLong(a, p, params[i]);
        }
        end(p);
    }

    public void accountCreated(int accountId, byte[] name) {
        int p = begin(EventType.ACCOUNT_CREATED, HEADER + 4 + 1 + name.length);
        final byte[] a = bytes;
        p = putInt(a, p, accountId);
        p = putName(a, p, name, 0, name.length);
        end(p);
    }

    public void account(int accountId, AccountReason reason, long walletE8, long marginBalanceE8, long maintMarginE8,
                        long availableE8, long changeE8) {
        int p = begin(EventType.ACCOUNT, HEADER + 4 + 1 + 8 * 5);
        final byte[] a = bytes;
        p = putInt(a, p, accountId);
        p = putByte(a, p, reason.code());
        p = putLong(a, p, walletE8);
        p = putLong(a, p, marginBalanceE8);
        p = putLong(a, p, maintMarginE8);
        p = putLong(a, p, availableE8);
        p = putLong(a, p, changeE8);
        end(p);
    }

    /**
     * An order's state after something happened to it. Prices and quantities are E8; {@code lastQtyE8},
     * {@code lastPriceE8} and {@code lastFeeE8} describe the fill of this event (zero when it is not a fill).
     */
    public void order(int accountId, int marketId, long orderId, byte[] clientId, int clientIdOffset, int clientIdLength,
                      Side side, OrderType type, TimeInForce tif, OrderStatus status, ExecType exec,
                      ExpireReason expireReason, boolean reduceOnly, StpMode stp,
                      long priceE8, long origQtyE8, long executedQtyE8, long cumQuoteE8,
                      long lastQtyE8, long lastPriceE8, long lastFeeE8, RejectCode reject) {
        int p = begin(EventType.ORDER, HEADER + 4 + 4 + 8 + 8 + 8 * 7 + 4 + 1 + clientIdLength);
        final byte[] a = bytes;
        p = putInt(a, p, accountId);
        p = putInt(a, p, marketId);
        p = putLong(a, p, orderId);
        p = putByte(a, p, side == null ? 0 : side.code());
        p = putByte(a, p, type == null ? 0 : type.code());
        p = putByte(a, p, tif == null ? 0 : tif.code());
        p = putByte(a, p, status.code());
        p = putByte(a, p, exec.code());
        p = putByte(a, p, expireReason.code());
        p = putByte(a, p, reduceOnly ? 1 : 0);
        p = putByte(a, p, stp == null ? 0 : stp.code());
        p = putLong(a, p, priceE8);
        p = putLong(a, p, origQtyE8);
        p = putLong(a, p, executedQtyE8);
        p = putLong(a, p, cumQuoteE8);
        p = putLong(a, p, lastQtyE8);
        p = putLong(a, p, lastPriceE8);
        p = putLong(a, p, lastFeeE8);
        p = putInt(a, p, reject.code());
        p = putName(a, p, clientId, clientIdOffset, clientIdLength);
        end(p);
    }

    /** Bytes of the conditional tail of an ORDER event. */
    static final int CONDITIONAL_TAIL = 1 + 1 + 8 * 4;

    /**
     * Appends the conditional fields to the ORDER event written last (call it right after {@link #order}): the
     * price it watches, whether it closes the position and is price-protected, its stop price, its activation price
     * and callback rate (trailing stops: percent E8, 1 % = 100_000_000), and in a TRIGGERED event the trigger price
     * that fired it (0 otherwise). Prices E8; 0 where a field does not apply.
     */
    public void orderConditional(WorkingType workingType, boolean closePosition, boolean priceProtect,
                                 long stopPriceE8, long activationPriceE8, long callbackRateE8, long triggerPriceE8) {
        buffer.checkLimit(position + CONDITIONAL_TAIL);
        final byte[] a = buffer.byteArray();
        bytes = a;
        int p = position;
        p = putByte(a, p, workingType == null ? 0 : workingType.code());
        p = putByte(a, p, (closePosition ? 1 : 0) | (priceProtect ? 2 : 0));
        p = putLong(a, p, stopPriceE8);
        p = putLong(a, p, activationPriceE8);
        p = putLong(a, p, callbackRateE8);
        p = putLong(a, p, triggerPriceE8);
        INT.set(a, start, p - start);
        position = p;
    }

    public void trade(int marketId, long tradeId, long priceE8, long qtyE8, int buyer, int seller,
                      long buyOrderId, long sellOrderId, Side makerSide, long buyerFeeE8, long sellerFeeE8) {
        int p = begin(EventType.TRADE, HEADER + 4 + 8 * 3 + 4 + 4 + 8 * 2 + 1 + 8 * 2);
        final byte[] a = bytes;
        p = putInt(a, p, marketId);
        p = putLong(a, p, tradeId);
        p = putLong(a, p, priceE8);
        p = putLong(a, p, qtyE8);
        p = putInt(a, p, buyer);
        p = putInt(a, p, seller);
        p = putLong(a, p, buyOrderId);
        p = putLong(a, p, sellOrderId);
        p = putByte(a, p, makerSide.code());
        p = putLong(a, p, buyerFeeE8);
        p = putLong(a, p, sellerFeeE8);
        end(p);
    }

    /** A refused command: what was asked (as given, since names may not resolve) and why. */
    public void reject(CommandType command, RejectCode reason, Name account, Name symbol, Name clientId, long orderId) {
        int p = begin(EventType.REJECT,
            HEADER + 1 + 4 + 8 + 3 + account.length() + symbol.length() + clientId.length());
        final byte[] a = bytes;
        p = putByte(a, p, command == null ? 0 : command.code());
        p = putInt(a, p, reason.code());
        p = putLong(a, p, orderId);
        p = putName(a, p, account);
        p = putName(a, p, symbol);
        p = putName(a, p, clientId);
        end(p);
    }

    /** A market's mark price changed. */
    public void mark(int marketId, long markE8, long indexE8, long estimatedFundingRateE8, long nextFundingTimeMs) {
        int p = begin(EventType.MARK, HEADER + 4 + 8 * 4);
        final byte[] a = bytes;
        p = putInt(a, p, marketId);
        p = putLong(a, p, markE8);
        p = putLong(a, p, indexE8);
        p = putLong(a, p, estimatedFundingRateE8);
        p = putLong(a, p, nextFundingTimeMs);
        end(p);
    }

    /**
     * A funding settlement: one event per position with {@code accountId} the holder and {@code amountE8} what it
     * received (negative: paid), after a summary event with {@code accountId} -1 and the residue kept as amount.
     */
    public void funding(int marketId, int accountId, long rateE8, long markE8, long amountE8) {
        int p = begin(EventType.FUNDING, HEADER + 4 + 4 + 8 * 3);
        final byte[] a = bytes;
        p = putInt(a, p, marketId);
        p = putInt(a, p, accountId);
        p = putLong(a, p, rateE8);
        p = putLong(a, p, markE8);
        p = putLong(a, p, amountE8);
        end(p);
    }

    /** A position's state: size (signed, E8), entry notional, valuation price and the risk figures at it. */
    public void position(int accountId, int marketId, AccountReason reason, long qtyE8, long costE8, long markE8,
                         long unrealizedPnlE8, long liquidationPriceE8, long notionalE8, boolean isolated,
                         long isolatedMarginE8, int leverage, long maintMarginE8, int adlQuantile,
                         long realizedPnlE8) {
        int p = begin(EventType.POSITION, HEADER + 4 + 4 + 1 + 8 * 9 + 1 + 4 + 1);
        final byte[] a = bytes;
        p = putInt(a, p, accountId);
        p = putInt(a, p, marketId);
        p = putByte(a, p, reason.code());
        p = putLong(a, p, qtyE8);
        p = putLong(a, p, costE8);
        p = putLong(a, p, markE8);
        p = putLong(a, p, unrealizedPnlE8);
        p = putLong(a, p, liquidationPriceE8);
        p = putLong(a, p, notionalE8);
        p = putLong(a, p, isolatedMarginE8);
        p = putLong(a, p, maintMarginE8);
        p = putLong(a, p, realizedPnlE8);
        p = putByte(a, p, isolated ? 1 : 0);
        p = putInt(a, p, leverage);
        p = putByte(a, p, adlQuantile);
        end(p);
    }

    /**
     * An account (market -1: its cross margin) or an isolated position (market id) is at or below maintenance
     * margin: a liquidation candidate.
     */
    public void marginCall(int accountId, int marketId, long marginBalanceE8, long maintMarginE8) {
        int p = begin(EventType.MARGIN_CALL, HEADER + 4 + 4 + 8 * 2);
        final byte[] a = bytes;
        p = putInt(a, p, accountId);
        p = putInt(a, p, marketId);
        p = putLong(a, p, marginBalanceE8);
        p = putLong(a, p, maintMarginE8);
        end(p);
    }

    /** A margin tier of a market: its index, floor notional, maintenance rate, cum and max leverage. */
    public void bracket(int marketId, int tier, long floorE8, long mmrE8, long cumE8, int maxLeverage) {
        int p = begin(EventType.BRACKET, HEADER + 4 + 4 + 8 * 3 + 4);
        final byte[] a = bytes;
        p = putInt(a, p, marketId);
        p = putInt(a, p, tier);
        p = putLong(a, p, floorE8);
        p = putLong(a, p, mmrE8);
        p = putLong(a, p, cumE8);
        p = putInt(a, p, maxLeverage);
        end(p);
    }

    /**
     * One fill of a liquidation: the liquidated account, the side it traded, quantity and price (E8), the
     * position's bankruptcy price and the mark, the stage, whether the liquidation closed the whole position, and
     * the liquidation fee charged (partial liquidations).
     */
    public void liquidation(int accountId, int marketId, Side side, long qtyE8, long priceE8, long bankruptcyPriceE8,
                            long markE8, LiquidationStage stage, boolean full, long feeE8) {
        int p = begin(EventType.LIQUIDATION, HEADER + 4 + 4 + 1 + 8 * 4 + 1 + 1 + 8);
        final byte[] a = bytes;
        p = putInt(a, p, accountId);
        p = putInt(a, p, marketId);
        p = putByte(a, p, side.code());
        p = putLong(a, p, qtyE8);
        p = putLong(a, p, priceE8);
        p = putLong(a, p, bankruptcyPriceE8);
        p = putLong(a, p, markE8);
        p = putByte(a, p, stage.code());
        p = putByte(a, p, full ? 1 : 0);
        p = putLong(a, p, feeE8);
        end(p);
    }

    /** An insurance fund's balance (its equity at the marks) changed by {@code changeE8} for {@code cause}. */
    public void insurance(int marketId, int fundAccountId, long balanceE8, long changeE8, InsuranceCause cause,
                          int accountId) {
        int p = begin(EventType.INSURANCE, HEADER + 4 + 4 + 8 * 2 + 1 + 4);
        final byte[] a = bytes;
        p = putInt(a, p, marketId);
        p = putInt(a, p, fundAccountId);
        p = putLong(a, p, balanceE8);
        p = putLong(a, p, changeE8);
        p = putByte(a, p, cause.code());
        p = putInt(a, p, accountId);
        end(p);
    }

    /** Auto-deleverage: {@code accountId}'s position was reduced against the liquidated {@code counterpartyId}. */
    public void adl(int accountId, int counterpartyId, int marketId, Side side, long qtyE8, long priceE8) {
        int p = begin(EventType.ADL, HEADER + 4 + 4 + 4 + 1 + 8 * 2);
        final byte[] a = bytes;
        p = putInt(a, p, accountId);
        p = putInt(a, p, counterpartyId);
        p = putInt(a, p, marketId);
        p = putByte(a, p, side.code());
        p = putLong(a, p, qtyE8);
        p = putLong(a, p, priceE8);
        end(p);
    }

    /** An account ended a liquidation with negative equity: the amount, and how much the fund could not cover. */
    public void badDebt(int accountId, int marketId, long amountE8, long uncoveredE8) {
        int p = begin(EventType.BAD_DEBT, HEADER + 4 + 4 + 8 * 2);
        final byte[] a = bytes;
        p = putInt(a, p, accountId);
        p = putInt(a, p, marketId);
        p = putLong(a, p, amountE8);
        p = putLong(a, p, uncoveredE8);
        end(p);
    }

    /** A market halted by its circuit breaker until {@code untilMs} (0 with {@code resumed}: trading resumed). */
    public void halt(int marketId, boolean resumed, long moveE8, long untilMs) {
        int p = begin(EventType.HALT, HEADER + 4 + 1 + 8 * 2);
        final byte[] a = bytes;
        p = putInt(a, p, marketId);
        p = putByte(a, p, resumed ? 1 : 0);
        p = putLong(a, p, moveE8);
        p = putLong(a, p, untilMs);
        end(p);
    }

    /** The engine's {@link org.perpcore.core.engine.Engine#stateHash() state hash} and sizes (a state query). */
    public void state(long stateHash, int markets, int accounts, int openOrders) {
        int p = begin(EventType.STATE, HEADER + 8 + 4 * 3);
        final byte[] a = bytes;
        p = putLong(a, p, stateHash);
        p = putInt(a, p, markets);
        p = putInt(a, p, accounts);
        p = putInt(a, p, openOrders);
        end(p);
    }
}
