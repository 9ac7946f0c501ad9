package org.perpcore.core.model;

/** Why an order ended without a full fill and without a cancel request. Codes are stable. */
public enum ExpireReason {
    NONE(0),
    /** Immediate-or-cancel remainder. */
    IOC(1),
    /** Market order remainder: the book was empty or ran past the market protection band. */
    MARKET_BAND(2),
    /** Self-trade prevention expired this order. */
    SELF_TRADE(3),
    /** Amended to a quantity at or below what was already executed (Binance cancels it). */
    AMEND(4),
    /** A reduce-only order whose position closed or turned to its side, or that was cut to the position's size. */
    REDUCE_ONLY(5);

    private static final ExpireReason[] BY_CODE = {NONE, IOC, MARKET_BAND, SELF_TRADE, AMEND, REDUCE_ONLY};

    private final byte code;

    ExpireReason(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static ExpireReason fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
