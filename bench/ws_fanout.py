#!/usr/bin/env python3
"""WebSocket fan-out latency of `corerecon serve`: connects N stream clients (spread over worker processes, each an
asyncio loop with raw sockets), posts alerts through the webhook, and measures for every client how long each
alert took from the POST to its arrival.

    bench/ws_fanout.py --port 8080 --clients 20000 --token VIEWER_KEY --ingest-key INGEST_KEY [--alerts 20]
"""
import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import socket
import statistics
import struct
import time
import urllib.request


async def client(port, token, ready, results, stop):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (f"GET /api/v1/stream?channels=alerts HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
         f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
         f"Authorization: Bearer {token}\r\n\r\n").encode())
    await writer.drain()
    status = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in status.split(b"\r\n")[0]:
        raise RuntimeError(status.decode(errors="replace"))
    ready()
    try:
        while not stop.is_set():
            head = await reader.readexactly(2)
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", await reader.readexactly(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", await reader.readexactly(8))[0]
            payload = await reader.readexactly(length)
            now = time.time()
            if opcode == 1:
                # Cheaper than parsing the JSON: the clients share the cores with the server.
                start = payload.find(b'"title":"bench-')
                if start >= 0:
                    start += len(b'"title":"bench-')
                    results.append(now - float(payload[start:payload.index(b'"', start)]))
            elif opcode == 9:  # ping: answer with a masked pong
                mask = os.urandom(4)
                writer.write(bytes([0x8A, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
            elif opcode == 8:
                return
    except (asyncio.IncompleteReadError, ConnectionResetError):
        return


def worker(port, token, count, connected, done, queue, expected):
    async def main():
        results = []
        stop = asyncio.Event()
        counted = 0

        def ready():
            nonlocal counted
            counted += 1
            with connected.get_lock():
                connected.value += 1

        tasks = []
        for i in range(count):
            tasks.append(asyncio.create_task(client(port, token, ready, results, stop)))
            if i % 200 == 199:
                await asyncio.sleep(0.05)
        while len(results) < expected * count and not done.is_set():
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        stop.set()
        for task in tasks:
            task.cancel()
        queue.put(results)

    asyncio.run(main())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=20000)
    parser.add_argument("--token", required=True)
    parser.add_argument("--ingest-key", required=True)
    parser.add_argument("--alerts", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    connected = multiprocessing.Value("i", 0)
    done = multiprocessing.Event()
    queue = multiprocessing.Queue()
    per = args.clients // args.workers
    workers = [multiprocessing.Process(target=worker, args=(args.port, args.token, per, connected, done, queue, args.alerts))
               for _ in range(args.workers)]
    for process in workers:
        process.start()
    started = time.time()
    while connected.value < per * args.workers and time.time() - started < 300:
        time.sleep(0.2)
    print(f"connected {connected.value} clients in {time.time() - started:.1f} s", flush=True)
    time.sleep(1)
    for i in range(args.alerts):
        sent = time.time()
        body = json.dumps({"title": f"bench-{sent:.6f}", "severity": "high", "host": f"bench-{i}",
                           "id": f"bench-{sent:.6f}"}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{args.port}/api/v1/webhooks/generic", data=body, method="POST",
                                         headers={"Authorization": f"Bearer {args.ingest_key}",
                                                  "Content-Type": "application/json"})
        urllib.request.urlopen(request).read()
        time.sleep(0.5)
    time.sleep(5)
    done.set()
    latencies = []
    for _ in workers:
        latencies += queue.get()
    for process in workers:
        process.join()
    latencies.sort()
    if not latencies:
        print("no events received")
        return
    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
    print(f"deliveries: {len(latencies)} of {args.alerts * per * args.workers} "
          f"(alerts x clients); latency from POST: p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, "
          f"max {latencies[-1] * 1000:.1f} ms", flush=True)


if __name__ == "__main__":
    main()
