package org.perpcore.core.event;

import org.agrona.DirectBuffer;
import org.perpcore.core.command.Name;
import org.perpcore.core.model.AccountReason;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.InsuranceCause;
import org.perpcore.core.model.LiquidationStage;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.model.WorkingType;

/**
 * One decoded event, reused from event to event. Only the fields of the decoded {@link #type} are meaningful.
 * Reads what {@link EventBuffer} writes, in the same field order.
 */
public final class EventView {
    public EventType type;

    public int account;
    public int market;
    public long orderId;
    public final Name name = new Name();
    public final Name symbol = new Name();
    public final Name clientId = new Name();

    public Side side;
    public OrderType orderType;
    public TimeInForce timeInForce;
    public OrderStatus status;
    public ExecType execType;
    public ExpireReason expireReason;
    public boolean reduceOnly;
    public StpMode stpMode;
    public long priceE8;
    public long origQtyE8;
    public long executedQtyE8;
    public long cumQuoteE8;
    public long lastQtyE8;
    public long lastPriceE8;
    public long lastFeeE8;
    public RejectCode reject;
    /** ORDER of a conditional order: the tail fields below are present. */
    public boolean conditional;
    public WorkingType workingType;
    public boolean closePosition;
    public boolean priceProtect;
    public long stopPriceE8;
    public long activationPriceE8;
    public long callbackRateE8;
    public long triggerPriceE8;

    public long tradeId;
    public long qtyE8;
    public int buyer;
    public int seller;
    public long buyOrderId;
    public long sellOrderId;
    public Side makerSide;
    public long buyerFeeE8;
    public long sellerFeeE8;

    public AccountReason accountReason;
    public long walletE8;
    public long marginBalanceE8;
    public long maintMarginE8;
    public long availableE8;
    public long changeE8;

    public final long[] marketParams = new long[MarketParam.COUNT];

    public CommandType command;

    public long markE8;
    public long indexE8;
    public long fundingRateE8;
    public long nextFundingTimeMs;
    public long amountE8;
    public long costE8;
    public long unrealizedPnlE8;
    public long liquidationPriceE8;
    public long notionalE8;
    public boolean isolated;
    public long isolatedMarginE8;
    public int leverage;
    public int adlQuantile;
    public long realizedPnlE8;
    public int tier;
    public long floorE8;
    public long mmrE8;
    public long cumE8;
    public long bankruptcyPriceE8;
    public LiquidationStage stage;
    public boolean full;
    public long feeE8;
    public int fundAccount;
    public long balanceE8;
    public InsuranceCause cause;
    public int counterparty;
    public long uncoveredE8;
    public boolean resumed;
    public long moveE8;
    public long untilMs;
    public long stateHash;
    public int marketCount;
    public int accountCount;
    public int openOrderCount;

    private DirectBuffer buffer;
    private int position;

    /**
     * Decodes the event at {@code offset}.
     *
     * @return the event's length in bytes, or -1 when the bytes are not an event of a known type and version
     */
    public int decode(DirectBuffer src, int offset) {
        this.buffer = src;
        final int length = src.getInt(offset);
        final EventType t = EventType.fromCode(src.getByte(offset + 4));
        if (t == null || src.getByte(offset + 5) != EventBuffer.VERSION || length < EventBuffer.HEADER) {
            type = null;
            return -1;
        }
        type = t;
        position = offset + EventBuffer.HEADER;
        switch (t) {
            case MARKET -> {
                market = getInt();
                getName(symbol);
                final int n = getByte();
                for (int i = 0; i < n; i++) {
                    final long v = getLong();
                    if (i < MarketParam.COUNT) {
                        marketParams[i] = v;
                    }
                }
            }
            case ACCOUNT_CREATED -> {
                account = getInt();
                getName(name);
            }
            case ACCOUNT -> {
                account = getInt();
                accountReason = AccountReason.fromCode(getByte());
                walletE8 = getLong();
                marginBalanceE8 = getLong();
                maintMarginE8 = getLong();
                availableE8 = getLong();
                changeE8 = getLong();
            }
            case ORDER -> {
                account = getInt();
                market = getInt();
                orderId = getLong();
                side = Side.fromCode(getByte());
                orderType = OrderType.fromCode(getByte());
                timeInForce = TimeInForce.fromCode(getByte());
                status = OrderStatus.fromCode(getByte());
                execType = ExecType.fromCode(getByte());
                expireReason = ExpireReason.fromCode(getByte());
                reduceOnly = getByte() != 0;
                stpMode = StpMode.fromCode(getByte());
                priceE8 = getLong();
                origQtyE8 = getLong();
                executedQtyE8 = getLong();
                cumQuoteE8 = getLong();
                lastQtyE8 = getLong();
                lastPriceE8 = getLong();
                lastFeeE8 = getLong();
                reject = RejectCode.fromCode(getInt());
                getName(clientId);
                conditional = position + EventBuffer.CONDITIONAL_TAIL <= offset + length;
                if (conditional) {
                    workingType = WorkingType.fromCode(getByte());
                    final int flags = getByte();
                    closePosition = (flags & 1) != 0;
                    priceProtect = (flags & 2) != 0;
                    stopPriceE8 = getLong();
                    activationPriceE8 = getLong();
                    callbackRateE8 = getLong();
                    triggerPriceE8 = getLong();
                } else {
                    workingType = null;
                    closePosition = false;
                    priceProtect = false;
                    stopPriceE8 = 0;
                    activationPriceE8 = 0;
                    callbackRateE8 = 0;
                    triggerPriceE8 = 0;
                }
            }
            case TRADE -> {
                market = getInt();
                tradeId = getLong();
                priceE8 = getLong();
                qtyE8 = getLong();
                buyer = getInt();
                seller = getInt();
                buyOrderId = getLong();
                sellOrderId = getLong();
                makerSide = Side.fromCode(getByte());
                buyerFeeE8 = getLong();
                sellerFeeE8 = getLong();
            }
            case REJECT -> {
                command = CommandType.fromCode(getByte());
                reject = RejectCode.fromCode(getInt());
                orderId = getLong();
                getName(name);
                getName(symbol);
                getName(clientId);
            }
            case MARK -> {
                market = getInt();
                markE8 = getLong();
                indexE8 = getLong();
                fundingRateE8 = getLong();
                nextFundingTimeMs = getLong();
            }
            case FUNDING -> {
                market = getInt();
                account = getInt();
                fundingRateE8 = getLong();
                markE8 = getLong();
                amountE8 = getLong();
            }
            case POSITION -> {
                account = getInt();
                market = getInt();
                accountReason = AccountReason.fromCode(getByte());
                qtyE8 = getLong();
                costE8 = getLong();
                markE8 = getLong();
                unrealizedPnlE8 = getLong();
                liquidationPriceE8 = getLong();
                notionalE8 = getLong();
                isolatedMarginE8 = getLong();
                maintMarginE8 = getLong();
                realizedPnlE8 = getLong();
                isolated = getByte() != 0;
                leverage = getInt();
                adlQuantile = getByte();
            }
            case BRACKET -> {
                market = getInt();
                tier = getInt();
                floorE8 = getLong();
                mmrE8 = getLong();
                cumE8 = getLong();
                leverage = getInt();
            }
            case LIQUIDATION -> {
                account = getInt();
                market = getInt();
                side = Side.fromCode(getByte());
                qtyE8 = getLong();
                priceE8 = getLong();
                bankruptcyPriceE8 = getLong();
                markE8 = getLong();
                stage = LiquidationStage.fromCode(getByte());
                full = getByte() != 0;
                feeE8 = getLong();
            }
            case INSURANCE -> {
                market = getInt();
                fundAccount = getInt();
                balanceE8 = getLong();
                changeE8 = getLong();
                cause = InsuranceCause.fromCode(getByte());
                account = getInt();
            }
            case ADL -> {
                account = getInt();
                counterparty = getInt();
                market = getInt();
                side = Side.fromCode(getByte());
                qtyE8 = getLong();
                priceE8 = getLong();
            }
            case BAD_DEBT -> {
                account = getInt();
                market = getInt();
                amountE8 = getLong();
                uncoveredE8 = getLong();
            }
            case HALT -> {
                market = getInt();
                resumed = getByte() != 0;
                moveE8 = getLong();
                untilMs = getLong();
            }
            case STATE -> {
                stateHash = getLong();
                marketCount = getInt();
                accountCount = getInt();
                openOrderCount = getInt();
            }
            case MARGIN_CALL -> {
                account = getInt();
                market = getInt();
                marginBalanceE8 = getLong();
                maintMarginE8 = getLong();
            }
            default -> {
                type = null;
                return -1;
            }
        }
        return length;
    }

    private int getByte() {
        return buffer.getByte(position++);
    }

    private int getInt() {
        final int v = buffer.getInt(position);
        position += 4;
        return v;
    }

    private long getLong() {
        final long v = buffer.getLong(position);
        position += 8;
        return v;
    }

    private void getName(Name into) {
        final int len = buffer.getByte(position) & 0xff;
        into.set(buffer, position + 1, Math.min(len, Name.CAPACITY));
        position += 1 + len;
    }
}
