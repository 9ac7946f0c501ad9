package org.perpcore.core.model;

/** What happened to an order in one ORDER event (Binance's execution type). Codes are stable. */
public enum ExecType {
    NEW(1),
    TRADE(2),
    CANCELED(3),
    EXPIRED(4),
    AMENDMENT(5),
    REJECTED(6),
    /** Liquidation or ADL execution, as Binance's {@code CALCULATED}. */
    CALCULATED(7),
    TRIGGERED(8);

    private static final ExecType[] BY_CODE = new ExecType[9];

    static {
        for (ExecType e : values()) {
            BY_CODE[e.code] = e;
        }
    }

    private final byte code;

    ExecType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static ExecType fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
