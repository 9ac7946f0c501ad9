package org.perpcore.gateway.ws;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket connection: raw ({@code /ws}: payloads as they are) or combined ({@code /stream}: each wrapped as
 * {@code {"stream":…,"data":…}}), its market stream subscriptions, and the account whose user data it follows,
 * if any. {@link #send} may be called from any thread (the output stage pushes); a client that stops reading is
 * disconnected rather than buffered without bound.
 */
public final class WsSession {
    private final Channel channel;
    private volatile boolean combined;
    private final String account;
    private final String listenKey;
    final Set<String> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();

    WsSession(Channel channel, boolean combined, String account, String listenKey) {
        this.channel = channel;
        this.combined = combined;
        this.account = account;
        this.listenKey = listenKey;
    }

    public String account() {
        return account;
    }

    public String listenKey() {
        return listenKey;
    }

    public boolean combined() {
        return combined;
    }

    void combined(boolean c) {
        combined = c;
    }

    public Channel channel() {
        return channel;
    }

    /** Pushes one stream payload (a JSON object). */
    public void send(String stream, CharSequence json) {
        if (!channel.isActive()) {
            return;
        }
        if (!channel.isWritable()) {
            dropped.incrementAndGet();
            channel.writeAndFlush(new CloseWebSocketFrame(1008, "client too slow")).addListener(f -> channel.close());
            return;
        }
        final String text = combined
            ? new StringBuilder(json.length() + stream.length() + 24).append("{\"stream\":\"").append(stream)
                .append("\",\"data\":").append(json).append('}').toString()
            : json.toString();
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** A reply to a request frame (never wrapped). */
    void reply(CharSequence json) {
        if (channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(json.toString()));
        }
    }
}
