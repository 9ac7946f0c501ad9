package org.perpcore.core.model;

/** Why an ACCOUNT event was emitted (Binance's ACCOUNT_UPDATE reason type where one exists). Codes are stable. */
public enum AccountReason {
    DEPOSIT(1),
    WITHDRAW(2),
    /** Answer to a query: nothing changed. */
    QUERY(3),
    /** Fills: fees, realised PnL, position changes (Binance's ACCOUNT_UPDATE reason ORDER). */
    ORDER(4),
    FUNDING_FEE(5),
    /** Isolated margin added or removed. */
    MARGIN_TRANSFER(6),
    /** Leverage or margin mode changed. */
    SETTINGS(7);

    private static final AccountReason[] BY_CODE = {null, DEPOSIT, WITHDRAW, QUERY, ORDER, FUNDING_FEE,
        MARGIN_TRANSFER, SETTINGS};

    private final byte code;

    AccountReason(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static AccountReason fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
