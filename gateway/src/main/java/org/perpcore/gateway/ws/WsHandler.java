package org.perpcore.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.perpcore.gateway.binance.JsonOut;

/**
 * The frames of one WebSocket session: Binance's {@code SUBSCRIBE}, {@code UNSUBSCRIBE},
 * {@code LIST_SUBSCRIPTIONS}, {@code SET_PROPERTY} / {@code GET_PROPERTY} ("combined"), answered as Binance does
 * ({@code {"result":null,"id":1}}), and its error messages ({@code {"code":2,"msg":"Invalid request: …","id":…}},
 * code 3 for invalid JSON). More than the allowed messages per second disconnect the session, as at Binance.
 */
public final class WsHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    /** Streams a session may hold (Binance: 200 per connection for USDⓈ-M futures). */
    public static final int MAX_STREAMS = 200;

    /** How long a session this side closes waits for the peer's Close frame before dropping the connection. */
    static final long CLOSE_WAIT_MS = 2000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STREAM = Pattern.compile(
        "[a-z0-9._-]{1,20}@(aggTrade|trade|markPrice|markPrice@1s|forceOrder|bookTicker"
            + "|depth|depth@(0|100|250|500)ms|depth(5|10|20)|depth(5|10|20)@(100|250|500)ms)"
            + "|!forceOrder@arr|!markPrice@arr|!markPrice@arr@1s|!bookTicker", Pattern.CASE_INSENSITIVE);

    private final StreamHub hub;
    private final WsSession session;
    private final int maxMessagesPerSecond;
    private long windowSecond = -1;
    private int messagesInWindow;
    /** Set once this side has sent its Close frame: later frames are discarded until the peer's Close arrives. */
    private boolean closing;

    WsHandler(StreamHub hub, WsSession session, int maxMessagesPerSecond) {
        this.hub = hub;
        this.session = session;
        this.maxMessagesPerSecond = maxMessagesPerSecond;
    }

    /** True when {@code name} is a stream this gateway serves (any symbol: an unknown one simply stays silent). */
    public static boolean isStream(String name) {
        return STREAM.matcher(name).matches();
    }

    /** Canonical spelling: the symbol part lower case, the rest as Binance writes it. */
    static String canonical(String name) {
        final int at = name.indexOf('@');
        if (name.startsWith("!") || at < 0) {
            return name;
        }
        final String rest = name.substring(at + 1);
        final String fixed = rest.equalsIgnoreCase("aggtrade") ? "aggTrade"
            : rest.equalsIgnoreCase("forceorder") ? "forceOrder"
            : rest.equalsIgnoreCase("bookticker") ? "bookTicker"
            : rest.toLowerCase(java.util.Locale.ROOT).replace("markprice", "markPrice");
        return name.substring(0, at).toLowerCase(java.util.Locale.ROOT) + "@" + fixed;
    }

    void subscribeAll(List<String> names) {
        for (String n : names) {
            if (isStream(n) && session.streams.size() < MAX_STREAMS) {
                hub.subscribe(session, canonical(n));
            }
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            return;
        }
        if (frame instanceof PongWebSocketFrame) {
            return;
        }
        if (frame instanceof CloseWebSocketFrame) {
            if (closing) {
                ctx.close(); // the peer answered our Close: the handshake is complete
            } else {
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(f -> ctx.close());
            }
            return;
        }
        if (closing) {
            return;
        }
        final long second = System.currentTimeMillis() / 1000;
        if (second != windowSecond) {
            windowSecond = second;
            messagesInWindow = 0;
        }
        if (++messagesInWindow > maxMessagesPerSecond) {
            session.reply(error(1, "Too many requests: at most " + maxMessagesPerSecond + " messages per second.",
                null));
            closeAfterHandshake(ctx, new CloseWebSocketFrame(1008, "too many messages"));
            return;
        }
        if (!(frame instanceof TextWebSocketFrame text)) {
            session.reply(error(3, "Invalid JSON: binary frames are not supported", null));
            return;
        }
        handle(text.text());
    }

    /**
     * Sends {@code close} and waits for the peer's Close (RFC 6455 section 7.1.1: the server closes the TCP
     * connection after both Close frames), at most {@link #CLOSE_WAIT_MS}. Closing the socket at once would lose the
     * error message and the Close frame on a client still sending: its next frames reach a closed socket, the server's
     * TCP answers with a reset, and a reset makes the client's stack discard what it had received but not yet read.
     */
    private void closeAfterHandshake(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        closing = true;
        ctx.writeAndFlush(close);
        ctx.executor().schedule(() -> ctx.close(), CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    }

    private void handle(String text) {
        final JsonNode req;
        try {
            req = JSON.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            session.reply(error(3, "Invalid JSON: expected value at line 1 column 1", null));
            return;
        }
        if (req == null || !req.isObject()) {
            session.reply(error(3, "Invalid JSON: expected an object", null));
            return;
        }
        final JsonNode idNode = req.get("id");
        final String id;
        if (idNode == null || idNode.isNull()) {
            id = null;
        } else if (idNode.canConvertToExactIntegral() && idNode.canConvertToLong() && idNode.asLong() >= 0) {
            id = Long.toString(idNode.asLong());
        } else if (idNode.isTextual() && idNode.asText().length() <= 64
            && idNode.asText().chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            id = "\"" + idNode.asText() + "\"";
        } else {
            session.reply(error(2, "Invalid request: request ID must be an unsigned integer", null));
            return;
        }
        final java.util.Iterator<String> fields = req.fieldNames();
        while (fields.hasNext()) {
            final String f = fields.next();
            if (!f.equals("method") && !f.equals("params") && !f.equals("id")) {
                session.reply(error(0, "Unknown property", id));
                return;
            }
        }
        final JsonNode methodNode = req.get("method");
        final String method = methodNode != null && methodNode.isTextual() ? methodNode.asText() : null;
        if (method == null) {
            session.reply(error(2, "Invalid request: missing field `method`", id));
            return;
        }
        final JsonNode params = req.get("params");
        switch (method) {
            case "SUBSCRIBE", "UNSUBSCRIBE" -> {
                if (params == null || !params.isArray()) {
                    session.reply(error(2, "Invalid request: missing field `params`", id));
                    return;
                }
                final List<String> names = new java.util.ArrayList<>();
                for (JsonNode p : params) {
                    if (!p.isTextual() || !isStream(p.asText())) {
                        session.reply(error(2, "Invalid request: invalid stream name "
                            + (p.isTextual() ? p.asText() : p.toString()), id));
                        return;
                    }
                    names.add(p.asText());
                }
                if (method.equals("SUBSCRIBE")) {
                    if (session.streams.size() + names.size() > MAX_STREAMS) {
                        session.reply(error(2, "Invalid request: at most " + MAX_STREAMS + " streams per connection",
                            id));
                        return;
                    }
                    subscribeAll(names);
                } else {
                    for (String n : names) {
                        hub.unsubscribe(session, canonical(n));
                    }
                }
                session.reply("{\"result\":null,\"id\":" + id + "}");
            }
            case "LIST_SUBSCRIPTIONS" -> {
                final JsonOut out = new JsonOut();
                out.beginObject().beginArray("result");
                for (String s : session.streams) {
                    out.value(s);
                }
                out.endArray().raw("id", String.valueOf(id)).endObject();
                session.reply(out.sb());
            }
            case "SET_PROPERTY" -> {
                if (params == null || !params.isArray() || params.size() != 2 || !params.get(0).isTextual()
                    || !"combined".equals(params.get(0).asText())) {
                    session.reply(error(2, "Invalid request: unknown property", id));
                    return;
                }
                if (!params.get(1).isBoolean()) {
                    session.reply(error(1, "Invalid value type: expected Boolean", id));
                    return;
                }
                session.combined(params.get(1).asBoolean());
                session.reply("{\"result\":null,\"id\":" + id + "}");
            }
            case "GET_PROPERTY" -> {
                if (params == null || !params.isArray() || params.size() != 1
                    || !"combined".equals(params.get(0).asText())) {
                    session.reply(error(2, "Invalid request: unknown property", id));
                    return;
                }
                session.reply("{\"result\":" + session.combined() + ",\"id\":" + id + "}");
            }
            default -> session.reply(error(2, "Invalid request: unknown variant " + method
                + ", expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY", id));
        }
    }

    static String error(int code, String msg, String id) {
        final StringBuilder sb = new StringBuilder(64 + msg.length());
        sb.append("{\"code\":").append(code).append(",\"msg\":");
        JsonOut.quote(sb, msg.length() > 200 ? msg.substring(0, 200) : msg);
        sb.append(",\"id\":").append(id).append('}');
        return sb.toString();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        hub.remove(session);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a protocol error (a bad frame) ends the session; the server goes on
    }
}
