package org.perpcore.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/** Turns one HTTP request into an answer (now, or later from the output stage). Called on an event loop. */
public interface HttpRouter {
    void route(FullHttpRequest request, Responder responder);

    /** Takes over the connection when the request is a WebSocket upgrade it serves; false otherwise. */
    default boolean upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        return false;
    }

    /** Largest request body accepted. */
    int maxBodyBytes();
}
