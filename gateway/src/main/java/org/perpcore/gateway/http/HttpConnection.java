package org.perpcore.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;
import org.perpcore.gateway.binance.ApiError;

/**
 * One HTTP connection. Requests are answered strictly in the order they arrived (HTTP/1.1 pipelining): the next
 * request is taken only after the previous one's answer is written, so a request answered at once (a bad
 * signature) never overtakes one waiting for the engine. At most {@link #MAX_BACKLOG} pipelined requests wait;
 * a client sending more is disconnected. All state is touched on the connection's event loop only.
 */
public final class HttpConnection extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final int MAX_BACKLOG = 64;

    private final HttpRouter router;
    private final ArrayDeque<FullHttpRequest> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean busy;
    private boolean keepAlive;

    public HttpConnection(HttpRouter router) {
        super(false);
        this.router = router;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (busy) {
            if (backlog.size() >= MAX_BACKLOG) {
                req.release();
                ctx.close();
                return;
            }
            backlog.add(req);
            return;
        }
        handle(req);
    }

    private void handle(FullHttpRequest req) {
        busy = true;
        try {
            keepAlive = HttpUtil.isKeepAlive(req);
            if (!req.decoderResult().isSuccess()) {
                final Throwable cause = req.decoderResult().cause();
                final ApiError e = cause instanceof io.netty.handler.codec.TooLongFrameException
                    ? ApiError.tooLarge(router.maxBodyBytes())
                    : new ApiError(400, -1102, "Malformed HTTP request: " + cause.getMessage());
                keepAlive = false;
                write(e.httpStatus(), e.json());
                return;
            }
            final HttpVersion v = req.protocolVersion();
            if (v != HttpVersion.HTTP_1_1 && v != HttpVersion.HTTP_1_0) {
                keepAlive = false;
                final ApiError e = new ApiError(400, -1102, "Malformed HTTP request: unsupported version " + v);
                write(e.httpStatus(), e.json());
                return;
            }
            if (router.upgrade(ctx, req)) {
                busy = false; // the connection is a WebSocket now; this handler left the pipeline
                return;
            }
            router.route(req, new Answer());
        } catch (ApiError e) {
            write(e.httpStatus(), e.json());
        } catch (RuntimeException e) {
            final ApiError u = ApiError.unknown(e.getClass().getSimpleName());
            write(u.httpStatus(), u.json());
        } finally {
            req.release();
        }
    }

    /** The answer slot of the request being handled: completes at most once, from any thread. */
    private final class Answer implements Responder {
        private boolean done;

        @Override
        public void respond(int status, CharSequence json) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            final ByteBuf body = ByteBufUtil.writeUtf8(PooledByteBufAllocator.DEFAULT, json);
            if (ctx.executor().inEventLoop()) {
                write(status, body);
            } else {
                ctx.executor().execute(() -> write(status, body));
            }
        }
    }

    private void write(int status, CharSequence json) {
        write(status, ByteBufUtil.writeUtf8(ctx.alloc(), json));
    }

    private void write(int status, ByteBuf body) {
        if (!ctx.channel().isActive()) {
            body.release();
            return;
        }
        final FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status), body);
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json;charset=UTF-8");
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (status == 429) {
            resp.headers().set(HttpHeaderNames.RETRY_AFTER, "10");
        }
        if (keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(resp);
        } else {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
        busy = false;
        final FullHttpRequest next = backlog.poll();
        if (next != null) {
            handle(next);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FullHttpRequest r;
        while ((r = backlog.poll()) != null) {
            r.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset connection or a protocol error: nothing to answer
    }
}
