package org.perpcore.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Arrays;

/**
 * The Binance REST endpoints the gateway serves, by method and path: {@link #find} looks a request up without
 * building a string (the path is compared in place, inside the request's URI). Signed endpoints need an API key
 * and a signature; anything not here is 404 (-1020) before any authentication.
 */
enum Endpoint {
    PING("GET", "/fapi/v1/ping", false),
    TIME("GET", "/fapi/v1/time", false),
    EXCHANGE_INFO("GET", "/fapi/v1/exchangeInfo", false),
    DEPTH("GET", "/fapi/v1/depth", false),
    PREMIUM_INDEX("GET", "/fapi/v1/premiumIndex", false),
    TICKER_24HR("GET", "/fapi/v1/ticker/24hr", false),
    TICKER_PRICE("GET", "/fapi/v1/ticker/price", false),
    TICKER_PRICE_V2("GET", "/fapi/v2/ticker/price", false),
    BOOK_TICKER("GET", "/fapi/v1/ticker/bookTicker", false),
    FUNDING_RATE("GET", "/fapi/v1/fundingRate", false),
    TRADES("GET", "/fapi/v1/trades", false),
    AGG_TRADES("GET", "/fapi/v1/aggTrades", false),
    KLINES("GET", "/fapi/v1/klines", false),
    LISTEN_KEY_NEW("POST", "/fapi/v1/listenKey", false),
    LISTEN_KEY_KEEP("PUT", "/fapi/v1/listenKey", false),
    LISTEN_KEY_CLOSE("DELETE", "/fapi/v1/listenKey", false),
    ORDER_NEW("POST", "/fapi/v1/order", true),
    ORDER_CANCEL("DELETE", "/fapi/v1/order", true),
    ORDER_QUERY("GET", "/fapi/v1/order", true),
    OPEN_ORDER_QUERY("GET", "/fapi/v1/openOrder", true),
    OPEN_ORDERS("GET", "/fapi/v1/openOrders", true),
    ALL_ORDERS("GET", "/fapi/v1/allOrders", true),
    CANCEL_ALL("DELETE", "/fapi/v1/allOpenOrders", true),
    POSITION_RISK_V2("GET", "/fapi/v2/positionRisk", true),
    POSITION_RISK_V3("GET", "/fapi/v3/positionRisk", true),
    ACCOUNT_V2("GET", "/fapi/v2/account", true),
    ACCOUNT_V3("GET", "/fapi/v3/account", true),
    BALANCE_V2("GET", "/fapi/v2/balance", true),
    BALANCE_V3("GET", "/fapi/v3/balance", true),
    LEVERAGE_BRACKET("GET", "/fapi/v1/leverageBracket", true),
    COMMISSION_RATE("GET", "/fapi/v1/commissionRate", true),
    LEVERAGE("POST", "/fapi/v1/leverage", true),
    MARGIN_TYPE("POST", "/fapi/v1/marginType", true),
    POSITION_MARGIN("POST", "/fapi/v1/positionMargin", true),
    USER_TRADES("GET", "/fapi/v1/userTrades", true),
    POSITION_SIDE_QUERY("GET", "/fapi/v1/positionSide/dual", true),
    POSITION_SIDE_CHANGE("POST", "/fapi/v1/positionSide/dual", true),
    MULTI_ASSETS_MARGIN("GET", "/fapi/v1/multiAssetsMargin", true),
    ALGO_NEW("POST", "/fapi/v1/algoOrder", true),
    ALGO_CANCEL("DELETE", "/fapi/v1/algoOrder", true),
    ALGO_QUERY("GET", "/fapi/v1/algoOrder", true),
    OPEN_ALGO_ORDERS("GET", "/fapi/v1/openAlgoOrders", true),
    ALL_ALGO_ORDERS("GET", "/fapi/v1/allAlgoOrders", true),
    CANCEL_ALL_ALGO("DELETE", "/fapi/v1/algoOpenOrders", true);

    final String method;
    final String path;
    final boolean signed;

    Endpoint(String method, String path, boolean signed) {
        this.method = method;
        this.path = path;
        this.signed = signed;
    }

    /** Endpoints by the length of their path (a few per length): a lookup compares at most those few in place. */
    private static final Endpoint[][] BY_LENGTH;

    static {
        int max = 0;
        for (Endpoint e : values()) {
            max = Math.max(max, e.path.length());
        }
        BY_LENGTH = new Endpoint[max + 1][0];
        for (Endpoint e : values()) {
            final Endpoint[] some = Arrays.copyOf(BY_LENGTH[e.path.length()], BY_LENGTH[e.path.length()].length + 1);
            some[some.length - 1] = e;
            BY_LENGTH[e.path.length()] = some;
        }
    }

    /** The endpoint for {@code method} and the path {@code uri[0, pathEnd)}, or null. */
    static Endpoint find(HttpMethod method, String uri, int pathEnd) {
        if (pathEnd >= BY_LENGTH.length) {
            return null;
        }
        final String name = method.name();
        for (Endpoint e : BY_LENGTH[pathEnd]) {
            if (e.method.equals(name) && uri.regionMatches(0, e.path, 0, pathEnd)) {
                return e;
            }
        }
        return null;
    }
}
