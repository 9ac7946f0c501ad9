package org.perpcore.cluster;

/**
 * The messages between a front door (the gateway's {@link ClusterBus}) and the clustered engine
 * ({@link EngineService}), little-endian, each starting with a type byte and a version byte. No Java serialization.
 *
 * <pre>
 * ingress (client → cluster log)
 *   COMMAND  u8 1 | u8 version | i64 gatewayId | i64 requestId | CommandCodec bytes
 *   RESEND   u8 2 | u8 version | i64 gatewayId | i64 requestId | i64 fromSeq
 *
 * egress (leader → client sessions)
 *   EVENTS        u8 1 | u8 version | u8 flags | i64 seq | i64 timestampMs | u8 commandType | i64 gatewayId
 *                 | i64 requestId | i32 eventCount | i32 length | events (EventBuffer format)
 *   RESEND_BEGIN  u8 2 | u8 version | i64 requestId | i64 firstSeq | i64 lastSeq
 *   RESEND_END    u8 3 | u8 version | i64 requestId | i64 lastSeq
 * </pre>
 *
 * <p>Every command the engine applies is broadcast as EVENTS to every connected session (each gateway keeps its
 * read model from all of them) and carries the gateway id and request id of the session that sent it, so that
 * gateway can answer its request. A RESEND asks for the EVENTS of every command from {@code fromSeq} up to the
 * RESEND's own place in the log, from the leader's history of recent events: a gateway sends one after every
 * leader change or gap, then knows which of its requests the cluster applied (their answers are in the resend)
 * and which it never will (offered before the RESEND, absent from it), and offers only those again. RESEND_BEGIN
 * says which seq the resend starts at: later than asked when the history no longer reaches back that far.
 */
public final class ClusterProtocol {
    public static final byte VERSION = 1;

    public static final byte COMMAND = 1;
    public static final byte RESEND = 2;

    public static final byte EVENTS = 1;
    public static final byte RESEND_BEGIN = 2;
    public static final byte RESEND_END = 3;

    /** EVENTS flag: sent as part of a resend (not live). */
    public static final int FLAG_REPLAY = 1;

    // ingress
    public static final int IN_GATEWAY_ID = 2;
    public static final int IN_REQUEST_ID = 10;
    public static final int IN_BODY = 18;
    public static final int RESEND_LENGTH = IN_BODY + 8;

    // egress EVENTS
    public static final int EV_FLAGS = 2;
    public static final int EV_SEQ = 3;
    public static final int EV_TIMESTAMP = 11;
    public static final int EV_COMMAND_TYPE = 19;
    public static final int EV_GATEWAY_ID = 20;
    public static final int EV_REQUEST_ID = 28;
    public static final int EV_EVENT_COUNT = 36;
    public static final int EV_LENGTH = 40;
    public static final int EV_EVENTS = 44;

    // egress RESEND_BEGIN / RESEND_END
    public static final int RS_REQUEST_ID = 2;
    public static final int RS_FIRST_SEQ = 10;
    public static final int RS_BEGIN_LAST_SEQ = 18;
    public static final int RS_BEGIN_LENGTH = 26;
    public static final int RS_END_LAST_SEQ = 10;
    public static final int RS_END_LENGTH = 18;

    private ClusterProtocol() {
    }
}
