// A client of inetkit's WebSocket echo written with Node's ws, the most used WebSocket library on npm and
// one no one here wrote: each check prints one JSON line, {"check": NAME, ...the facts...}, for
// WebSocketInteropIT to judge.
//
//     node ws_client.js ws://127.0.0.1:PORT/PATH MAX_MESSAGE
'use strict';
const WebSocket = require('ws');
const crypto = require('crypto');

const [uri, maxText] = process.argv.slice(2);
const max = Number(maxText);
const say = (check, facts) => console.log(JSON.stringify({ check, ...facts }));

function open(options) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(uri, options);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const next = (ws) => new Promise((resolve) => ws.once('message', (data, isBinary) => resolve({ data, isBinary })));
const closed = (ws) => new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

async function main() {
  const ws = await open({ perMessageDeflate: true });
  say('deflate', { extensions: ws.extensions });
  ws.send('héllo, wörld');
  let m = await next(ws);
  say('text', { equal: !m.isBinary && m.data.toString('utf8') === 'héllo, wörld', binary: m.isBinary });
  const data = crypto.randomBytes(max / 2);
  ws.send(data);
  m = await next(ws);
  say('binary', { equal: m.isBinary && Buffer.compare(m.data, data) === 0, binary: m.isBinary, size: m.data.length });
  ws.send('frag', { fin: false });
  ws.send('mented ', { fin: false });
  ws.send('message', { fin: true });
  m = await next(ws);
  say('fragmented', { equal: m.data.toString('utf8') === 'fragmented message' });
  const pong = new Promise((resolve) => ws.once('pong', (payload) => resolve(payload.toString())));
  ws.ping('are you there');
  say('ping', { answered: (await pong) === 'are you there' });
  const end = closed(ws);
  ws.close(4000, 'bye');
  say('close', await end);

  const big = await open({ perMessageDeflate: false });
  const bigEnd = closed(big);
  big.send(Buffer.alloc(max + 1, 120));
  say('too-big', { code: (await bigEnd).code });
}

main().catch((e) => {
  console.error(`ws_client: ${e.message}`);
  process.exit(1);
});
