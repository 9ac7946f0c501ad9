package org.perpcore.core.model;

/** Order status, Binance USDⓈ-M names. Codes are stable: they are written into journals. */
public enum OrderStatus {
    NEW(1),
    PARTIALLY_FILLED(2),
    FILLED(3),
    CANCELED(4),
    EXPIRED(5),
    REJECTED(6),
    /** A conditional order whose trigger fired. */
    TRIGGERED(7);

    private static final OrderStatus[] BY_CODE = new OrderStatus[8];

    static {
        for (OrderStatus s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final byte code;

    OrderStatus(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static OrderStatus fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
