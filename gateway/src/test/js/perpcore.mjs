// Helpers shared by the ccxt scripts that drive Perpcore's gateway (bot.mjs, stops.mjs): the admin API, a ccxt
// binanceusdm whose every URL points at the gateway on loopback, and the "STEP name {json}" output the JUnit tests
// assert on.
import ccxt from 'ccxt';

export const SYMBOL = 'BTC/USDT:USDT';

export const step = (name, data) => console.log('STEP ' + name + ' ' + JSON.stringify(data ?? {}));

export const fail = (why) => { console.log('BOT FAIL ' + why); process.exit(1); };

export const check = (cond, why) => { if (!cond) { fail(why); } };

export function adminClient(adminBase, adminToken) {
  return {
    async post(path, body) {
      const res = await fetch(adminBase + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Authorization': 'Bearer ' + adminToken, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json();
      if (res.status !== 200) {
        fail('admin ' + path + ' answered ' + res.status + ' ' + JSON.stringify(json));
      }
      return json;
    },
    async commands(lines) {
      const res = await fetch(adminBase + '/admin/commands', {
        method: 'POST',
        headers: { 'Authorization': 'Bearer ' + adminToken, 'Content-Type': 'text/plain' },
        body: lines.join('\n'),
      });
      const json = await res.json();
      if (res.status !== 200) {
        fail('admin commands answered ' + res.status + ' ' + JSON.stringify(json));
      }
      return json;
    },
  };
}

export function exchange(apiBase, apiKey, secret) {
  const ex = new ccxt.pro.binanceusdm({
    apiKey,
    secret,
    enableRateLimit: false,
    options: {
      fetchCurrencies: false,             // a sapi (spot wallet) call: not a futures endpoint
      fetchMarkets: { types: ['linear'] },
      adjustForTimeDifference: false,
      recvWindow: 10000,
    },
  });
  for (const [k, v] of [['fapiPublic', 'v1'], ['fapiPublicV2', 'v2'], ['fapiPublicV3', 'v3'],
    ['fapiPrivate', 'v1'], ['fapiPrivateV2', 'v2'], ['fapiPrivateV3', 'v3']]) {
    ex.urls.api[k] = apiBase + '/fapi/' + v;
  }
  ex.urls.api.ws.future = apiBase.replace('http://', 'ws://') + '/ws';
  // nothing may leave the machine: every URL ccxt could use for this bot points at the gateway
  for (const [k, v] of Object.entries(ex.urls.api)) {
    if (typeof v === 'string' && !v.startsWith(apiBase) && !v.startsWith(apiBase.replace('http://', 'ws://'))) {
      ex.urls.api[k] = apiBase + '/unused/' + k;
    }
  }
  return ex;
}

/**
 * Keeps calling a ccxt watcher (watchOrders, watchLiquidations, ...) and pushes what it yields into {@code sink},
 * until the returned function is called; an error is reported as step {@code name + 'Error'} and the watch resumed.
 */
export function watchInto(name, watch, sink) {
  let watching = true;
  (async () => {
    while (watching) {
      try {
        for (const item of await watch()) {
          sink.push(item);
        }
      } catch (e) {
        if (watching) {
          step(name + 'Error', { error: e.constructor.name, message: e.message });
        }
        await new Promise((res) => setTimeout(res, 200));
      }
    }
  })();
  return () => { watching = false; };
}

export async function within(ms, what, fn) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const r = await fn();
    if (r) {
      return r;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  fail('timed out waiting for ' + what);
}
