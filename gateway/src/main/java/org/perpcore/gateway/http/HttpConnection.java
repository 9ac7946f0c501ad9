package org.perpcore.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
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
            router.route(req, new Answer(keepAlive));
        } catch (ApiError e) {
            write(e.httpStatus(), e.json());
        } catch (RuntimeException e) {
            final ApiError u = ApiError.unknown(e.getClass().getSimpleName());
            write(u.httpStatus(), u.json());
        } finally {
            req.release();
        }
    }

    /**
     * The answer slot of the request being handled: completes at most once, from any thread. The answer is
     * rendered where it is given (status line, headers and body into one pooled buffer), then sent by the
     * connection's event loop as a task of its own.
     */
    private final class Answer implements Responder, Runnable {
        /** Whether the connection stays open after this answer (decided by the request). */
        private final boolean keepOpen;
        private boolean done;
        private ByteBuf bytes;

        Answer(boolean keepOpen) {
            this.keepOpen = keepOpen;
        }

        @Override
        public void respond(int status, CharSequence json) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            bytes = render(ctx.alloc(), status, json, keepOpen);
            if (ctx.executor().inEventLoop()) {
                run();
            } else {
                ctx.executor().execute(this);
            }
        }

        @Override
        public void run() {
            send(bytes, keepOpen);
        }
    }

    /** An answer made on the event loop (an error found before any routing): sent at once. */
    private void write(int status, CharSequence json) {
        send(render(ctx.alloc(), status, json, keepAlive), keepAlive);
    }

    /**
     * Writes a rendered answer past the HTTP encoder (the bytes are the whole response), then takes the next
     * pipelined request, if any.
     */
    private void send(ByteBuf response, boolean keepOpen) {
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        final ChannelHandlerContext encoder = ctx.pipeline().context(HttpServer.ENCODER);
        if (keepOpen) {
            encoder.writeAndFlush(response, encoder.voidPromise());
        } else {
            encoder.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
        busy = false;
        final FullHttpRequest next = backlog.poll();
        if (next != null) {
            handle(next);
        }
    }

    private static final byte[] VERSION = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_TYPE = "\r\ncontent-type: application/json;charset=UTF-8\r\ncontent-length: "
        .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RETRY_AFTER = "\r\nretry-after: 10".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "\r\nconnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "\r\nconnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * A whole HTTP/1.1 response in one buffer: the status line, the headers Binance's clients read (JSON content
     * type, length, Retry-After on 429, keep-alive or close) and the UTF-8 body.
     */
    static ByteBuf render(ByteBufAllocator alloc, int status, CharSequence json, boolean keepOpen) {
        final HttpResponseStatus s = HttpResponseStatus.valueOf(status);
        final int bodyLength = ByteBufUtil.utf8Bytes(json);
        final ByteBuf b = alloc.ioBuffer(VERSION.length + 4 + s.reasonPhrase().length() + CONTENT_TYPE.length + 10
            + RETRY_AFTER.length + KEEP_ALIVE.length + bodyLength);
        b.writeBytes(VERSION);
        writeDecimal(b, status);
        b.writeByte(' ');
        b.writeCharSequence(s.reasonPhrase(), StandardCharsets.US_ASCII);
        b.writeBytes(CONTENT_TYPE);
        writeDecimal(b, bodyLength);
        if (status == 429) {
            b.writeBytes(RETRY_AFTER);
        }
        b.writeBytes(keepOpen ? KEEP_ALIVE : CLOSE);
        ByteBufUtil.reserveAndWriteUtf8(b, json, bodyLength);
        return b;
    }

    /** Writes a non-negative int in decimal, without a string. */
    private static void writeDecimal(ByteBuf b, int v) {
        int scale = 1;
        while (scale <= v / 10) {
            scale *= 10;
        }
        for (; scale > 0; scale /= 10) {
            b.writeByte('0' + v / scale % 10);
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
