"""An echo server on Python's websockets (asyncio), a peer no one here wrote: for inetkit's client and load
generator in WebSocketInteropIT, and for bench/ws.sh. Prints its port on stdout once it listens.

usage: websockets_server.py [PORT [MAX_MESSAGE [deflate|plain]]]   (PORT 0: any free one)
"""
import asyncio
import sys

import websockets


async def echo(ws, path=None):
    # each message back as a message of the same type (str or bytes), as the echo protocol asks
    async for message in ws:
        await ws.send(message)


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    max_size = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
    compression = None if len(sys.argv) > 3 and sys.argv[3] == "plain" else "deflate"
    async with websockets.serve(echo, "127.0.0.1", port, max_size=max_size, compression=compression) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
