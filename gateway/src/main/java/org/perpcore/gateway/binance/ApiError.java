package org.perpcore.gateway.binance;

import org.perpcore.core.model.RejectCode;

/**
 * A refusal in Binance USDⓈ-M's shape: an HTTP status and a {@code {"code":…,"msg":…}} body. The codes and
 * messages are Binance's, so that clients written for Binance (ccxt maps codes to exception classes) react as they
 * would there. Thrown by request parsing in the gateway; never by the engine, which rejects with a
 * {@link RejectCode} that {@link #of(RejectCode)} turns into the same shape.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int code;

    public ApiError(int httpStatus, int code, String msg) {
        super(msg, null, false, false); // no stack trace: a refusal is an answer, not a bug
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int code() {
        return code;
    }

    public String msg() {
        return getMessage();
    }

    /** The JSON body, {@code {"code":-1102,"msg":"..."}}. */
    public String json() {
        final StringBuilder sb = new StringBuilder(64 + getMessage().length());
        sb.append("{\"code\":").append(code).append(",\"msg\":");
        JsonOut.quote(sb, getMessage());
        return sb.append('}').toString();
    }

    /** An engine rejection: HTTP 400 with the engine's code (Binance's where Binance has one) and message. */
    public static ApiError of(RejectCode r) {
        return new ApiError(400, r.code(), r.message());
    }

    // ---------------------------------------------------------------------------------------- Binance's own

    public static ApiError unknown(String why) {
        return new ApiError(500, -1000, "An unknown error occurred while processing the request. [" + why + "]");
    }

    public static ApiError tooManyRequests(String why) {
        return new ApiError(429, -1003, why);
    }

    public static ApiError tooManyQueued() {
        return new ApiError(503, -1003, "Too many requests queued.");
    }

    public static ApiError unsupported(String method, String path) {
        return new ApiError(404, -1020, "This operation is not supported: " + method + " " + path);
    }

    public static ApiError timestampAhead() {
        return new ApiError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
    }

    public static ApiError timestampOutside() {
        return new ApiError(400, -1021, "Timestamp for this request is outside of the recvWindow.");
    }

    public static ApiError badSignature() {
        return new ApiError(400, -1022, "Signature for this request is not valid.");
    }

    public static ApiError illegalChars(String param, String legal) {
        return new ApiError(400, -1100,
            "Illegal characters found in parameter '" + param + "'; legal range is '" + legal + "'.");
    }

    public static ApiError duplicate(String param) {
        return new ApiError(400, -1101, "Duplicate values for a parameter detected: '" + param + "'.");
    }

    public static ApiError tooManyParameters(int max) {
        return new ApiError(400, -1101, "Too many parameters; expected at most " + max + ".");
    }

    public static ApiError mandatory(String param) {
        return new ApiError(400, -1102, "Mandatory parameter '" + param + "' was not sent, was empty/null, or malformed.");
    }

    public static ApiError notRequired(String param) {
        return new ApiError(400, -1106, "Parameter '" + param + "' sent when not required.");
    }

    public static ApiError precision(String param) {
        return new ApiError(400, -1111, "Precision is over the maximum defined for this asset: '" + param + "'.");
    }

    public static ApiError badInterval() {
        return new ApiError(400, -1120, "Invalid interval.");
    }

    public static ApiError badSymbol() {
        return new ApiError(400, -1121, "Invalid symbol.");
    }

    public static ApiError badListenKey() {
        return new ApiError(400, -1125, "This listenKey does not exist.");
    }

    public static ApiError invalidParameter(String param) {
        return new ApiError(400, -1130, "Data sent for parameter '" + param + "' is not valid.");
    }

    public static ApiError invalidTif() {
        return new ApiError(400, -1115, "Invalid timeInForce.");
    }

    public static ApiError invalidType() {
        return new ApiError(400, -1116, "Invalid orderType.");
    }

    public static ApiError invalidSide() {
        return new ApiError(400, -1117, "Invalid side.");
    }

    public static ApiError noSuchOrder() {
        return new ApiError(400, -2013, "Order does not exist.");
    }

    public static ApiError keyFormat() {
        return new ApiError(401, -2014, "API-key format invalid.");
    }

    public static ApiError rejectedKey() {
        return new ApiError(401, -2015, "Invalid API-key, IP, or permissions for action.");
    }

    public static ApiError clientOrderId() {
        return new ApiError(400, -4015, "Client order id is not valid.");
    }

    /** closePosition on a type other than STOP_MARKET and TAKE_PROFIT_MARKET (Binance's -4136 and its message). */
    public static ApiError closePositionType(String type) {
        return new ApiError(400, -4136, "Target strategy invalid for orderType " + type + ",closePosition true");
    }

    public static ApiError positionSide() {
        return new ApiError(400, -4061, "Order's position side does not match user's setting.");
    }

    public static ApiError tooLarge(int maxBytes) {
        return new ApiError(413, -1130, "Data sent is too large: at most " + maxBytes + " bytes.");
    }
}
