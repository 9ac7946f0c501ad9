package org.perpcore.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.perpcore.gateway.binance.ApiError;

/**
 * Requests waiting for the engine, by the correlation id their command carries. Request handlers register (any
 * thread); the output stage takes each once.
 */
public final class Pendings {
    /** Requests in flight beyond this are refused (-1003 "Too many requests queued.") rather than queued. */
    static final int MAX_IN_FLIGHT = 1 << 15;

    private final AtomicLong correlation = new AtomicLong();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();

    /** Registers {@code p}; returns the correlation id to put into its command. */
    long register(Pending p) {
        if (pending.size() >= MAX_IN_FLIGHT) {
            throw ApiError.tooManyQueued();
        }
        final long id = correlation.incrementAndGet();
        pending.put(id, p);
        return id;
    }

    /** The request waiting for {@code correlationId}, removed; null when none. */
    Pending take(long correlationId) {
        return correlationId == 0 ? null : pending.remove(correlationId);
    }

    public int size() {
        return pending.size();
    }
}
