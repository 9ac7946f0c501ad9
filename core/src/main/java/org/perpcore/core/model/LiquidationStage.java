package org.perpcore.core.model;

/** Where a liquidation fill went. Codes are stable. */
public enum LiquidationStage {
    /** Into the order book, never worse than the bankruptcy price. */
    BOOK(1),
    /** Taken over by the insurance fund at the bankruptcy price. */
    INSURANCE(2),
    /** Closed against a ranked opposite position at the bankruptcy price (auto-deleverage). */
    ADL(3);

    private static final LiquidationStage[] BY_CODE = {null, BOOK, INSURANCE, ADL};

    private final byte code;

    LiquidationStage(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static LiquidationStage fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
