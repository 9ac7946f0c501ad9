package org.perpcore.core.model;

/** Order types with Binance USDⓈ-M names. Codes are stable: they are written into journals. */
public enum OrderType {
    LIMIT(1),
    MARKET(2),
    STOP(3),
    STOP_MARKET(4),
    TAKE_PROFIT(5),
    TAKE_PROFIT_MARKET(6),
    TRAILING_STOP_MARKET(7),
    /** An order the liquidation process sends on the account's behalf (client id {@code autoclose-...}). */
    LIQUIDATION(8),
    /** A fill forced on a profitable position by auto-deleverage (client id {@code adl_autoclose}). */
    ADL(9);

    private static final OrderType[] BY_CODE = new OrderType[16];

    static {
        for (OrderType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final byte code;

    OrderType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static OrderType fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
