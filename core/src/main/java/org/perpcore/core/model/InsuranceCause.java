package org.perpcore.core.model;

/** Why an insurance fund's balance changed. Codes are stable. */
public enum InsuranceCause {
    /** Money added by an `insurance` command. */
    DEPOSIT(1),
    /** The liquidation fee of a partial liquidation. */
    LIQUIDATION_FEE(2),
    /** A bankrupt position filled in the book at a better price than its bankruptcy price: the difference. */
    SURPLUS(3),
    /** The fund took over a position at its bankruptcy price: the change is its loss at the mark. */
    TAKEOVER(4),
    /** The fund brought an account with negative equity back to zero. */
    BAD_DEBT(5),
    /** A bankrupt position filled in the book below its bankruptcy price: the fund paid the difference. */
    SHORTFALL(6),
    /**
     * The fund's equity fell below its floor (its own positions lost): a position of the fund was closed by ADL,
     * at its bankruptcy price when the fund's equity was below zero, else at the mark.
     */
    DELEVERAGE(7);

    private static final InsuranceCause[] BY_CODE = {null, DEPOSIT, LIQUIDATION_FEE, SURPLUS, TAKEOVER, BAD_DEBT,
        SHORTFALL, DELEVERAGE};

    private final byte code;

    InsuranceCause(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static InsuranceCause fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
