package org.perpcore.core.model;

/**
 * Why the engine refused a command. A rejected command changes nothing. Numbers are Binance USDⓈ-M's where
 * Binance has the same error (so clients raise the exceptions they expect); Perpcore's own start at -9001.
 * Codes and names are stable: they are written into journals and events.
 */
public enum RejectCode {
    NONE(0, "OK"),
    ILLEGAL_CHARS(-1100, "Illegal characters found in a parameter."),
    MANDATORY_PARAM_EMPTY_OR_MALFORMED(-1102, "A mandatory parameter was not sent, was empty/null, or malformed."),
    BAD_ACCOUNT(-1109, "Invalid account."),
    INVALID_TIF(-1115, "Invalid timeInForce."),
    INVALID_ORDER_TYPE(-1116, "Invalid orderType."),
    INVALID_SIDE(-1117, "Invalid side."),
    BAD_SYMBOL(-1121, "Invalid symbol."),
    INVALID_PARAMETER(-1130, "Invalid data sent for a parameter."),
    CANCEL_REJECTED(-2011, "Unknown order sent."),
    NO_SUCH_ORDER(-2013, "Order does not exist."),
    BALANCE_NOT_SUFFICIENT(-2018, "Balance is insufficient."),
    MARGIN_NOT_SUFFICIENT(-2019, "Margin is insufficient."),
    UNABLE_TO_FILL(-2020, "Unable to fill."),
    REDUCE_ONLY_REJECT(-2022, "ReduceOnly Order is rejected."),
    MAX_OPEN_ORDER_EXCEEDED(-2025, "Reach max open order limit."),
    MAX_LEVERAGE_RATIO(-2027, "Exceeded the maximum allowable position at current leverage."),
    MIN_LEVERAGE_RATIO(-2028, "Leverage is smaller than permitted: insufficient margin balance."),
    PRICE_LESS_THAN_ZERO(-4001, "Price less than 0."),
    PRICE_GREATER_THAN_MAX_PRICE(-4002, "Price greater than max price."),
    QTY_LESS_THAN_ZERO(-4003, "Quantity less than zero."),
    QTY_LESS_THAN_MIN_QTY(-4004, "Quantity less than min quantity."),
    QTY_GREATER_THAN_MAX_QTY(-4005, "Quantity greater than max quantity."),
    PRICE_NOT_INCREASED_BY_TICK_SIZE(-4014, "Price not increased by tick size."),
    INVALID_CL_ORD_ID_LEN(-4015, "Client order id is not valid."),
    PRICE_HIGHER_THAN_MULTIPLIER_UP(-4016, "Price is higher than mark price multiplier cap."),
    QTY_NOT_INCREASED_BY_STEP_SIZE(-4023, "Qty not increased by step size."),
    INVALID_LEVERAGE(-4028, "Invalid leverage."),
    PRICE_LOWER_THAN_MULTIPLIER_DOWN(-4024, "Price is lower than mark price multiplier floor."),
    NO_NEED_TO_CHANGE_MARGIN_TYPE(-4046, "No need to change margin type."),
    THERE_EXISTS_OPEN_ORDERS(-4047, "Margin type cannot be changed if there exists open orders."),
    THERE_EXISTS_QUANTITY(-4048, "Margin type cannot be changed if there exists position."),
    ADD_ISOLATED_MARGIN_REJECT(-4049, "Add margin only support for isolated position."),
    CROSS_BALANCE_INSUFFICIENT(-4050, "Cross balance insufficient."),
    ISOLATED_BALANCE_INSUFFICIENT(-4051, "Isolated balance insufficient."),
    ADD_ISOLATED_MARGIN_NO_POSITION_REJECT(-4054, "Cannot add position margin: position is 0."),
    AMOUNT_MUST_BE_POSITIVE(-4055, "Amount must be positive."),
    DUPLICATED_CLIENT_ORDER_ID(-4116, "clientOrderId is duplicated."),
    MARKET_ORDER_REJECT(-4131, "The counterparty's best price does not meet the PERCENT_PRICE filter limit."),
    ISOLATED_LEVERAGE_REJECT_WITH_POSITION(-4161,
        "Leverage reduction is not supported in Isolated Margin Mode with open positions."),
    MIN_NOTIONAL(-4164, "Order's notional is smaller than the market's minimum (unless you choose reduce only)."),
    FOK_ORDER_REJECT(-5021, "Due to the order could not be filled immediately, the FOK order has been rejected."),
    GTX_ORDER_REJECT(-5022, "Due to the order could not be executed as maker, the Post Only order will be rejected."),
    LIMIT_ORDER_ONLY(-5025, "Only limit order is supported."),
    SAME_ORDER(-5027, "No need to modify the order."),
    INVALID_SELF_TRADE_PREVENTION_MODE(-5039, "Invalid self trade prevention mode."),
    OVERFLOW(-9001, "Amount out of range: the result would overflow."),
    INVALID_MARKET_SPEC(-9002, "Invalid market definition: tick, step and limits must be positive and consistent."),
    MARKET_SPEC_LOCKED(-9003, "Tick size and step size cannot change once the market has orders or trades."),
    UNKNOWN_COMMAND(-9004, "Unknown command."),
    MARKET_HALTED(-9006, "The market is halted by its circuit breaker: only cancels and reduce-only orders."),
    INVALID_BRACKET(-9005, "Invalid margin tier: floors must ascend from 0, maintenance margin rates must not decrease"
        + " and stay below 1, max leverage must be at least 1 and must not increase."),
    // conditional orders (STOP, TAKE_PROFIT, their MARKET forms, TRAILING_STOP_MARKET): Binance's codes
    PARAM_NOT_REQUIRED(-1106, "A parameter was sent when not required."),
    ORDER_WOULD_IMMEDIATELY_TRIGGER(-2021, "Order would immediately trigger."),
    STOP_PRICE_LESS_THAN_ZERO(-4006, "Stop price less than zero."),
    STOP_PRICE_GREATER_THAN_MAX_PRICE(-4007, "Stop price greater than max price."),
    INVALID_WORKING_TYPE(-4031, "Invalid parameter working type."),
    INVALID_ACTIVATION_PRICE(-4135, "Invalid activation price."),
    QUANTITY_EXISTS_WITH_CLOSE_POSITION(-4137, "Quantity must be zero with closePosition equals true."),
    PRICE_HIGHER_THAN_STOP_MULTIPLIER_UP(-4183, "Price is higher than stop price multiplier cap."),
    PRICE_LOWER_THAN_STOP_MULTIPLIER_DOWN(-4184, "Price is lower than stop price multiplier floor.");

    private static final RejectCode[] BY_INDEX = values();

    private final int code;
    private final String message;

    RejectCode(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The numeric code, Binance's where one exists. */
    public int code() {
        return code;
    }

    /** A readable message. */
    public String message() {
        return message;
    }

    /** Stable small index for binary encodings. */
    public int index() {
        return ordinal();
    }

    public static RejectCode fromIndex(int index) {
        return index >= 0 && index < BY_INDEX.length ? BY_INDEX[index] : null;
    }

    public static RejectCode fromCode(int code) {
        for (RejectCode r : BY_INDEX) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
