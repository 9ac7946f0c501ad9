package org.perpcore.core.event;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.perpcore.core.command.Name;
import org.perpcore.core.model.AccountReason;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;

/**
 * The engine's output for one command: binary events appended back to back into a growable buffer that is
 * reused from command to command (it only allocates when it grows past its largest size so far).
 *
 * <p>Each event is {@code [int length][byte type][byte version]} followed by its body, little-endian. Bodies are
 * written here and read by {@link EventView#decode} in the same field order; {@code EventCodecTest} checks that
 * every type round-trips. A version byte per event lets the event journal outlive format changes.
 */
public final class EventBuffer {
    static final int HEADER = 6;
    static final byte VERSION = 1;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
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

    private void begin(EventType type) {
        start = position;
        buffer.putByte(position + 4, type.code());
        buffer.putByte(position + 5, VERSION);
        position += HEADER;
    }

    private void end() {
        buffer.putInt(start, position - start);
        count++;
    }

    private void putByte(int v) {
        buffer.putByte(position, (byte) v);
        position += 1;
    }

    private void putShort(int v) {
        buffer.putShort(position, (short) v);
        position += 2;
    }

    private void putInt(int v) {
        buffer.putInt(position, v);
        position += 4;
    }

    private void putLong(long v) {
        buffer.putLong(position, v);
        position += 8;
    }

    private void putName(byte[] bytes, int offset, int len) {
        buffer.putByte(position, (byte) len);
        buffer.putBytes(position + 1, bytes, offset, len);
        position += 1 + len;
    }

    private void putName(Name name) {
        putName(name.bytes(), 0, name.length());
    }

    public void market(int marketId, byte[] symbol, long[] params) {
        begin(EventType.MARKET);
        putInt(marketId);
        putName(symbol, 0, symbol.length);
        putByte(MarketParam.COUNT);
        for (int i = 0; i < MarketParam.COUNT; i++) {
            putLong(params[i]);
        }
        end();
    }

    public void accountCreated(int accountId, byte[] name) {
        begin(EventType.ACCOUNT_CREATED);
        putInt(accountId);
        putName(name, 0, name.length);
        end();
    }

    public void account(int accountId, AccountReason reason, long walletE8, long marginBalanceE8, long maintMarginE8,
                        long availableE8, long changeE8) {
        begin(EventType.ACCOUNT);
        putInt(accountId);
        putByte(reason.code());
        putLong(walletE8);
        putLong(marginBalanceE8);
        putLong(maintMarginE8);
        putLong(availableE8);
        putLong(changeE8);
        end();
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
        begin(EventType.ORDER);
        putInt(accountId);
        putInt(marketId);
        putLong(orderId);
        putByte(side == null ? 0 : side.code());
        putByte(type == null ? 0 : type.code());
        putByte(tif == null ? 0 : tif.code());
        putByte(status.code());
        putByte(exec.code());
        putByte(expireReason.code());
        putByte(reduceOnly ? 1 : 0);
        putByte(stp == null ? 0 : stp.code());
        putLong(priceE8);
        putLong(origQtyE8);
        putLong(executedQtyE8);
        putLong(cumQuoteE8);
        putLong(lastQtyE8);
        putLong(lastPriceE8);
        putLong(lastFeeE8);
        putInt(reject.code());
        putName(clientId, clientIdOffset, clientIdLength);
        end();
    }

    public void trade(int marketId, long tradeId, long priceE8, long qtyE8, int buyer, int seller,
                      long buyOrderId, long sellOrderId, Side makerSide, long buyerFeeE8, long sellerFeeE8) {
        begin(EventType.TRADE);
        putInt(marketId);
        putLong(tradeId);
        putLong(priceE8);
        putLong(qtyE8);
        putInt(buyer);
        putInt(seller);
        putLong(buyOrderId);
        putLong(sellOrderId);
        putByte(makerSide.code());
        putLong(buyerFeeE8);
        putLong(sellerFeeE8);
        end();
    }

    /** A refused command: what was asked (as given, since names may not resolve) and why. */
    public void reject(CommandType command, RejectCode reason, Name account, Name symbol, Name clientId, long orderId) {
        begin(EventType.REJECT);
        putByte(command == null ? 0 : command.code());
        putInt(reason.code());
        putLong(orderId);
        putName(account);
        putName(symbol);
        putName(clientId);
        end();
    }
}
