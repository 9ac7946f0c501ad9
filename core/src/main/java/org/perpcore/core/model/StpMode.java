package org.perpcore.core.model;

/**
 * Self-trade prevention, Binance's {@code selfTradePreventionMode}: what happens when an order would trade
 * against a resting order of the same account. Codes are stable.
 */
public enum StpMode {
    /** Trade with yourself (fees charged both sides). */
    NONE(1),
    /** The incoming order's remainder expires. */
    EXPIRE_TAKER(2),
    /** The resting order expires and matching continues. Perpcore's default. */
    EXPIRE_MAKER(3),
    /** Both expire. */
    EXPIRE_BOTH(4);

    private static final StpMode[] BY_CODE = {null, NONE, EXPIRE_TAKER, EXPIRE_MAKER, EXPIRE_BOTH};

    private final byte code;

    StpMode(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static StpMode fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
