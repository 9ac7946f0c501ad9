package org.perpcore.core.model;

/**
 * Engine commands. Codes are stable: they are written into journals. The keyword is the scenario script's and
 * appears in REJECT events as {@code "command"}.
 */
public enum CommandType {
    /** Define or update a market. */
    MARKET(1, "market"),
    DEPOSIT(2, "deposit"),
    WITHDRAW(3, "withdraw"),
    PLACE_ORDER(4, "order"),
    /** Cancel one order by client order id or order id. */
    CANCEL_ORDER(5, "cancel"),
    /** Cancel all of an account's open orders in a market. */
    CANCEL_ALL(6, "cancel-all"),
    /** Change a resting limit order's price and/or quantity. */
    AMEND_ORDER(7, "amend"),
    /** Let time advance with no other effect (funding, averaging and halts run on command timestamps). */
    TICK(8, "advance"),
    QUERY_ACCOUNT(9, "query account");

    private static final CommandType[] BY_CODE = new CommandType[64];

    static {
        for (CommandType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final byte code;
    private final String keyword;

    CommandType(int code, String keyword) {
        this.code = (byte) code;
        this.keyword = keyword;
    }

    public byte code() {
        return code;
    }

    public String keyword() {
        return keyword;
    }

    public static CommandType fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
