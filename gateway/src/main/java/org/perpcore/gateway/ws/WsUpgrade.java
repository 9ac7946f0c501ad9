package org.perpcore.gateway.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.perpcore.gateway.binance.ApiError;
import org.perpcore.gateway.binance.ApiKeys;

/**
 * WebSocket handshakes on Binance's paths: {@code /ws}, {@code /ws/<stream>[/<stream>…]}, {@code /ws/<listenKey>},
 * {@code /stream?streams=a/b}, each also under the {@code /public}, {@code /market} and {@code /private}
 * prefixes Binance introduced, and {@code ?listenKey=} on any of them. Names that are neither a stream nor a
 * listen key are ignored (ccxt connects to {@code /market/ws/0} and subscribes afterwards).
 */
public final class WsUpgrade {
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    private final StreamHub hub;
    private final ApiKeys keys;
    private final java.util.function.LongSupplier clockMs;
    private final int maxMessagesPerSecond;

    public WsUpgrade(StreamHub hub, ApiKeys keys, java.util.function.LongSupplier clockMs, int maxMessagesPerSecond) {
        this.hub = hub;
        this.keys = keys;
        this.clockMs = clockMs;
        this.maxMessagesPerSecond = maxMessagesPerSecond;
    }

    public static boolean isUpgrade(FullHttpRequest req) {
        final String upgrade = req.headers().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** Performs the handshake and installs the session; throws {@link ApiError} (answered as HTTP) when refused. */
    public void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        final String uri = req.uri();
        final int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        final String query = q < 0 ? "" : uri.substring(q + 1);
        for (String prefix : new String[] {"/public", "/market", "/private"}) {
            if (path.startsWith(prefix + "/")) {
                path = path.substring(prefix.length());
                break;
            }
        }
        final boolean combined;
        final List<String> names = new ArrayList<>();
        if (path.equals("/ws") || path.startsWith("/ws/")) {
            combined = false;
            if (path.length() > 4) {
                names.addAll(Arrays.asList(path.substring(4).split("/")));
            }
        } else if (path.equals("/stream") || path.startsWith("/stream/")) {
            combined = true;
        } else {
            throw ApiError.unsupported(req.method().name(), path);
        }
        String listenKey = null;
        for (String kv : query.split("&")) {
            if (kv.startsWith("streams=")) {
                names.addAll(Arrays.asList(kv.substring(8).split("/")));
            } else if (kv.startsWith("listenKey=")) {
                listenKey = kv.substring(10);
            }
        }
        final long now = clockMs.getAsLong();
        ApiKeys.ListenKey lk = null;
        if (listenKey != null) {
            lk = keys.listenKey(listenKey, now);
            if (lk == null) {
                throw ApiError.badListenKey();
            }
        }
        for (String n : names) {
            if (lk == null && n.length() == 64) {
                lk = keys.listenKey(n, now);
            }
        }
        final WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
            "ws://" + req.headers().get(HttpHeaderNames.HOST) + path, null, true, MAX_FRAME_BYTES);
        final WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        final WsSession session = new WsSession(ctx.channel(), combined, lk == null ? null : lk.account(),
            lk == null ? null : lk.key());
        final WsHandler handler = new WsHandler(hub, session, maxMessagesPerSecond);
        final io.netty.channel.ChannelPipeline p = ctx.pipeline();
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (f.isSuccess()) {
                handler.subscribeAll(names);
                if (session.account() != null) {
                    hub.addUser(session);
                }
            } else {
                ctx.close();
            }
        });
        p.replace(ctx.handler(), "ws", handler);
    }
}
