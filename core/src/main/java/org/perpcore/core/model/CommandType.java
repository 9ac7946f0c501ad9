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
    QUERY_ACCOUNT(9, "query account"),
    /** An index (oracle) price tick; the mark is recomputed. */
    INDEX(11, "index"),
    /** Force the mark price until the next index tick (tests, replays of recorded marks). */
    MARK_PRICE(12, "mark"),
    LEVERAGE(13, "leverage"),
    MARGIN_TYPE(14, "margin"),
    /** Add to (positive) or remove from (negative) an isolated position's margin. */
    ISOLATED_MARGIN(15, "isolated-margin"),
    /** Append a margin tier to a market (a floor of 0 starts a new table). */
    BRACKET(16, "bracket"),
    QUERY_POSITION(17, "query position"),
    /** Add money to a market's insurance fund. */
    INSURANCE(18, "insurance"),
    /**
     * Take a snapshot of engine state at this command's sequence number. The engine itself does nothing (no time
     * passes, no event); the journal's engine-thread hook writes the snapshot right after it ({@code
     * org.perpcore.core.engine.EngineSnapshot}), so the snapshot sits at an exact place in the log.
     */
    SNAPSHOT(19, "snapshot"),
    /** The account's figures and every market's position of the account (flat ones too), as one answer. */
    QUERY_POSITIONS(20, "query positions"),
    /** The engine's state hash and sizes: lets a front door prove that bad input changed nothing. */
    QUERY_STATE(21, "query state");

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
