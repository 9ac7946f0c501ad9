package org.perpcore.core.model;

/** Order side. Codes are stable: they are written into journals. */
public enum Side {
    BUY(1),
    SELL(2);

    private static final Side[] BY_CODE = {null, BUY, SELL};

    private final byte code;

    Side(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** +1 for BUY, -1 for SELL: the sign a fill of this side gives a position. */
    public int sign() {
        return this == BUY ? 1 : -1;
    }

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }

    /** The side for a journal code, or null when the code is unknown. */
    public static Side fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
