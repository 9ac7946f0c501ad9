package org.perpcore.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.ThreadLocalRandom;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.model.WorkingType;
import org.perpcore.gateway.Ingress;
import org.perpcore.gateway.Pending;
import org.perpcore.gateway.Pending.Route;
import org.perpcore.gateway.binance.ApiError;
import org.perpcore.gateway.binance.ApiKey;
import org.perpcore.gateway.binance.ApiKeys;
import org.perpcore.gateway.binance.Params;
import org.perpcore.gateway.ws.WsUpgrade;

/**
 * Binance USDⓈ-M futures REST on {@code /fapi/...}: checks the request as Binance does (API key, HMAC-SHA256
 * signature over query string + body, timestamp within recvWindow, rate limits, parameter syntax and which
 * parameters each order type takes), turns it into one engine command (reads become a no-op command so that they
 * are answered in sequence with every command before them), and leaves the answer to the output stage. No exchange
 * rule is decided here. Conditional orders come in through both of Binance's APIs, the order API and the algo API
 * ({@code /fapi/v1/algoOrder}), as the same engine orders.
 */
public final class BinanceRouter implements HttpRouter {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final long MAX_RECV_WINDOW_MS = 60_000;
    private static final long DEFAULT_RECV_WINDOW_MS = 5_000;

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String[] SIDES = {"BUY", "SELL"};
    private static final String[] ORDER_TYPES = {"LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT",
        "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"};
    private static final String[] TIME_IN_FORCE = {"GTC", "IOC", "FOK", "GTX"};
    private static final String[] STP_MODES = {"NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"};
    private static final String[] RESPONSE_TYPES = {"ACK", "RESULT"};
    private static final String[] WORKING_TYPES = {"MARK_PRICE", "CONTRACT_PRICE"};
    private static final String[] ONE_WAY = {"BOTH"};

    private final Ingress ingress;
    private final ApiKeys keys;
    private final WsUpgrade ws;

    public BinanceRouter(Ingress ingress, ApiKeys keys, WsUpgrade ws) {
        this.ingress = ingress;
        this.keys = keys;
        this.ws = ws;
    }

    @Override
    public int maxBodyBytes() {
        return MAX_BODY_BYTES;
    }

    @Override
    public boolean upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!WsUpgrade.isUpgrade(req)) {
            return false;
        }
        ws.upgrade(ctx, req);
        return true;
    }

    @Override
    public void route(FullHttpRequest req, Responder r) {
        final String uri = req.uri();
        final int q = uri.indexOf('?');
        final int pathEnd = q < 0 ? uri.length() : q;
        final int queryStart = q < 0 ? uri.length() : q + 1;
        final HttpMethod m = req.method();
        final Endpoint endpoint = Endpoint.find(m, uri, pathEnd);
        if (endpoint == null) {
            throw ApiError.unsupported(m.name(), uri.substring(0, pathEnd));
        }
        if (endpoint.signed) {
            signed(req, endpoint, uri, queryStart, r);
            return;
        }
        switch (endpoint) {
            case PING -> r.respond(200, "{}");
            case TIME -> r.respond(200, "{\"serverTime\":" + ingress.nowMs() + "}");
            case EXCHANGE_INFO -> ingress.read(new Pending(Route.EXCHANGE_INFO, r));
            case DEPTH -> {
                final Params p = query(uri, queryStart);
                final Pending pd = new Pending(Route.DEPTH, r);
                pd.symbol = p.symbol(true);
                pd.limit = p.intIn("limit", 500, 1, 1000);
                ingress.read(pd);
            }
            case PREMIUM_INDEX -> publicRead(Route.PREMIUM_INDEX, uri, queryStart, r, 0, 0);
            case TICKER_24HR -> publicRead(Route.TICKER_24HR, uri, queryStart, r, 0, 0);
            case TICKER_PRICE, TICKER_PRICE_V2 -> publicRead(Route.TICKER_PRICE, uri, queryStart, r, 0, 0);
            case BOOK_TICKER -> publicRead(Route.BOOK_TICKER, uri, queryStart, r, 0, 0);
            case FUNDING_RATE -> publicRead(Route.FUNDING_RATE, uri, queryStart, r, 100, 1000);
            case TRADES -> {
                final Pending pd = publicPending(Route.TRADES, uri, queryStart, r, 500, 1000);
                if (pd.symbol == null) {
                    throw ApiError.mandatory("symbol");
                }
                ingress.read(pd);
            }
            case AGG_TRADES -> {
                final Params p = query(uri, queryStart);
                final Pending pd = timeRange(new Pending(Route.AGG_TRADES, r), p, 500, 1000);
                pd.symbol = p.symbol(true);
                final long from = p.integer("fromId", false);
                pd.fromId = from;
                ingress.read(pd);
            }
            case KLINES -> {
                final Params p = query(uri, queryStart);
                final Pending pd = timeRange(new Pending(Route.KLINES, r), p, 500, 1500);
                pd.symbol = p.symbol(true);
                pd.intervalMs = intervalMs(p.require("interval"));
                ingress.read(pd);
            }
            case LISTEN_KEY_NEW, LISTEN_KEY_KEEP, LISTEN_KEY_CLOSE -> listenKey(req, m, r);
            default -> throw ApiError.unsupported(m.name(), endpoint.path);
        }
    }

    /** This thread's parameter table, filled from the query string only (public endpoints read no body). */
    private static Params query(String uri, int queryStart) {
        return Params.forThisThread().parse(uri, queryStart, null);
    }

    private void publicRead(Route route, String uri, int queryStart, Responder r, int dfltLimit, int maxLimit) {
        ingress.read(publicPending(route, uri, queryStart, r, dfltLimit, maxLimit));
    }

    private static Pending publicPending(Route route, String uri, int queryStart, Responder r, int dfltLimit,
                                         int maxLimit) {
        final Params p = query(uri, queryStart);
        final Pending pd = maxLimit > 0 ? timeRange(new Pending(route, r), p, dfltLimit, maxLimit) : new Pending(route, r);
        pd.symbol = p.symbol(false);
        return pd;
    }

    private static Pending timeRange(Pending pd, Params p, int dfltLimit, int maxLimit) {
        pd.limit = p.intIn("limit", dfltLimit, 1, maxLimit);
        pd.startTimeMs = p.integer("startTime", false);
        pd.endTimeMs = p.integer("endTime", false);
        return pd;
    }

    static long intervalMs(String interval) {
        return switch (interval) {
            case "1m" -> 60_000L;
            case "3m" -> 3 * 60_000L;
            case "5m" -> 5 * 60_000L;
            case "15m" -> 15 * 60_000L;
            case "30m" -> 30 * 60_000L;
            case "1h" -> 3_600_000L;
            case "2h" -> 2 * 3_600_000L;
            case "4h" -> 4 * 3_600_000L;
            case "6h" -> 6 * 3_600_000L;
            case "8h" -> 8 * 3_600_000L;
            case "12h" -> 12 * 3_600_000L;
            case "1d" -> 86_400_000L;
            case "3d" -> 3 * 86_400_000L;
            default -> throw ApiError.badInterval();
        };
    }

    /**
     * The form body (as Binance reads it), or null: an empty body, or one of another content type, contributes no
     * parameters.
     */
    private static ByteBuf formBody(FullHttpRequest req) {
        if (req.content().readableBytes() == 0) {
            return null;
        }
        final String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && !type.regionMatches(true, 0, FORM, 0, FORM.length())) {
            return null; // header values are one char per byte: ignoring case is lower-casing, as Binance does
        }
        return req.content();
    }

    private ApiKey apiKey(FullHttpRequest req) {
        final String k = req.headers().get("X-MBX-APIKEY");
        if (k == null || k.isEmpty() || k.length() > 128) {
            throw ApiError.keyFormat();
        }
        for (int i = 0; i < k.length(); i++) {
            final char c = k.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                throw ApiError.keyFormat();
            }
        }
        final ApiKey key = keys.get(k);
        if (key == null) {
            throw ApiError.rejectedKey();
        }
        return key;
    }

    private void listenKey(FullHttpRequest req, HttpMethod m, Responder r) {
        final ApiKey key = apiKey(req);
        admit(key, 1, false);
        final long now = ingress.nowMs();
        if (m == HttpMethod.POST) {
            r.respond(200, "{\"listenKey\":\"" + keys.openListenKey(key.account(), now).key() + "\"}");
        } else if (m == HttpMethod.PUT) {
            final ApiKeys.ListenKey k = keys.keepAlive(key.account(), now);
            if (k == null) {
                throw ApiError.badListenKey();
            }
            r.respond(200, "{\"listenKey\":\"" + k.key() + "\"}");
        } else {
            keys.closeListenKey(key.account());
            r.respond(200, "{}");
        }
    }

    private void admit(ApiKey key, int weight, boolean order) {
        final String refused = key.admit(ingress.nowMs(), weight, order);
        if (refused != null) {
            throw ApiError.tooManyRequests(refused);
        }
    }

    private void signed(FullHttpRequest req, Endpoint endpoint, String uri, int queryStart, Responder r) {
        final ApiKey key = apiKey(req);
        final Params p = Params.forThisThread().parse(uri, queryStart, formBody(req));
        if (!p.has("signature")) {
            throw ApiError.mandatory("signature");
        }
        final long timestamp = p.integer("timestamp", true);
        final long recvWindow = p.has("recvWindow") ? p.integer("recvWindow", true) : DEFAULT_RECV_WINDOW_MS;
        if (recvWindow <= 0 || recvWindow > MAX_RECV_WINDOW_MS) {
            throw ApiError.invalidParameter("recvWindow");
        }
        final long now = ingress.nowMs();
        if (timestamp >= now + 1000) {
            throw ApiError.timestampAhead();
        }
        if (now - timestamp > recvWindow) {
            throw ApiError.timestampOutside();
        }
        if (!key.verify(p, p.requireView("signature"))) {
            throw ApiError.badSignature();
        }
        final String account = key.account();
        switch (endpoint) {
            case ORDER_NEW -> {
                admit(key, 1, true);
                newOrder(p, account, r, false);
            }
            case ALGO_NEW -> {
                admit(key, 1, true);
                newOrder(p, account, r, true);
            }
            case ALGO_CANCEL -> {
                admit(key, 1, false);
                final Command c = ingress.command(CommandType.CANCEL_ORDER);
                final Pending pd = new Pending(Route.ALGO_CANCEL, r);
                algoTarget(pd, p, account, true);
                setNames(c, account, pd.symbol);
                c.orderId = pd.orderId;
                if (pd.clientOrderId != null) {
                    c.clientId.set(pd.clientOrderId);
                }
                c.orderType = OrderType.STOP_MARKET; // any conditional type: only a waiting conditional order
                ingress.submit(c, pd);
            }
            case ALGO_QUERY -> {
                admit(key, 1, false);
                final Pending pd = new Pending(Route.ALGO_QUERY, r);
                algoTarget(pd, p, account, false);
                ingress.read(pd);
            }
            case OPEN_ALGO_ORDERS -> {
                final Pending pd = new Pending(Route.OPEN_ALGO_ORDERS, r);
                pd.account = account;
                pd.symbol = p.symbol(false);
                algoType(p, false);
                pd.orderId = p.has("algoId") ? p.integer("algoId", true) : 0;
                admit(key, pd.symbol == null ? 40 : 1, false);
                ingress.read(pd);
            }
            case ALL_ALGO_ORDERS -> {
                admit(key, 5, false);
                final Pending pd = timeRange(new Pending(Route.ALL_ALGO_ORDERS, r), p, 500, 1000);
                pd.account = account;
                pd.symbol = p.symbol(true);
                ingress.read(pd);
            }
            case CANCEL_ALL_ALGO -> {
                admit(key, 1, false);
                final Command c = ingress.command(CommandType.CANCEL_ALL);
                final Pending pd = new Pending(Route.CANCEL_ALL, r);
                pd.account = account;
                setNames(c, account, p.symbol(true));
                c.orderType = OrderType.STOP_MARKET; // any conditional type: only the waiting conditional orders
                ingress.submit(c, pd);
            }
            case ORDER_CANCEL -> {
                admit(key, 1, false);
                final Command c = ingress.command(CommandType.CANCEL_ORDER);
                final Pending pd = new Pending(Route.ORDER_CANCEL, r);
                target(c, pd, p, account);
                ingress.submit(c, pd);
            }
            case ORDER_QUERY, OPEN_ORDER_QUERY -> {
                admit(key, 1, false);
                final Pending pd = new Pending(endpoint == Endpoint.OPEN_ORDER_QUERY ? Route.OPEN_ORDER_QUERY : Route.ORDER_QUERY, r);
                pd.account = account;
                pd.symbol = p.symbol(true);
                pd.orderId = p.has("orderId") ? p.integer("orderId", true) : 0;
                pd.clientOrderId = p.get("origClientOrderId");
                if (pd.orderId == 0 && pd.clientOrderId == null) {
                    throw new ApiError(400, -1102,
                        "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
                }
                ingress.read(pd);
            }
            case OPEN_ORDERS, ALL_ORDERS -> {
                final Pending pd = timeRange(new Pending(endpoint == Endpoint.ALL_ORDERS ? Route.ALL_ORDERS
                    : Route.OPEN_ORDERS, r), p, 500, 1000);
                pd.account = account;
                pd.symbol = p.symbol(pd.route == Route.ALL_ORDERS);
                admit(key, pd.symbol == null ? 40 : 1, false);
                ingress.read(pd);
            }
            case CANCEL_ALL -> {
                admit(key, 1, false);
                final Command c = ingress.command(CommandType.CANCEL_ALL);
                final Pending pd = new Pending(Route.CANCEL_ALL, r);
                pd.account = account;
                setNames(c, account, p.symbol(true));
                ingress.submit(c, pd);
            }
            case POSITION_RISK_V2 -> positions(Route.POSITION_RISK_V2, key, p, r);
            case POSITION_RISK_V3 -> positions(Route.POSITION_RISK_V3, key, p, r);
            case ACCOUNT_V2 -> positions(Route.ACCOUNT_V2, key, p, r);
            case ACCOUNT_V3 -> positions(Route.ACCOUNT_V3, key, p, r);
            case BALANCE_V2, BALANCE_V3 -> positions(Route.BALANCE, key, p, r);
            case LEVERAGE_BRACKET -> {
                admit(key, 1, false);
                final Pending pd = new Pending(Route.LEVERAGE_BRACKET, r);
                pd.symbol = p.symbol(false);
                ingress.read(pd);
            }
            case COMMISSION_RATE -> {
                admit(key, 20, false);
                final Pending pd = new Pending(Route.COMMISSION_RATE, r);
                pd.symbol = p.symbol(true);
                ingress.read(pd);
            }
            case LEVERAGE -> {
                admit(key, 1, false);
                final Command c = ingress.command(CommandType.LEVERAGE);
                final Pending pd = new Pending(Route.LEVERAGE, r);
                pd.account = account;
                pd.symbol = p.symbol(true);
                final long lev = p.integer("leverage", true);
                if (lev < 1 || lev > 1000) {
                    throw ApiError.of(org.perpcore.core.model.RejectCode.INVALID_LEVERAGE);
                }
                pd.leverage = (int) lev;
                setNames(c, account, pd.symbol);
                c.leverage = pd.leverage;
                ingress.submit(c, pd);
            }
            case MARGIN_TYPE -> {
                admit(key, 1, false);
                final Command c = ingress.command(CommandType.MARGIN_TYPE);
                final Pending pd = new Pending(Route.MARGIN_TYPE, r);
                pd.account = account;
                setNames(c, account, p.symbol(true));
                final String mt = p.require("marginType");
                if (mt.equalsIgnoreCase("ISOLATED")) {
                    c.isolated = true;
                } else if (mt.equalsIgnoreCase("CROSSED") || mt.equalsIgnoreCase("CROSS")) {
                    c.isolated = false;
                } else {
                    throw ApiError.invalidParameter("marginType");
                }
                ingress.submit(c, pd);
            }
            case POSITION_MARGIN -> {
                admit(key, 1, false);
                positionSide(p);
                final Command c = ingress.command(CommandType.ISOLATED_MARGIN);
                final Pending pd = new Pending(Route.POSITION_MARGIN, r);
                pd.account = account;
                setNames(c, account, p.symbol(true));
                final long amount = p.decimalE8("amount", true);
                final long type = p.integer("type", true);
                if (type != 1 && type != 2) {
                    throw ApiError.invalidParameter("type");
                }
                pd.amountE8 = amount;
                pd.type = (int) type;
                c.amountE8 = type == 1 ? amount : -amount;
                ingress.submit(c, pd);
            }
            case USER_TRADES -> {
                admit(key, 5, false);
                final Pending pd = timeRange(new Pending(Route.USER_TRADES, r), p, 500, 1000);
                pd.account = account;
                pd.symbol = p.symbol(true);
                pd.orderId = p.has("orderId") ? p.integer("orderId", true) : 0;
                pd.fromId = p.integer("fromId", false);
                ingress.read(pd);
            }
            case POSITION_SIDE_QUERY -> {
                admit(key, 30, false);
                r.respond(200, "{\"dualSidePosition\":false}");
            }
            case POSITION_SIDE_CHANGE -> {
                admit(key, 1, false);
                if (p.bool("dualSidePosition", false)) {
                    throw new ApiError(400, -1020, "This operation is not supported: hedge mode (one-way mode only).");
                }
                throw new ApiError(400, -4059, "No need to change position side.");
            }
            case MULTI_ASSETS_MARGIN -> {
                admit(key, 30, false);
                r.respond(200, "{\"multiAssetsMargin\":false}");
            }
            default -> throw ApiError.unsupported(req.method().name(), endpoint.path);
        }
    }

    private void positions(Route route, ApiKey key, Params p, Responder r) {
        admit(key, 5, false);
        final Command c = ingress.command(CommandType.QUERY_POSITIONS);
        final Pending pd = new Pending(route, r);
        pd.account = key.account();
        pd.symbol = p.symbol(false);
        c.account.set(key.account());
        ingress.submit(c, pd);
    }

    private static void setNames(Command c, String account, String symbol) {
        c.account.set(account);
        c.symbol.set(symbol);
    }

    private static void positionSide(Params p) {
        if (p.choice("positionSide", ONE_WAY) == Params.OTHER) {
            throw ApiError.positionSide();
        }
    }

    /** The order a cancel acts on: {@code orderId} or {@code origClientOrderId}. */
    private static void target(Command c, Pending pd, Params p, String account) {
        pd.account = account;
        pd.symbol = p.symbol(true);
        setNames(c, account, pd.symbol);
        if (p.has("orderId")) {
            c.orderId = p.integer("orderId", true);
            pd.orderId = c.orderId;
        } else if (p.has("origClientOrderId")) {
            final String id = p.get("origClientOrderId");
            if (!validClientId(id)) {
                throw ApiError.clientOrderId();
            }
            c.clientId.set(id);
            pd.clientOrderId = id;
        } else {
            throw new ApiError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
        }
    }

    /** Binance's client order id rule: 1 to 36 of {@code [.A-Z:/a-z0-9_-]}. */
    static boolean validClientId(String id) {
        if (id.isEmpty() || id.length() > 36) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!org.perpcore.core.command.Name.isLegalChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * POST /fapi/v1/order ({@code algo} false) and POST /fapi/v1/algoOrder ({@code algo} true): the same engine
     * order, named as each endpoint names it (the algo API says {@code triggerPrice}, {@code activatePrice} and
     * {@code clientAlgoId} where the order API says {@code stopPrice}, {@code activationPrice} and
     * {@code newClientOrderId}). Here: the request's shape (which parameters each type takes and their syntax);
     * the engine decides the rest (prices, ticks, trigger side, callback rate range, position checks).
     */
    private void newOrder(Params p, String account, Responder r, boolean algo) {
        final Command c = ingress.command(CommandType.PLACE_ORDER);
        final Pending pd = new Pending(algo ? Route.ALGO_NEW : Route.ORDER_NEW, r);
        pd.account = account;
        if (algo) {
            algoType(p, true);
        }
        pd.symbol = p.symbol(true);
        setNames(c, account, pd.symbol);
        c.side = switch (p.requireChoice("side", SIDES)) {
            case 0 -> Side.BUY;
            case 1 -> Side.SELL;
            default -> throw ApiError.invalidSide();
        };
        positionSide(p);
        c.orderType = switch (p.requireChoice("type", ORDER_TYPES)) {
            case 0 -> algo ? null : OrderType.LIMIT;
            case 1 -> algo ? null : OrderType.MARKET;
            case 2 -> OrderType.STOP;
            case 3 -> OrderType.STOP_MARKET;
            case 4 -> OrderType.TAKE_PROFIT;
            case 5 -> OrderType.TAKE_PROFIT_MARKET;
            case 6 -> OrderType.TRAILING_STOP_MARKET;
            default -> null;
        };
        if (c.orderType == null) {
            throw ApiError.invalidType();
        }
        final boolean limitPriced = c.orderType == OrderType.LIMIT || c.orderType == OrderType.STOP
            || c.orderType == OrderType.TAKE_PROFIT;
        final boolean conditional = c.orderType != OrderType.LIMIT && c.orderType != OrderType.MARKET;
        final boolean trailing = c.orderType == OrderType.TRAILING_STOP_MARKET;
        c.closePosition = p.bool("closePosition", false);
        if (c.closePosition && c.orderType != OrderType.STOP_MARKET && c.orderType != OrderType.TAKE_PROFIT_MARKET) {
            throw ApiError.closePositionType(p.get("type"));
        }
        // with closePosition the quantity is the position's when it fires: one sent is the engine's -4137
        c.qtyE8 = p.decimalE8("quantity", !c.closePosition);
        if (limitPriced) {
            c.priceE8 = p.decimalE8("price", true);
            final int tif = c.orderType == OrderType.LIMIT ? p.requireChoice("timeInForce", TIME_IN_FORCE)
                : p.choice("timeInForce", TIME_IN_FORCE);
            if (tif != Params.ABSENT) {
                c.timeInForce = switch (tif) {
                    case 0 -> TimeInForce.GTC;
                    case 1 -> TimeInForce.IOC;
                    case 2 -> TimeInForce.FOK;
                    case 3 -> TimeInForce.GTX;
                    default -> throw ApiError.invalidTif();
                };
            }
        } else if (p.has("price")) {
            throw ApiError.notRequired("price");
        }
        conditionalParams(c, p, algo, conditional, trailing);
        c.reduceOnly = p.bool("reduceOnly", false);
        final int stp = p.choice("selfTradePreventionMode", STP_MODES);
        if (stp != Params.ABSENT) {
            c.stpMode = switch (stp) {
                case 0 -> StpMode.NONE;
                case 1 -> StpMode.EXPIRE_TAKER;
                case 2 -> StpMode.EXPIRE_MAKER;
                case 3 -> StpMode.EXPIRE_BOTH;
                default -> throw ApiError.of(org.perpcore.core.model.RejectCode.INVALID_SELF_TRADE_PREVENTION_MODE);
            };
        }
        final int resp = p.choice("newOrderRespType", RESPONSE_TYPES);
        if (resp == Params.OTHER) {
            throw ApiError.invalidParameter("newOrderRespType");
        }
        pd.result = resp == 1;
        final String idParam = algo ? "clientAlgoId" : "newClientOrderId";
        String clientId = p.get(idParam);
        if (clientId == null) {
            clientId = generatedClientId();
        } else if (!validClientId(clientId)) {
            throw ApiError.clientOrderId();
        }
        c.clientId.set(clientId);
        pd.clientOrderId = clientId;
        ingress.submit(c, pd);
    }

    /**
     * The parameters only conditional orders take: the stop (trigger) price, working type and priceProtect for
     * stops and take-profits, the callback rate and activation price for trailing stops. Sent with a type that does
     * not take them: -1106 naming the parameter.
     */
    private static void conditionalParams(Command c, Params p, boolean algo, boolean conditional, boolean trailing) {
        final String stopName = algo ? "triggerPrice" : "stopPrice";
        final String otherStopName = algo ? "stopPrice" : "triggerPrice";
        if (p.has(otherStopName)) {
            throw ApiError.notRequired(otherStopName);
        }
        final String activationName = activationName(p, algo);
        if (!conditional) {
            refuseIfSent(p, stopName);
            refuseIfSent(p, "workingType");
            refuseIfSent(p, "priceProtect");
            refuseIfSent(p, "callbackRate");
            refuseIfSent(p, activationName);
            return;
        }
        final int wt = p.choice("workingType", WORKING_TYPES);
        if (wt != Params.ABSENT) {
            c.workingType = switch (wt) {
                case 0 -> WorkingType.MARK_PRICE;
                case 1 -> WorkingType.CONTRACT_PRICE;
                default -> throw ApiError.of(org.perpcore.core.model.RejectCode.INVALID_WORKING_TYPE);
            };
        }
        if (trailing) {
            if (p.has(stopName)) {
                throw ApiError.notRequired(stopName);
            }
            if (p.has("priceProtect")) {
                throw ApiError.notRequired("priceProtect");
            }
            c.callbackRateE8 = p.decimalE8("callbackRate", true);
            c.activationPriceE8 = p.decimalE8(activationName, false);
            return;
        }
        refuseIfSent(p, "callbackRate");
        refuseIfSent(p, activationName);
        c.stopPriceE8 = p.decimalE8(stopName, true);
        c.priceProtect = p.bool("priceProtect", false);
    }

    /** -1106 naming {@code name} when the request sent it. */
    private static void refuseIfSent(Params p, String name) {
        if (p.has(name)) {
            throw ApiError.notRequired(name);
        }
    }

    /**
     * The name the request uses for a trailing stop's activation price: {@code activationPrice} (the order API;
     * ccxt sends it to the algo API too) or {@code activatePrice} (the algo API's documented name); both at once is
     * -1101.
     */
    private static String activationName(Params p, boolean algo) {
        if (!algo) {
            if (p.has("activatePrice")) {
                throw ApiError.notRequired("activatePrice");
            }
            return "activationPrice";
        }
        if (p.has("activatePrice") && p.has("activationPrice")) {
            throw ApiError.duplicate("activatePrice");
        }
        return p.has("activationPrice") ? "activationPrice" : "activatePrice";
    }

    /** {@code algoType}: mandatory on a new algo order, optional on queries; CONDITIONAL is the only one. */
    private static void algoType(Params p, boolean required) {
        final String t = required ? p.require("algoType") : p.get("algoType");
        if (t != null && !t.equals("CONDITIONAL")) {
            throw ApiError.invalidParameter("algoType");
        }
    }

    /**
     * The algo order a query or cancel acts on: {@code algoId} or {@code clientAlgoId} (Binance's cancel page
     * spells them {@code algoid} / {@code clientalgoid}: both spellings are read). The symbol is optional on a
     * query, as at Binance, and required on a cancel: the engine cancels within a market.
     */
    private static void algoTarget(Pending pd, Params p, String account, boolean symbolRequired) {
        pd.account = account;
        pd.symbol = p.symbol(symbolRequired);
        final String idName = p.has("algoId") ? "algoId" : "algoid";
        final String clientName = p.has("clientAlgoId") ? "clientAlgoId" : "clientalgoid";
        if (p.has(idName)) {
            pd.orderId = p.integer(idName, true);
            if (pd.orderId == 0) {
                throw ApiError.invalidParameter(idName);
            }
        } else if (p.has(clientName)) {
            final String id = p.get(clientName);
            if (!validClientId(id)) {
                throw ApiError.clientOrderId();
            }
            pd.clientOrderId = id;
        } else {
            throw new ApiError(400, -1102, "Param 'clientAlgoId' or 'algoId' must be sent, but both were empty/null!");
        }
    }

    /** Binance gives an order without a client id a random one (22 characters). */
    private static String generatedClientId() {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        final char[] id = new char[22];
        final ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < id.length; i++) {
            id[i] = alphabet.charAt(rnd.nextInt(alphabet.length()));
        }
        return new String(id);
    }
}
