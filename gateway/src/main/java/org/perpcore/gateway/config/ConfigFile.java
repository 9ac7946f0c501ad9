package org.perpcore.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.perpcore.gateway.GatewayConfig;
import org.perpcore.gateway.admin.AdminRouter;
import org.perpcore.gateway.binance.ApiError;
import org.perpcore.gateway.binance.ApiKey;

/**
 * The gateway's configuration file (JSON; {@code config/gateway.json} is an example): server addresses and the
 * admin token, default rate limits, markets with their margin tiers, index price and insurance fund, accounts
 * with their deposits and API keys, and any further scenario command lines. Markets, accounts and commands
 * become scenario commands (docs/SCENARIO.md), applied through the pipeline at start, before the servers take
 * requests.
 *
 * @param server   server settings (ports, host, token); command-line options override them
 * @param limits   default rate limits of keys
 * @param lines    the scenario command lines to apply, in order
 * @param keys     API keys to create: account, key, secret (key or secret may be null: random)
 */
public record ConfigFile(GatewayConfig server, ApiKey.RateLimits limits, List<String> lines, List<String[]> keys) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads and checks a configuration file; the message of the exception says what is wrong and where. */
    public static ConfigFile load(Path file, GatewayConfig base) throws IOException {
        final JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage()
                + " (line " + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": the configuration must be a JSON object");
        }
        try {
            return parse(root, base);
        } catch (ApiError e) {
            throw new IllegalArgumentException(file + ": " + e.msg());
        }
    }

    static ConfigFile parse(JsonNode root, GatewayConfig base) {
        for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            final String f = it.next();
            if (!List.of("server", "rateLimits", "markets", "accounts", "commands").contains(f)) {
                throw new IllegalArgumentException("unknown key '" + f
                    + "' (known: server, rateLimits, markets, accounts, commands)");
            }
        }
        GatewayConfig server = base;
        final JsonNode s = root.get("server");
        if (s != null) {
            if (s.has("host")) {
                server = server.withHost(s.get("host").asText());
            }
            server = server.withPorts(s.path("port").asInt(server.port()), s.path("adminPort").asInt(server.adminPort()));
            if (s.has("adminToken")) {
                server = server.withAdminToken(s.get("adminToken").asText());
            }
        }
        final ApiKey.RateLimits limits = AdminRouter.limits(root.get("rateLimits"), server.defaultLimits());
        final List<String> lines = new ArrayList<>();
        final List<String[]> keys = new ArrayList<>();
        for (JsonNode m : array(root, "markets")) {
            lines.addAll(AdminRouter.marketLines(m));
        }
        for (JsonNode a : array(root, "accounts")) {
            final String account = AdminRouter.checked(a.path("account").asText(null), "account");
            if (a.has("deposit")) {
                lines.add("deposit " + account + " " + AdminRouter.checked(a.get("deposit").asText(), "deposit"));
            }
            final JsonNode leverage = a.get("leverage");
            if (leverage != null && leverage.isObject()) {
                leverage.fields().forEachRemaining(e -> lines.add("leverage " + account + " "
                    + AdminRouter.checked(e.getKey(), "symbol") + " " + AdminRouter.checked(e.getValue().asText(), "leverage")));
            }
            if (a.has("apiKey") || a.has("secret")) {
                keys.add(new String[] {account, a.has("apiKey") ? a.get("apiKey").asText() : null,
                    a.has("secret") ? a.get("secret").asText() : null});
            }
        }
        for (JsonNode c : array(root, "commands")) {
            final String line = c.asText();
            if (line.strip().startsWith("time") || line.strip().startsWith("advance")) {
                throw new IllegalArgumentException("commands: '" + line + "': the gateway's clock stamps commands");
            }
            lines.add(line);
        }
        return new ConfigFile(server, limits, lines, keys);
    }

    private static Iterable<JsonNode> array(JsonNode root, String key) {
        final JsonNode n = root.get(key);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("'" + key + "' must be an array");
        }
        return n;
    }
}
