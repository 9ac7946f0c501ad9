// Conditional orders through an unmodified ccxt (binanceusdm, which sends them to Binance's algo API,
// /fapi/v1/algoOrder): a stop-loss and a take-profit placed, listed, fetched and cancelled, then a stop with a
// trigger price that fires when another trader's sell moves the last price through it, and fills; seen through
// fetchOrder (the algo order FINISHED, the order it became FILLED), fetchMyTrades, fetchPositions and watchOrders.
// Usage: node stops.mjs API_BASE ADMIN_BASE ADMIN_TOKEN. Prints "STEP name {json}" lines and "BOT OK"; the JUnit
// test CcxtBotTest runs it and asserts on them.
import { SYMBOL, step, fail, check, adminClient, exchange, within, watchInto } from './perpcore.mjs';

const [apiBase, adminBase, adminToken] = process.argv.slice(2);
if (!apiBase || !adminBase) {
  console.log('BOT FAIL usage: node stops.mjs API_BASE ADMIN_BASE ADMIN_TOKEN');
  process.exit(2);
}
const admin = adminClient(adminBase, adminToken);
const created = await admin.post('/admin/accounts', { account: 'ccxtstops', deposit: '10000' });
const ex = exchange(apiBase, created.apiKey, created.secret);
await ex.loadHttpProxyAgent(); // ccxt's own switch for plain ws:// (non-TLS) URLs such as a loopback gateway

// ccxt unifies STOP_MARKET and TAKE_PROFIT_MARKET to type 'market' (with a triggerPrice): the exchange's own type
// is in its info, orderType in algo answers, type in order answers
const brief = (o) => ({ id: o.id, status: o.status, type: o.type, side: o.side, triggerPrice: o.triggerPrice,
  amount: o.amount, filled: o.filled, average: o.average, reduceOnly: o.reduceOnly,
  exchangeType: o.info.orderType ?? o.info.type ?? o.info.o });

try {
  await ex.loadMarkets();
  const buy = await ex.createOrder(SYMBOL, 'market', 'buy', 0.1, undefined, { newOrderRespType: 'RESULT' });
  step('long', brief(buy));

  // a stop-loss and a take-profit on the long: placed, listed, fetched, cancelled
  const sl = await ex.createOrder(SYMBOL, 'market', 'sell', 0.1, undefined, { stopLossPrice: 99000, reduceOnly: true });
  step('stopLoss', brief(sl));
  const tp = await ex.createOrder(SYMBOL, 'market', 'sell', 0.1, undefined, { takeProfitPrice: 105000, reduceOnly: true });
  step('takeProfit', brief(tp));
  const open = await ex.fetchOpenOrders(SYMBOL, undefined, undefined, { trigger: true });
  step('openTriggerOrders', { ids: open.map((o) => o.id), types: open.map((o) => o.info.orderType) });
  check(open.some((o) => o.id === sl.id) && open.some((o) => o.id === tp.id), 'both are open');
  step('fetchStopLoss', brief(await ex.fetchOrder(sl.id, SYMBOL, { trigger: true })));
  const canceledSl = await ex.cancelOrder(sl.id, SYMBOL, { trigger: true });
  step('cancelStopLoss', { id: canceledSl.id, code: canceledSl.info.code, msg: canceledSl.info.msg });
  const canceledTp = await ex.cancelOrder(tp.id, SYMBOL, { trigger: true });
  step('cancelTakeProfit', { id: canceledTp.id, code: canceledTp.info.code, msg: canceledTp.info.msg });
  step('fetchStopLossAfterCancel', brief(await ex.fetchOrder(sl.id, SYMBOL, { trigger: true })));
  step('openTriggerOrdersAfterCancel', {
    count: (await ex.fetchOpenOrders(SYMBOL, undefined, undefined, { trigger: true })).length });
  try {
    await ex.cancelOrder(sl.id, SYMBOL, { trigger: true });
    fail('a second cancel did not raise');
  } catch (e) {
    step('cancelAgain', { error: e.constructor.name });
  }

  // the stream of own orders, to see the stop fire and fill there too
  const seen = [];
  const stopWatching = watchInto('watchOrders', () => ex.watchOrders(SYMBOL), seen);
  await new Promise((res) => setTimeout(res, 500)); // let the socket subscribe

  // a stop with a trigger price just below the last price (100,100): another trader's sell trades at the bid
  // (99,900), which reaches it; it fires and sells the long into the same bid
  const stop = await ex.createOrder(SYMBOL, 'market', 'sell', 0.1, undefined, { triggerPrice: 99900, reduceOnly: true });
  step('triggerStop', brief(stop));
  const moved = await admin.commands(['deposit mover 100000', 'order mover BTCUSDT sell market 0.5']);
  const fired = moved.events.filter((e) => e.type === 'ORDER' && e.status === 'TRIGGERED').map((e) => String(e.orderId));
  step('priceMoved', { triggered: fired, stopFired: fired.includes(stop.id) });
  const algoOrder = await ex.fetchOrder(stop.id, SYMBOL, { trigger: true });
  step('fetchFiredStop', { ...brief(algoOrder), algoStatus: algoOrder.info.algoStatus,
    actualOrderId: algoOrder.info.actualOrderId });
  const became = await ex.fetchOrder(algoOrder.info.actualOrderId, SYMBOL);
  step('fetchFilledOrder', { ...brief(became), origType: became.info.origType });
  const trades = await ex.fetchMyTrades(SYMBOL);
  const own = trades.filter((tr) => tr.order === algoOrder.info.actualOrderId);
  step('fetchMyTrades', { count: own.length, side: own.length ? own[0].side : null,
    price: own.length ? own[0].price : null, amount: own.length ? own[0].amount : null });
  const streamed = await within(5000, 'the stop fill on watchOrders', async () =>
    seen.find((o) => o.id === stop.id && o.status === 'closed' && o.filled > 0));
  step('watchOrdersStopFill', brief(streamed));
  const positions = await ex.fetchPositions([SYMBOL]);
  const position = positions.find((p) => p.symbol === SYMBOL);
  step('fetchPositionsAfter', { contracts: position ? position.contracts : 0 });
  stopWatching();
  console.log('BOT OK');
} catch (e) {
  fail(e.constructor.name + ': ' + e.message);
} finally {
  await ex.close();
}
process.exit(0);
