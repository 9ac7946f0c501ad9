package org.perpcore.gateway.ws;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Who listens to what: market streams by name and user data streams by account. Sessions subscribe from their
 * event loops; the output stage looks subscribers up and pushes. Stream names are matched without regard to case
 * (Binance's symbols are lower case in stream names) and pushed under their canonical spelling.
 */
public final class StreamHub {
    private final ConcurrentHashMap<String, Set<WsSession>> byStream = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<WsSession>> byAccount = new ConcurrentHashMap<>();
    /** Lower-case name to canonical name, for every stream anyone subscribed to. */
    private final ConcurrentHashMap<String, String> canonical = new ConcurrentHashMap<>();

    /** Subscribers of a stream (by its lower-case name), or null when none. */
    public Set<WsSession> subscribers(String lowerName) {
        final Set<WsSession> s = byStream.get(lowerName);
        return s == null || s.isEmpty() ? null : s;
    }

    public Set<WsSession> userSessions(String account) {
        final Set<WsSession> s = byAccount.get(account);
        return s == null || s.isEmpty() ? null : s;
    }

    public boolean hasAnySubscriber() {
        return !byStream.isEmpty();
    }

    /** Pushes {@code json} to every subscriber of the stream {@code lowerName}; returns whether anyone listened. */
    public boolean publish(String lowerName, CharSequence json) {
        final Set<WsSession> s = subscribers(lowerName);
        if (s == null) {
            return false;
        }
        final String name = canonical.getOrDefault(lowerName, lowerName);
        for (WsSession session : s) {
            session.send(name, json);
        }
        return true;
    }

    void subscribe(WsSession session, String canonicalName) {
        final String key = canonicalName.toLowerCase(Locale.ROOT);
        canonical.putIfAbsent(key, canonicalName);
        if (session.streams.add(key)) {
            byStream.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>()).add(session);
        }
    }

    void unsubscribe(WsSession session, String name) {
        final String key = name.toLowerCase(Locale.ROOT);
        if (session.streams.remove(key)) {
            final Set<WsSession> s = byStream.get(key);
            if (s != null) {
                s.remove(session);
            }
        }
    }

    void addUser(WsSession session) {
        byAccount.computeIfAbsent(session.account(), k -> new CopyOnWriteArraySet<>()).add(session);
    }

    /** Forgets a closed session everywhere. */
    void remove(WsSession session) {
        for (String key : session.streams) {
            final Set<WsSession> s = byStream.get(key);
            if (s != null) {
                s.remove(session);
            }
        }
        session.streams.clear();
        if (session.account() != null) {
            final Set<WsSession> s = byAccount.get(session.account());
            if (s != null) {
                s.remove(session);
            }
        }
    }

    /** Sessions following a listen key that is no longer valid: told, then closed. */
    public void expireListenKey(String account, String listenKey, CharSequence expiredEventJson) {
        final Set<WsSession> s = byAccount.get(account);
        if (s == null) {
            return;
        }
        for (WsSession session : s) {
            if (listenKey.equals(session.listenKey())) {
                session.send(listenKey, expiredEventJson);
                s.remove(session);
                session.channel().close();
            }
        }
    }
}
