package org.perpcore.gateway.binance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys the gateway knows (from the configuration file and the admin API) and the listen keys of user data
 * streams. Gateway state, not exchange state: not in the command journal. A journaled gateway keeps its API keys in
 * a file beside the journal ({@link #persistent}, {@link ApiKeyFile}), written after every change, so that they
 * survive a restart; listen keys live in memory only. Thread safe.
 */
public final class ApiKeys {
    /** The key file's name in a journal directory. */
    public static final String FILE = "api-keys.json";

    /** A listen key lives 60 minutes unless kept alive (Binance). */
    public static final long LISTEN_KEY_TTL_MS = 60 * 60_000L;

    private final ConcurrentHashMap<String, ApiKey> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ListenKey> listenKeys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ListenKey> listenKeyByAccount = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** Where the keys are kept, or null: in memory only. */
    private final ApiKeyFile file;

    /** Keys in memory only. */
    public ApiKeys() {
        this.file = null;
    }

    private ApiKeys(ApiKeyFile file) {
        this.file = file;
    }

    /**
     * Keys kept in {@code file}: the keys it holds now, and every later {@link #add} and {@link #remove} written to it
     * before it returns.
     *
     * @throws IOException when the file exists and cannot be read as a key file
     */
    public static ApiKeys persistent(Path file) throws IOException {
        final ApiKeys keys = new ApiKeys(new ApiKeyFile(file));
        for (ApiKey k : keys.file.load()) {
            keys.keys.put(k.key(), k);
        }
        return keys;
    }

    /** The file the keys are kept in, or null. */
    public Path file() {
        return file == null ? null : file.path();
    }

    /** A user data stream's key: the account it follows and until when it is valid. */
    public static final class ListenKey {
        private final String key;
        private final String account;
        private volatile long expiresMs;

        ListenKey(String key, String account, long expiresMs) {
            this.key = key;
            this.account = account;
            this.expiresMs = expiresMs;
        }

        public String key() {
            return key;
        }

        public String account() {
            return account;
        }

        public long expiresMs() {
            return expiresMs;
        }
    }

    /**
     * Adds a key; false when the key string is taken already.
     *
     * @throws UncheckedIOException when the key file cannot be written (the key is then not added)
     */
    public boolean add(ApiKey key) {
        if (keys.putIfAbsent(key.key(), key) != null) {
            return false;
        }
        try {
            save();
        } catch (IOException e) {
            keys.remove(key.key(), key);
            throw new UncheckedIOException("the API key file could not be written, the key was not added", e);
        }
        return true;
    }

    public ApiKey get(String key) {
        return keys.get(key);
    }

    /**
     * Removes a key; false when there is none with this string.
     *
     * @throws UncheckedIOException when the key file cannot be written (the key is then kept)
     */
    public boolean remove(String key) {
        final ApiKey removed = keys.remove(key);
        if (removed == null) {
            return false;
        }
        try {
            save();
        } catch (IOException e) {
            keys.putIfAbsent(key, removed);
            throw new UncheckedIOException("the API key file could not be written, the key was not removed", e);
        }
        return true;
    }

    /** Writes every key to the file (one writer at a time, each writing the whole map as it then stands). */
    private void save() throws IOException {
        if (file == null) {
            return;
        }
        synchronized (file) {
            file.save(new ArrayList<>(keys.values()));
        }
    }

    public List<ApiKey> all() {
        return new ArrayList<>(keys.values());
    }

    /** A random string of {@code n} letters and digits, as Binance's keys look. */
    public String randomToken(int n) {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        final StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Binance returns the account's active listen key (extending it) or creates one. */
    public ListenKey openListenKey(String account, long nowMs) {
        return listenKeyByAccount.compute(account, (a, existing) -> {
            if (existing != null && existing.expiresMs > nowMs) {
                existing.expiresMs = nowMs + LISTEN_KEY_TTL_MS;
                return existing;
            }
            if (existing != null) {
                listenKeys.remove(existing.key);
            }
            final ListenKey k = new ListenKey(randomToken(64), a, nowMs + LISTEN_KEY_TTL_MS);
            listenKeys.put(k.key, k);
            return k;
        });
    }

    /** Extends the account's listen key; null when it has none (Binance: -1125). */
    public ListenKey keepAlive(String account, long nowMs) {
        final ListenKey k = listenKeyByAccount.get(account);
        if (k == null || k.expiresMs <= nowMs) {
            return null;
        }
        k.expiresMs = nowMs + LISTEN_KEY_TTL_MS;
        return k;
    }

    public void closeListenKey(String account) {
        final ListenKey k = listenKeyByAccount.remove(account);
        if (k != null) {
            listenKeys.remove(k.key);
        }
    }

    /** The valid listen key with this string, or null. */
    public ListenKey listenKey(String key, long nowMs) {
        final ListenKey k = key == null ? null : listenKeys.get(key);
        return k == null || k.expiresMs <= nowMs ? null : k;
    }

    /** Listen keys that expired by {@code nowMs}; they are forgotten. */
    public List<ListenKey> expire(long nowMs) {
        final List<ListenKey> gone = new ArrayList<>();
        for (ListenKey k : listenKeys.values()) {
            if (k.expiresMs <= nowMs && listenKeys.remove(k.key, k)) {
                listenKeyByAccount.remove(k.account, k);
                gone.add(k);
            }
        }
        return gone;
    }
}
