// An echo server on Node's ws, the most used WebSocket server library, a peer no one here wrote: for inetkit's
// client and load generator in WebSocketInteropIT, and for bench/ws.sh. Prints its port on stdout once it listens.
//
// usage: node ws_server.js [PORT [MAX_MESSAGE [deflate|plain]]]   (PORT 0: any free one; ws's default is plain)
'use strict';
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 0);
const maxPayload = Number(process.argv[3] || 1 << 20);
const perMessageDeflate = process.argv[4] === 'deflate';
const wss = new WebSocketServer({ host: '127.0.0.1', port, maxPayload, perMessageDeflate });
wss.on('connection', (ws) => {
  // each message back as a message of the same type
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
wss.on('listening', () => console.log(wss.address().port));
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
