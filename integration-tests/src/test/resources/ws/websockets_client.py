"""A client of inetkit's WebSocket echo written with Python's websockets (asyncio), a library no one here
wrote: each check prints one JSON line, {"check": NAME, ...the facts...}, for WebSocketInteropIT to judge.

    python3 websockets_client.py ws://127.0.0.1:PORT/PATH MAX_MESSAGE
"""
import asyncio
import json
import os
import sys

import websockets


def say(check, **facts):
    print(json.dumps({"check": check, **facts}), flush=True)


async def main(uri, max_message):
    # websockets offers permessage-deflate by default: the echo must come back through it
    async with websockets.connect(uri, max_size=None) as ws:
        say("deflate", extensions=[e.name for e in ws.extensions])
        await ws.send("héllo, wörld")
        got = await ws.recv()
        say("text", equal=got == "héllo, wörld", type=type(got).__name__)
        data = os.urandom(max_message // 2)
        await ws.send(data)
        got = await ws.recv()
        say("binary", equal=got == data, type=type(got).__name__, size=len(got))
        await ws.send(["frag", "mented ", "message"])  # an iterable: one message in three fragments
        got = await ws.recv()
        say("fragmented", equal=got == "fragmented message")
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 10)
        say("ping", answered=True)
        await ws.close(code=4000, reason="bye")
        say("close", code=ws.close_code, reason=ws.close_reason)
    # a message over the server's limit: closed with 1009
    async with websockets.connect(uri, max_size=None, compression=None) as ws:
        await ws.send(b"x" * (max_message + 1))
        try:
            await asyncio.wait_for(ws.recv(), 10)
            say("too-big", code=None)
        except websockets.ConnectionClosed:
            say("too-big", code=ws.close_code)


asyncio.run(main(sys.argv[1], int(sys.argv[2])))
