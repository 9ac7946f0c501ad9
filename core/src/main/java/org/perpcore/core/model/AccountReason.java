package org.perpcore.core.model;

/** Why an ACCOUNT event was emitted (Binance's ACCOUNT_UPDATE reason type where one exists). Codes are stable. */
public enum AccountReason {
    DEPOSIT(1),
    WITHDRAW(2),
    /** Answer to a query: nothing changed. */
    QUERY(3);

    private static final AccountReason[] BY_CODE = {null, DEPOSIT, WITHDRAW, QUERY};

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
