package org.perpcore.core.model;

/**
 * The price a conditional order watches (Binance's {@code workingType}). Codes are stable: they are written into
 * journals and events.
 */
public enum WorkingType {
    /** The last trade price of the market (Binance's default). */
    CONTRACT_PRICE(1),
    /** The mark price (in a market without a mark yet: its last trade price, as the engine values positions). */
    MARK_PRICE(2);

    private final byte code;

    WorkingType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static WorkingType fromCode(int code) {
        return code == 1 ? CONTRACT_PRICE : code == 2 ? MARK_PRICE : null;
    }
}
