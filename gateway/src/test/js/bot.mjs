// A trading bot that drives Perpcore's Binance USDⓈ-M gateway through an unmodified ccxt (binanceusdm, REST and
// WebSocket), and proves the liquidation of its own position. Only the base URLs change: every call goes to the
// gateway on loopback. Usage: node bot.mjs API_BASE ADMIN_BASE ADMIN_TOKEN
// Prints one line per step ("STEP name {json}") and "BOT OK" at the end; any failure prints "BOT FAIL why" and
// exits 1. The JUnit test CcxtBotTest runs it and asserts on these lines.
import { SYMBOL, step, fail, check, adminClient, exchange as gatewayExchange, within, watchInto } from './perpcore.mjs';

const [apiBase, adminBase, adminToken] = process.argv.slice(2);
if (!apiBase || !adminBase) {
  console.log('BOT FAIL usage: node bot.mjs API_BASE ADMIN_BASE ADMIN_TOKEN');
  process.exit(2);
}
const adminApi = adminClient(adminBase, adminToken);
const admin = (path, body) => adminApi.post(path, body);
const adminCommands = (lines) => adminApi.commands(lines);
const exchange = (apiKey, secret) => gatewayExchange(apiBase, apiKey, secret);

const created = await admin('/admin/accounts', { account: 'ccxtbot', deposit: '1000' });
step('admin-account', { account: created.account, events: created.events.map((e) => e.type) });
const ex = exchange(created.apiKey, created.secret);
await ex.loadHttpProxyAgent(); // ccxt's own switch for plain ws:// (non-TLS) URLs such as a loopback gateway

try {
  const markets = await ex.loadMarkets();
  check(SYMBOL in markets, 'loadMarkets has no ' + SYMBOL);
  const m = markets[SYMBOL];
  step('loadMarkets', { symbols: Object.keys(markets), tick: m.precision.price, step: m.precision.amount,
    minQty: m.limits.amount.min, swap: m.swap, linear: m.linear });

  const lev = await ex.setLeverage(50, SYMBOL);
  step('setLeverage', lev);
  step('setMarginMode', { isolated: (await ex.setMarginMode('isolated', SYMBOL)).msg });
  step('setMarginMode', { cross: (await ex.setMarginMode('cross', SYMBOL)).msg });
  try {
    await ex.setMarginMode('cross', SYMBOL);
    fail('setting cross twice did not raise');
  } catch (e) {
    step('setMarginModeAgain', { error: e.constructor.name });
  }

  const bal = await ex.fetchBalance();
  step('fetchBalance', { total: bal.USDT.total, free: bal.USDT.free });

  const resting = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 95000, { timeInForce: 'GTX' });
  step('createOrder', { id: resting.id, status: resting.status, clientOrderId: resting.clientOrderId });
  const fetched = await ex.fetchOrder(resting.id, SYMBOL);
  step('fetchOrder', { id: fetched.id, status: fetched.status, price: fetched.price, amount: fetched.amount });
  const open = await ex.fetchOpenOrders(SYMBOL);
  step('fetchOpenOrders', { ids: open.map((o) => o.id) });
  const canceled = await ex.cancelOrder(resting.id, SYMBOL);
  step('cancelOrder', { id: canceled.id, status: canceled.status });
  step('fetchOrderAfterCancel', { status: (await ex.fetchOrder(resting.id, SYMBOL)).status });
  try {
    await ex.cancelOrder(resting.id, SYMBOL);
    fail('a second cancel did not raise');
  } catch (e) {
    step('cancelAgain', { error: e.constructor.name });
  }
  try {
    await ex.createOrder(SYMBOL, 'market', 'buy', 5);
    fail('an order beyond the margin did not raise');
  } catch (e) {
    // ccxt maps -2019 to InsufficientFunds only for URLs of Binance's futures hosts; on any other base URL it
    // raises its generic ExchangeError with the same code and message
    step('tooBig', { error: e.constructor.name, code: (e.message.match(/"code":(-?\d+)/) || [])[1] });
  }

  // the watchers: own orders (user data stream by listen key) and the market's liquidations (forceOrder)
  const seenOrders = [];
  const seenLiquidations = [];
  const stopOrders = watchInto('watchOrders', () => ex.watchOrders(SYMBOL), seenOrders);
  const stopLiquidations = watchInto('watchLiquidations', () => ex.watchLiquidations(SYMBOL), seenLiquidations);
  await new Promise((res) => setTimeout(res, 500)); // let both sockets subscribe

  const buy = await ex.createOrder(SYMBOL, 'market', 'buy', 0.4, undefined, { newOrderRespType: 'RESULT' });
  step('marketBuy', { id: buy.id, status: buy.status, filled: buy.filled, average: buy.average });
  await within(5000, 'the fill on watchOrders', async () => seenOrders.some((o) => o.id === buy.id && o.status === 'closed'));
  step('watchOrdersFill', { id: buy.id });

  const before = (await ex.fetchPositions([SYMBOL]))[0];
  step('fetchPositions', { contracts: before.contracts, side: before.side, entryPrice: before.entryPrice,
    liquidationPrice: before.liquidationPrice, leverage: before.leverage, marginMode: before.marginMode });
  check(before.contracts === 0.4 && before.side === 'long', 'expected a 0.4 long');
  check(before.liquidationPrice > 90000 && before.liquidationPrice < 100100, 'liquidation price not near: '
    + before.liquidationPrice);

  // the market falls: a buyer quotes below the liquidation price and the index is pushed under it
  const below = Math.floor(before.liquidationPrice - 500);
  await adminCommands(['order maker BTCUSDT buy limit 2 ' + below + ' id=catch']);
  const pushed = await admin('/admin/index', { prices: [{ symbol: 'BTCUSDT', price: String(below - 1000) }] });
  step('adminIndex', { price: below - 1000, events: pushed.events.map((e) => e.type) });

  const liq = await within(10000, 'the liquidation on watchOrders', async () =>
    seenOrders.find((o) => (o.clientOrderId || '').startsWith('autoclose-') || o.type === 'liquidation'));
  step('watchOrdersLiquidation', { clientOrderId: liq.clientOrderId, type: liq.type, side: liq.side,
    status: liq.status, filled: liq.filled });
  const forced = await within(10000, 'the liquidation on watchLiquidations', async () =>
    seenLiquidations.find((l) => l.symbol === SYMBOL));
  step('watchLiquidations', { symbol: forced.symbol, contracts: forced.contracts, price: forced.price,
    side: forced.info.S });

  const after = await ex.fetchPositions([SYMBOL]);
  const position = after.find((p) => p.symbol === SYMBOL);
  step('fetchPositionsAfter', { contracts: position ? position.contracts : 0 });
  check(!position || !position.contracts, 'the position is still open after the liquidation');
  const balAfter = await ex.fetchBalance();
  step('fetchBalanceAfter', { total: balAfter.USDT.total });
  stopOrders();
  stopLiquidations();
  console.log('BOT OK');
} catch (e) {
  fail(e.constructor.name + ': ' + e.message);
} finally {
  await ex.close();
}
process.exit(0);
