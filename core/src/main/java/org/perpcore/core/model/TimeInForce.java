package org.perpcore.core.model;

/** Time in force, Binance USDⓈ-M semantics. Codes are stable: they are written into journals. */
public enum TimeInForce {
    /** Good till cancelled: the remainder rests. */
    GTC(1),
    /** Immediate or cancel: the remainder expires. */
    IOC(2),
    /** Fill or kill: all at once or nothing (rejected, -5021). */
    FOK(3),
    /** Good till crossing, post only: rejected (-5022) if it would take liquidity. */
    GTX(4);

    private static final TimeInForce[] BY_CODE = {null, GTC, IOC, FOK, GTX};

    private final byte code;

    TimeInForce(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static TimeInForce fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
