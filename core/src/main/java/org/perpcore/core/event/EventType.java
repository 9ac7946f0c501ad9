package org.perpcore.core.event;

/** Output event types. Codes are stable: they are written into the event journal. */
public enum EventType {
    /** A market was defined or updated; carries the full specification (the event stream is self-describing). */
    MARKET(1),
    /** An account was created; carries its name, so later events can name accounts by id. */
    ACCOUNT_CREATED(2),
    ACCOUNT(3),
    ORDER(4),
    TRADE(5),
    REJECT(6),
    MARK(7),
    FUNDING(8),
    POSITION(9),
    MARGIN_CALL(10),
    /** A margin tier was added to a market. */
    BRACKET(11),
    /** A fill of a liquidation: against the book, taken over by the insurance fund, or auto-deleveraged. */
    LIQUIDATION(12),
    INSURANCE(13),
    ADL(14),
    BAD_DEBT(15),
    HALT(16),
    /** Answer to a state query: the state hash and counts of markets, accounts and open orders. */
    STATE(20);

    private static final EventType[] BY_CODE = new EventType[32];

    static {
        for (EventType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final byte code;

    EventType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static EventType fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
