package org.perpcore.gateway;

import org.perpcore.gateway.http.Responder;

/**
 * A request waiting for the engine's answer: what to render and where to send it. Created by a request handler,
 * completed once by the output stage when the command it published comes out of the engine. Fields other than
 * the route are the request's parameters the rendering needs.
 */
public final class Pending {
    /** What the request asked; decides how the output stage renders the command's events. */
    public enum Route {
        EXCHANGE_INFO, DEPTH, PREMIUM_INDEX, TICKER_24HR, TICKER_PRICE, BOOK_TICKER, KLINES, FUNDING_RATE, TRADES,
        AGG_TRADES,
        ORDER_NEW, ORDER_CANCEL, ORDER_QUERY, OPEN_ORDER_QUERY, OPEN_ORDERS, ALL_ORDERS, CANCEL_ALL,
        POSITION_RISK_V2, POSITION_RISK_V3, ACCOUNT_V2, ACCOUNT_V3, BALANCE, LEVERAGE_BRACKET, LEVERAGE, MARGIN_TYPE,
        POSITION_MARGIN, USER_TRADES, COMMISSION_RATE,
        ALGO_NEW, ALGO_CANCEL, ALGO_QUERY, OPEN_ALGO_ORDERS, ALL_ALGO_ORDERS,
        /** Admin: the events of one or more commands, as JSON lines of docs/SCENARIO.md. */
        ADMIN,
        /** Admin: the state hash. */
        ADMIN_STATE,
        /** Admin: a snapshot of the engine's state, at the SNAPSHOT command's place in the sequence. */
        ADMIN_SNAPSHOT,
        /** Start-up: the configuration has been applied. */
        BARRIER
    }

    public final Route route;
    public final Responder responder;
    /** The account the request acts for (signed endpoints). */
    public String account;
    public String symbol;
    public long orderId;
    public String clientOrderId;
    public int limit;
    public long startTimeMs = Long.MIN_VALUE;
    public long endTimeMs = Long.MIN_VALUE;
    public long intervalMs;
    public long fromId = Long.MIN_VALUE;
    /** ORDER_NEW: answer with the order after matching (RESULT) rather than as accepted (ACK). */
    public boolean result;
    public long amountE8;
    public int type;
    public int leverage;
    /** ADMIN: commands still to come out of the engine. */
    public int remaining = 1;
    /** ADMIN, ADMIN_STATE: the text gathered so far; made when first asked for (an order never needs it). */
    private StringBuilder gathered;
    /** ADMIN: JSON fields put before the events (e.g. a new API key and secret), each followed by a comma. */
    public String head = "";
    public int rejectCode;
    public String rejectMsg;
    /** BARRIER: released when done. */
    public java.util.concurrent.CountDownLatch done;

    public Pending(Route route, Responder responder) {
        this.route = route;
        this.responder = responder;
    }

    /** The text gathered for an admin answer so far. */
    public StringBuilder gathered() {
        if (gathered == null) {
            gathered = new StringBuilder();
        }
        return gathered;
    }
}
