package org.perpcore.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.perpcore.core.command.Command;
import org.perpcore.core.command.Name;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;
import org.perpcore.gateway.Ingress;
import org.perpcore.gateway.Pending;
import org.perpcore.gateway.binance.ApiError;
import org.perpcore.gateway.binance.ApiKey;
import org.perpcore.gateway.binance.ApiKeys;
import org.perpcore.gateway.binance.JsonOut;
import org.perpcore.gateway.http.HttpRouter;
import org.perpcore.gateway.http.Responder;

/**
 * The admin API of a test exchange (its own port, loopback by default, {@code Authorization: Bearer TOKEN}):
 * accounts and API keys, deposits and withdrawals, markets and margin tiers, index prices (one or a batch), the
 * insurance fund, any scenario command line, the engine's state hash, and snapshots of a journaled engine. Each
 * request becomes the scenario commands of docs/SCENARIO.md (so the engine's own checks apply) and is answered with
 * their events, in that format, once the engine has applied them.
 */
public final class AdminRouter implements HttpRouter {
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ingress ingress;
    private final ApiKeys keys;
    private final byte[] token;
    private final ApiKey.RateLimits defaultLimits;
    private final boolean journaled;

    /** @param journaled whether the engine's pipeline journals (and so can take snapshots) */
    public AdminRouter(Ingress ingress, ApiKeys keys, String token, ApiKey.RateLimits defaultLimits,
                       boolean journaled) {
        this.ingress = ingress;
        this.keys = keys;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.defaultLimits = defaultLimits;
        this.journaled = journaled;
    }

    @Override
    public int maxBodyBytes() {
        return MAX_BODY_BYTES;
    }

    @Override
    public void route(FullHttpRequest req, Responder r) {
        authorize(req);
        final String uri = req.uri();
        final int q = uri.indexOf('?');
        final String path = q < 0 ? uri : uri.substring(0, q);
        final String query = q < 0 ? "" : uri.substring(q + 1);
        final String body = req.content().toString(StandardCharsets.UTF_8);
        switch (req.method().name() + " " + path) {
            case "GET /admin/state" -> {
                final Command c = ingress.command(CommandType.QUERY_STATE);
                ingress.submit(c, new Pending(Pending.Route.ADMIN_STATE, r));
            }
            case "POST /admin/accounts" -> createAccount(json(body), r);
            case "GET /admin/keys" -> {
                final JsonOut o = new JsonOut().beginArray();
                for (ApiKey k : keys.all()) {
                    o.beginObject().str("apiKey", k.key()).str("account", k.account()).endObject();
                }
                r.respond(200, o.endArray().sb());
            }
            case "DELETE /admin/keys" -> {
                final String k = query.startsWith("apiKey=") ? query.substring(7) : null;
                if (k == null || !keys.remove(k)) {
                    throw new ApiError(400, -2015, "Invalid API-key, IP, or permissions for action.");
                }
                r.respond(200, "{}");
            }
            case "POST /admin/deposit", "POST /admin/withdraw" -> {
                final JsonNode j = json(body);
                run(List.of((path.endsWith("deposit") ? "deposit " : "withdraw ") + token(j, "account") + " "
                    + token(j, "amount")), r, "");
            }
            case "POST /admin/markets" -> run(marketLines(json(body)), r, "");
            case "POST /admin/index", "POST /admin/mark" -> {
                final JsonNode j = json(body);
                final String kw = path.endsWith("index") ? "index " : "mark ";
                final List<String> lines = new ArrayList<>();
                final JsonNode prices = j.get("prices");
                if (prices == null) {
                    lines.add(kw + token(j, "symbol") + " " + token(j, "price"));
                } else if (prices.isArray()) {
                    for (JsonNode p : prices) {
                        lines.add(kw + token(p, "symbol") + " " + token(p, "price"));
                    }
                } else if (prices.isObject()) {
                    prices.fields().forEachRemaining(e -> lines.add(kw + checked(e.getKey(), "symbol") + " "
                        + checked(e.getValue().asText(), "price")));
                } else {
                    throw ApiError.invalidParameter("prices");
                }
                run(lines, r, "");
            }
            case "POST /admin/insurance" -> {
                final JsonNode j = json(body);
                run(List.of("insurance " + token(j, "symbol") + " " + token(j, "amount")), r, "");
            }
            case "POST /admin/tick" -> ingress.submit(ingress.command(CommandType.TICK),
                new Pending(Pending.Route.ADMIN, r));
            case "POST /admin/snapshot" -> {
                if (!journaled) {
                    throw new ApiError(400, -1020, "This operation is not supported: the server has no journal to"
                        + " snapshot (start it with --journal DIR)");
                }
                // a command like any other: the snapshot holds the state after exactly the commands before it
                ingress.submit(ingress.command(CommandType.SNAPSHOT), new Pending(Pending.Route.ADMIN_SNAPSHOT, r));
            }
            case "POST /admin/commands" -> {
                final List<String> lines = body.lines().toList();
                for (String line : lines) {
                    final String t = line.strip();
                    if (t.startsWith("time") || t.startsWith("advance")) {
                        throw new ApiError(400, -1130, "'" + t.split("\\s+")[0]
                            + "' is not accepted here: the gateway's clock stamps every command");
                    }
                }
                run(lines, r, "");
            }
            default -> throw ApiError.unsupported(req.method().name(), path);
        }
    }

    private void authorize(FullHttpRequest req) {
        if (token == null) {
            return;
        }
        final String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        final byte[] given = h != null && h.startsWith("Bearer ") ? h.substring(7).getBytes(StandardCharsets.UTF_8)
            : new byte[0];
        if (!MessageDigest.isEqual(token, given)) {
            throw new ApiError(401, -1002, "You are not authorized to execute this request.");
        }
    }

    private static JsonNode json(String body) {
        try {
            final JsonNode j = JSON.readTree(body);
            if (j == null || !j.isObject()) {
                throw new ApiError(400, -1102, "The body must be a JSON object.");
            }
            return j;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiError(400, -1102, "Malformed JSON body: " + e.getOriginalMessage());
        }
    }

    /** A value that goes into a scenario line: one token of legal characters, so nothing else can be injected. */
    public static String checked(String v, String field) {
        if (v == null || v.isEmpty() || v.length() > 64) {
            throw ApiError.mandatory(field);
        }
        for (int i = 0; i < v.length(); i++) {
            if (!Name.isLegalChar(v.charAt(i))) {
                throw ApiError.illegalChars(field, "[A-Za-z0-9._:/-]");
            }
        }
        return v;
    }

    private static String token(JsonNode j, String field) {
        final JsonNode v = j.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            throw ApiError.mandatory(field);
        }
        return checked(v.isNumber() ? v.decimalValue().toPlainString() : v.asText(), field);
    }

    /** {@code market} and {@code bracket} lines for a market definition: any market key, and its tiers. */
    public static List<String> marketLines(JsonNode j) {
        final List<String> lines = new ArrayList<>();
        final String symbol = token(j, "symbol");
        final StringBuilder market = new StringBuilder("market ").append(symbol);
        j.fields().forEachRemaining(e -> {
            final String k = e.getKey();
            if (k.equals("symbol") || k.equals("brackets") || k.equals("index") || k.equals("insurance")) {
                return;
            }
            market.append(' ').append(checked(k, "key")).append('=')
                .append(checked(e.getValue().isNumber() ? e.getValue().decimalValue().toPlainString()
                    : e.getValue().asText(), k));
        });
        lines.add(market.toString());
        final JsonNode brackets = j.get("brackets");
        if (brackets != null) {
            if (!brackets.isArray()) {
                throw ApiError.invalidParameter("brackets");
            }
            for (JsonNode b : brackets) {
                lines.add("bracket " + symbol + " " + token(b, "floor") + " " + token(b, "mmr") + " "
                    + token(b, "maxLeverage"));
            }
        }
        if (j.has("index")) {
            lines.add("index " + symbol + " " + token(j, "index"));
        }
        if (j.has("insurance")) {
            lines.add("insurance " + symbol + " " + token(j, "insurance"));
        }
        return lines;
    }

    private void createAccount(JsonNode j, Responder r) {
        final String account = token(j, "account");
        if (account.startsWith("$")) {
            throw ApiError.illegalChars("account", "[A-Za-z0-9._:/-]");
        }
        final ApiKey key = newKey(keys, account, j.has("apiKey") ? token(j, "apiKey") : null,
            j.has("secret") ? token(j, "secret") : null, limits(j.get("rateLimits"), defaultLimits));
        final String head = "\"account\":\"" + account + "\",\"apiKey\":\"" + key.key() + "\",\"secret\":\""
            + key.secret() + "\",";
        if (j.has("deposit")) {
            run(List.of("deposit " + account + " " + token(j, "deposit")), r, head);
        } else {
            r.respond(200, "{" + head + "\"events\":[]}");
        }
    }

    /** Adds a key for {@code account}; random key and secret where not given. Refuses a key string in use. */
    public static ApiKey newKey(ApiKeys keys, String account, String apiKey, String secret, ApiKey.RateLimits limits) {
        final String k = apiKey != null ? apiKey : keys.randomToken(64);
        final String s = secret != null ? secret : keys.randomToken(64);
        for (int i = 0; i < k.length(); i++) {
            final char c = k.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                throw ApiError.illegalChars("apiKey", "[A-Za-z0-9]{1,128}");
            }
        }
        final ApiKey key = new ApiKey(k, s, account, limits);
        if (!keys.add(key)) {
            throw new ApiError(400, -1130, "Data sent for parameter 'apiKey' is not valid: the key exists.");
        }
        return key;
    }

    public static ApiKey.RateLimits limits(JsonNode j, ApiKey.RateLimits dflt) {
        if (j == null || j.isNull()) {
            return dflt;
        }
        try {
            return new ApiKey.RateLimits(j.path("weightPerMinute").asInt(dflt.weightPerMinute()),
                j.path("ordersPer10s").asInt(dflt.ordersPer10s()), j.path("ordersPerMinute").asInt(dflt.ordersPerMinute()));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidParameter("rateLimits");
        }
    }

    /** Parses every line first (a bad one refuses the whole request), then publishes them as one answer. */
    private void run(List<String> lines, Responder r, String head) {
        final ScenarioParser parser = new ScenarioParser();
        final List<Command> commands = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            final Command c = new Command();
            try {
                if (parser.parse(lines.get(i), i + 1, c)) {
                    commands.add(c);
                }
            } catch (ScenarioException e) {
                throw new ApiError(400, -1130, e.getMessage());
            }
        }
        if (commands.isEmpty()) {
            r.respond(200, "{" + head + "\"events\":[]}");
            return;
        }
        final Pending p = new Pending(Pending.Route.ADMIN, r);
        p.head = head;
        p.remaining = commands.size();
        for (Command c : commands) {
            ingress.submit(ingress.stamp(c), p);
        }
    }
}
