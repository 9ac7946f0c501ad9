package org.perpcore.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A java.net.http WebSocket that queues every text message, for tests. */
final class WsClient implements AutoCloseable {
    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final WebSocket socket;
    volatile boolean closed;

    WsClient(HttpClient http, String url) {
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(URI.create(url),
            new WebSocket.Listener() {
                private final StringBuilder partial = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        messages.add(partial.toString());
                        partial.setLength(0);
                    }
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                    closed = true;
                    return null;
                }

                @Override
                public void onError(WebSocket ws, Throwable error) {
                    closed = true;
                }
            }).join();
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message matching {@code p} within {@code ms}, or null; messages before it are dropped. */
    String await(Predicate<String> p, long ms) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + ms;
        while (true) {
            final long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            final String m = messages.poll(left, TimeUnit.MILLISECONDS);
            if (m != null && p.test(m)) {
                return m;
            }
        }
    }

    String await(String contains) throws InterruptedException {
        return await(m -> m.contains(contains), 5000);
    }

    @Override
    public void close() {
        if (!closed) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
