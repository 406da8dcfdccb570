"""Drives a headless Chromium over the DevTools protocol (with Python's websockets): opens PAGE in a new tab
and prints the text of its element #out once it is no longer "pending".

    python3 cdp.py USER_DATA_DIR PAGE_URL     (Chromium started with --remote-debugging-port=0 --user-data-dir)
"""
import asyncio
import json
import pathlib
import sys
import time
import urllib.request

import websockets

profile, page = pathlib.Path(sys.argv[1]), sys.argv[2]
deadline = time.monotonic() + 30
while not (profile / "DevToolsActivePort").exists():  # Chromium writes its port there once it listens
    if time.monotonic() > deadline:
        sys.exit("cdp: Chromium did not open its DevTools port")
    time.sleep(0.1)
port = (profile / "DevToolsActivePort").read_text().split()[0]

WAIT = """new Promise(resolve => { const t = setInterval(() => {
  const o = document.getElementById('out');
  if (o && o.textContent !== 'pending') { clearInterval(t); resolve(o.textContent); } }, 50); })"""


async def main():
    target = json.load(urllib.request.urlopen(urllib.request.Request(
        f"http://127.0.0.1:{port}/json/new?{page}", method="PUT"), timeout=10))
    async with websockets.connect(target["webSocketDebuggerUrl"], max_size=None) as cdp:
        # the new tab may still be loading its page, whose navigation cancels an evaluation: ask again until
        # the page's own context answers
        for attempt in range(1, 150):
            await cdp.send(json.dumps({"id": attempt, "method": "Runtime.evaluate",
                                       "params": {"expression": WAIT, "awaitPromise": True, "returnByValue": True}}))
            while True:
                m = json.loads(await asyncio.wait_for(cdp.recv(), 30))
                if m.get("id") == attempt:
                    break
            value = m.get("result", {}).get("result", {}).get("value")
            if isinstance(value, str):
                print(value)
                return
            await asyncio.sleep(0.2)
        sys.exit("cdp: the page never answered: " + json.dumps(m))

asyncio.run(main())
