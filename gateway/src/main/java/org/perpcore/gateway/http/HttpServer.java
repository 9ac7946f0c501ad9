package org.perpcore.gateway.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.net.InetSocketAddress;

/** A Netty HTTP/1.1 server on one address, handing requests to a router; WebSocket upgrades go through it too. */
public final class HttpServer implements AutoCloseable {
    /** The name of the connection's HTTP response encoder (used by the aggregator's and handshakes' answers). */
    static final String ENCODER = "encoder";

    private final Channel channel;

    public HttpServer(EventLoopGroup boss, EventLoopGroup workers, String host, int port, HttpRouter router) {
        final ServerBootstrap b = new ServerBootstrap()
            .group(boss, workers)
            .channel(Transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    // a decoder and an encoder of their own (not one codec): answers are written as ready bytes
                    // past the encoder (HttpConnection), which a codec would count as unanswered requests
                    ch.pipeline()
                        .addLast("decoder", new HttpRequestDecoder(8192, 16384, 8192))
                        .addLast(ENCODER, new HttpResponseEncoder())
                        .addLast("aggregator", new Aggregator(router.maxBodyBytes()))
                        .addLast("handler", new HttpConnection(router));
                }
            });
        try {
            channel = b.bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
        }
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /**
     * An aggregator that answers an oversized body with Binance's error shape instead of an empty 413, and keeps
     * the connection.
     */
    private static final class Aggregator extends HttpObjectAggregator {
        private final int max;

        Aggregator(int max) {
            super(max);
            this.max = max;
        }

        @Override
        protected void handleOversizedMessage(io.netty.channel.ChannelHandlerContext ctx,
                                              io.netty.handler.codec.http.HttpMessage oversized) {
            final String json = org.perpcore.gateway.binance.ApiError.tooLarge(max).json();
            final io.netty.handler.codec.http.FullHttpResponse resp =
                new io.netty.handler.codec.http.DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                    io.netty.handler.codec.http.HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    io.netty.buffer.ByteBufUtil.writeUtf8(ctx.alloc(), json));
            resp.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, "application/json;charset=UTF-8");
            resp.headers().setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
            // answered at once, while the aggregator reads and drops the rest of the body: a client still sending
            // it then reads the answer instead of a reset connection
            ctx.writeAndFlush(resp);
        }
    }
}
