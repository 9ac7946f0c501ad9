package org.perpcore.core.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.perpcore.core.command.Command;
import org.perpcore.core.command.Name;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.model.WorkingType;

/**
 * Binary encoding of commands for the command journal and for replication: versioned, little-endian, no Java
 * serialization, each entry carrying its own sequence number and timestamp. Only the fields a command type uses
 * are written (a presence byte says which), so a typical order is about 50 bytes. Every command the engine can be
 * given round-trips, bad input included (a command without a type is type code 0; names keep their bytes), so a
 * journal can always replay what the engine saw.
 *
 * <pre>
 *   u8 version | u8 type | i64 seq | i64 timestampMs | u8 presence
 *   [name account] [name symbol] [name clientId]            (u8 length + ASCII, when present)
 *   [i64 orderId] [u8 side u8 orderType u8 tif u8 stp u8 flags] [i64 price] [i64 qty] [i64 amount]
 *   [u32 paramMask, i64 x popcount]                           (MARKET)
 *   [i32 leverage, u8 isolated, i64 floor, i64 mmr]           (LEVERAGE, MARGIN_TYPE, BRACKET)
 *   [i64 stopPrice, i64 callbackRate, i64 activationPrice, u8 workingType, u8 conditionalFlags]
 *                                                             (conditional orders: order flags bit 2)
 * </pre>
 *
 * <p>The conditional block is announced by bit 2 of the order flags byte, which version-1 writers never set, so
 * entries without it read exactly as before.
 */
public final class CommandCodec {
    /** Current encoding version. A reader refuses versions it does not know. */
    public static final byte VERSION = 1;
    /** Largest encoded command. */
    public static final int MAX_LENGTH = 2 + 16 + 1 + 3 * (1 + Name.CAPACITY) + 8 + 5 + 24 + 4 + 8 * MarketParam.COUNT
        + 4 + 1 + 16 + (8 * 3 + 2); // the last: the conditional block

    private static final int HAS_ACCOUNT = 1;
    private static final int HAS_SYMBOL = 2;
    private static final int HAS_CLIENT_ID = 4;
    private static final int HAS_ORDER_ID = 8;
    private static final int HAS_ORDER_FIELDS = 16;
    private static final int HAS_AMOUNTS = 32;
    private static final int HAS_PARAMS = 64;
    private static final int HAS_RISK = 128;

    private static final int FLAG_REDUCE_ONLY = 1;

    // ---- conditional orders (stop, take-profit, trailing stop): a block at the end of the entry
    private static final int FLAG_CONDITIONAL = 2;
    private static final int CONDITIONAL_LENGTH = 8 * 3 + 2;
    private static final int COND_CLOSE_POSITION = 1;
    private static final int COND_PRICE_PROTECT = 2;

    private CommandCodec() {
    }

    /** Encodes {@code c} at {@code offset}; returns the encoded length. The buffer must have {@link #MAX_LENGTH} free. */
    public static int encode(Command c, MutableDirectBuffer buffer, int offset) {
        int p = offset;
        buffer.putByte(p++, VERSION);
        buffer.putByte(p++, c.type == null ? 0 : c.type.code());
        buffer.putLong(p, c.seq);
        p += 8;
        buffer.putLong(p, c.timestampMs);
        p += 8;
        int presence = 0;
        if (!c.account.isEmpty()) {
            presence |= HAS_ACCOUNT;
        }
        if (!c.symbol.isEmpty()) {
            presence |= HAS_SYMBOL;
        }
        if (!c.clientId.isEmpty()) {
            presence |= HAS_CLIENT_ID;
        }
        if (c.orderId != 0) {
            presence |= HAS_ORDER_ID;
        }
        final boolean conditional = hasConditionalFields(c);
        if (c.side != null || c.orderType != null || c.timeInForce != null || c.stpMode != null || c.reduceOnly
            || conditional) {
            presence |= HAS_ORDER_FIELDS;
        }
        if (c.priceE8 != Command.ABSENT || c.qtyE8 != Command.ABSENT || c.amountE8 != Command.ABSENT) {
            presence |= HAS_AMOUNTS;
        }
        if (c.paramMask != 0) {
            presence |= HAS_PARAMS;
        }
        if (c.leverage != 0 || c.isolated || c.floorE8 != 0 || c.mmrE8 != 0) {
            presence |= HAS_RISK;
        }
        buffer.putByte(p++, (byte) presence);
        if ((presence & HAS_ACCOUNT) != 0) {
            p = putName(c.account, buffer, p);
        }
        if ((presence & HAS_SYMBOL) != 0) {
            p = putName(c.symbol, buffer, p);
        }
        if ((presence & HAS_CLIENT_ID) != 0) {
            p = putName(c.clientId, buffer, p);
        }
        if ((presence & HAS_ORDER_ID) != 0) {
            buffer.putLong(p, c.orderId);
            p += 8;
        }
        if ((presence & HAS_ORDER_FIELDS) != 0) {
            buffer.putByte(p++, c.side == null ? 0 : c.side.code());
            buffer.putByte(p++, c.orderType == null ? 0 : c.orderType.code());
            buffer.putByte(p++, c.timeInForce == null ? 0 : c.timeInForce.code());
            buffer.putByte(p++, c.stpMode == null ? 0 : c.stpMode.code());
            buffer.putByte(p++, (byte) ((c.reduceOnly ? FLAG_REDUCE_ONLY : 0) | (conditional ? FLAG_CONDITIONAL : 0)));
        }
        if ((presence & HAS_AMOUNTS) != 0) {
            buffer.putLong(p, c.priceE8);
            buffer.putLong(p + 8, c.qtyE8);
            buffer.putLong(p + 16, c.amountE8);
            p += 24;
        }
        if ((presence & HAS_PARAMS) != 0) {
            buffer.putInt(p, c.paramMask);
            p += 4;
            for (int i = 0; i < MarketParam.COUNT; i++) {
                if ((c.paramMask & (1 << i)) != 0) {
                    buffer.putLong(p, c.params[i]);
                    p += 8;
                }
            }
        }
        if ((presence & HAS_RISK) != 0) {
            buffer.putInt(p, c.leverage);
            buffer.putByte(p + 4, (byte) (c.isolated ? 1 : 0));
            buffer.putLong(p + 5, c.floorE8);
            buffer.putLong(p + 13, c.mmrE8);
            p += 21;
        }
        if (conditional) {
            p = putConditional(c, buffer, p);
        }
        return p - offset;
    }

    private static boolean hasConditionalFields(Command c) {
        return c.stopPriceE8 != Command.ABSENT || c.callbackRateE8 != Command.ABSENT
            || c.activationPriceE8 != Command.ABSENT || c.workingType != null || c.closePosition || c.priceProtect;
    }

    private static int putConditional(Command c, MutableDirectBuffer buffer, int p) {
        buffer.putLong(p, c.stopPriceE8);
        buffer.putLong(p + 8, c.callbackRateE8);
        buffer.putLong(p + 16, c.activationPriceE8);
        buffer.putByte(p + 24, c.workingType == null ? 0 : c.workingType.code());
        buffer.putByte(p + 25, (byte) ((c.closePosition ? COND_CLOSE_POSITION : 0)
            | (c.priceProtect ? COND_PRICE_PROTECT : 0)));
        return p + CONDITIONAL_LENGTH;
    }

    /** Reads the conditional block; returns the position after it, or a negative {@link DecodeError}. */
    private static int getConditional(DirectBuffer buffer, int p, int end, Command into) {
        if (p + CONDITIONAL_LENGTH > end) {
            return DecodeError.TRUNCATED;
        }
        into.stopPriceE8 = buffer.getLong(p);
        into.callbackRateE8 = buffer.getLong(p + 8);
        into.activationPriceE8 = buffer.getLong(p + 16);
        final int workingType = buffer.getByte(p + 24);
        into.workingType = WorkingType.fromCode(workingType);
        if (workingType != 0 && into.workingType == null) {
            return DecodeError.MALFORMED;
        }
        final int flags = buffer.getByte(p + 25);
        into.closePosition = (flags & COND_CLOSE_POSITION) != 0;
        into.priceProtect = (flags & COND_PRICE_PROTECT) != 0;
        return p + CONDITIONAL_LENGTH;
    }

    private static int putName(Name n, MutableDirectBuffer buffer, int p) {
        buffer.putByte(p, (byte) n.length());
        buffer.putBytes(p + 1, n.bytes(), 0, n.length());
        return p + 1 + n.length();
    }

    /**
     * Decodes the command at {@code offset} into {@code into} (cleared first).
     *
     * @return the encoded length; or a negative {@link DecodeError} code when the bytes are not a command this
     * version can read (unknown version, unknown type, truncated, malformed)
     */
    public static int decode(DirectBuffer buffer, int offset, int length, Command into) {
        into.clear();
        final int end = offset + length;
        if (length < 19) {
            return DecodeError.TRUNCATED;
        }
        int p = offset;
        final byte version = buffer.getByte(p++);
        if (version != VERSION) {
            return DecodeError.UNKNOWN_VERSION;
        }
        final int typeCode = buffer.getByte(p++);
        into.type = CommandType.fromCode(typeCode);
        if (into.type == null && typeCode != 0) {
            return DecodeError.UNKNOWN_TYPE; // 0 is a command without a type, which the engine rejects
        }
        into.seq = buffer.getLong(p);
        into.timestampMs = buffer.getLong(p + 8);
        p += 16;
        final int presence = buffer.getByte(p++) & 0xff;
        if ((presence & HAS_ACCOUNT) != 0) {
            p = getName(buffer, p, end, into.account);
        }
        if (p >= 0 && (presence & HAS_SYMBOL) != 0) {
            p = getName(buffer, p, end, into.symbol);
        }
        if (p >= 0 && (presence & HAS_CLIENT_ID) != 0) {
            p = getName(buffer, p, end, into.clientId);
        }
        if (p < 0) {
            return p == NAME_TRUNCATED ? DecodeError.TRUNCATED : DecodeError.MALFORMED;
        }
        if ((presence & HAS_ORDER_ID) != 0) {
            if (p + 8 > end) {
                return DecodeError.TRUNCATED;
            }
            into.orderId = buffer.getLong(p);
            p += 8;
        }
        boolean conditional = false;
        if ((presence & HAS_ORDER_FIELDS) != 0) {
            if (p + 5 > end) {
                return DecodeError.TRUNCATED;
            }
            into.side = Side.fromCode(buffer.getByte(p));
            into.orderType = OrderType.fromCode(buffer.getByte(p + 1));
            into.timeInForce = TimeInForce.fromCode(buffer.getByte(p + 2));
            into.stpMode = StpMode.fromCode(buffer.getByte(p + 3));
            into.reduceOnly = (buffer.getByte(p + 4) & FLAG_REDUCE_ONLY) != 0;
            conditional = (buffer.getByte(p + 4) & FLAG_CONDITIONAL) != 0;
            p += 5;
        }
        if ((presence & HAS_AMOUNTS) != 0) {
            if (p + 24 > end) {
                return DecodeError.TRUNCATED;
            }
            into.priceE8 = buffer.getLong(p);
            into.qtyE8 = buffer.getLong(p + 8);
            into.amountE8 = buffer.getLong(p + 16);
            p += 24;
        }
        if ((presence & HAS_PARAMS) != 0) {
            if (p + 4 > end) {
                return DecodeError.TRUNCATED;
            }
            final int mask = buffer.getInt(p);
            p += 4;
            if ((mask & ~((1 << MarketParam.COUNT) - 1)) != 0) {
                return DecodeError.MALFORMED;
            }
            for (int i = 0; i < MarketParam.COUNT; i++) {
                if ((mask & (1 << i)) != 0) {
                    if (p + 8 > end) {
                        return DecodeError.TRUNCATED;
                    }
                    into.params[i] = buffer.getLong(p);
                    p += 8;
                }
            }
            into.paramMask = mask;
        }
        if ((presence & HAS_RISK) != 0) {
            if (p + 21 > end) {
                return DecodeError.TRUNCATED;
            }
            into.leverage = buffer.getInt(p);
            into.isolated = buffer.getByte(p + 4) != 0;
            into.floorE8 = buffer.getLong(p + 5);
            into.mmrE8 = buffer.getLong(p + 13);
            p += 21;
        }
        if (conditional) {
            p = getConditional(buffer, p, end, into);
            if (p < 0) {
                return p;
            }
        }
        return p - offset;
    }

    private static final int NAME_MALFORMED = -1;
    private static final int NAME_TRUNCATED = -2;

    private static int getName(DirectBuffer buffer, int p, int end, Name into) {
        if (p >= end) {
            return NAME_TRUNCATED;
        }
        final int len = buffer.getByte(p) & 0xff;
        if (len > Name.CAPACITY) {
            return NAME_MALFORMED;
        }
        if (p + 1 + len > end) {
            return NAME_TRUNCATED;
        }
        into.set(buffer, p + 1, len);
        return p + 1 + len;
    }

    /** Negative results of {@link #decode}. */
    public static final class DecodeError {
        public static final int TRUNCATED = -1;
        public static final int UNKNOWN_VERSION = -2;
        public static final int UNKNOWN_TYPE = -3;
        public static final int MALFORMED = -4;

        private DecodeError() {
        }

        public static String describe(int code) {
            return switch (code) {
                case TRUNCATED -> "truncated entry";
                case UNKNOWN_VERSION -> "unknown encoding version";
                case UNKNOWN_TYPE -> "unknown command type";
                case MALFORMED -> "malformed entry";
                default -> "error " + code;
            };
        }
    }
}
