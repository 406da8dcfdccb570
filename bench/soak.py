#!/usr/bin/env python3
"""The soak benchmark of inetkit server: mixed load and attacks for a bounded time, sampled over time.

Starts the packaged server with a small heap on fixed loopback ports, runs inetkit load against its TCP and
UDP echo for the whole run, and a round of attacks every interval, in turn: slowloris heads, HTTP/2 SETTINGS
and PING floods, a connection churn past nothing, a reader that never reads, and slow HTTP bodies. Every
interval it probes each listener (TCP echo, UDP echo, HTTP, HTTPS, /health) and samples the server: RSS,
open fds, GC pauses, heap and Netty's direct memory. It writes soak.csv, soak.svg (one panel per measure,
over time) and prints a summary. Loopback only; every loop stops at the run's end.

    bench/soak.sh [MINUTES]            (30 by default; soak.sh builds the jars first)
"""
import argparse
import csv
import json
import math
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_JAR = os.path.join(ROOT, "server", "target", "inetkit-server.jar")
CLIENT_JAR = os.path.join(ROOT, "client", "target", "inetkit-client.jar")
HOST = "127.0.0.1"


def log(msg):
    print("# " + msg, file=sys.stderr, flush=True)


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100))]


class Server:
    """The packaged server with the soak's listeners on fixed ports."""

    def __init__(self, base, java):
        self.tcp, self.udp, self.http, self.https, self.admin = base, base, base + 1, base + 2, base + 3
        args = [java, "-Xmx256m", "-XX:MaxDirectMemorySize=256m", "-jar", SERVER_JAR, "server",
                "--tcp", f"{self.tcp}:line", "--udp", str(self.udp), "--http", str(self.http),
                "--https", str(self.https), "--tls", "self-signed", "--admin", f"{HOST}:{self.admin}",
                "--http-header-timeout", "5s", "--max-connections-per-ip", "5000",
                "--udp-rate-per-source", "0", "--log-level", "warn"]
        self.log = open(os.path.join(OUT, "server.log"), "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if self.get("/health")[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"soak: the server exited with {self.proc.returncode}; see {OUT}/server.log")
            time.sleep(0.2)  # polling a process that is starting: nothing to wait on
        raise SystemExit("soak: the server did not answer /health within 60 s")

    def get(self, path):
        with urllib.request.urlopen(f"http://{HOST}:{self.admin}{path}", timeout=5) as r:
            return r.status, r.read().decode()

    def sample(self):
        """RSS, fds, GC and memory of the server process now."""
        status = open(f"/proc/{self.proc.pid}/status").read()
        rss_kib = int(next(l for l in status.splitlines() if l.startswith("VmRSS:")).split()[1])
        fds = len(os.listdir(f"/proc/{self.proc.pid}/fd"))
        metrics, heap, direct = {}, 0.0, 0.0
        for line in self.get("/metrics")[1].splitlines():
            if not line or line.startswith("#"):
                continue
            name, value = line.split("{")[0].split(" ")[0], float(line.rsplit(" ", 1)[1])
            metrics[name] = metrics.get(name, 0.0) + value
            if name == "jvm_memory_used_bytes" and 'area="heap"' in line:
                heap += value
            if name == "netty_allocator_memory_used" and 'memory_type="direct"' in line:
                direct += value
        return {"rss_mib": rss_kib / 1024, "fds": fds, "heap_mib": heap / 2 ** 20,
                "netty_direct_mib": direct / 2 ** 20, "gc_pause_s": metrics.get("jvm_gc_pause_seconds_sum", 0.0),
                "gc_count": metrics.get("jvm_gc_pause_seconds_count", 0.0)}

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


# --- probes: what a user of each listener sees -------------------------------------------------------

def probe_tcp(server, n):
    out = []
    with socket.create_connection((HOST, server.tcp), timeout=5) as s:
        f = s.makefile("rb")
        for i in range(n):
            t = time.perf_counter()
            s.sendall(b"probe %d\n" % i)
            if f.readline() != b"probe %d\n" % i:
                raise OSError("TCP echo answered something else")
            out.append(time.perf_counter() - t)
    return out


def probe_udp(server, n):
    out, lost = [], 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(1)
        for i in range(n):
            t = time.perf_counter()
            s.sendto(b"probe %d" % i, (HOST, server.udp))
            try:
                while s.recvfrom(2048)[0] != b"probe %d" % i:
                    pass
                out.append(time.perf_counter() - t)
            except socket.timeout:
                lost += 1
    return out, lost


def probe_http(server, n, tls):
    """n GET /ip on one kept-alive connection."""
    out = []
    raw = socket.create_connection((HOST, server.https if tls else server.http), timeout=5)
    if tls:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE  # the server's self-signed certificate: latency is measured, not trust
        raw = ctx.wrap_socket(raw, server_hostname="localhost")
    with raw as s:
        f = s.makefile("rb")
        for _ in range(n):
            t = time.perf_counter()
            s.sendall(b"GET /ip HTTP/1.1\r\nHost: soak\r\n\r\n")
            status = f.readline()
            length = 0
            while True:
                line = f.readline()
                if line in (b"\r\n", b""):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            f.read(length)
            if not status.startswith(b"HTTP/1.1 200"):
                raise OSError(f"HTTP answered {status!r}")
            out.append(time.perf_counter() - t)
    return out


def probe_health(server, n):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        if server.get("/health")[0] != 200:
            raise OSError("/health is not 200")
        out.append(time.perf_counter() - t)
    return out


# --- attacks: one kind per interval, in turn; each bounded by its own duration -----------------------

def drip(port, connections, start, piece, seconds, stop):
    """Opens connections that send start, then piece every half second, until seconds or stop."""
    socks = []
    for _ in range(connections):
        try:
            s = socket.create_connection((HOST, port), timeout=5)
            s.sendall(start)
            socks.append(s)
        except OSError:
            pass
    end = time.time() + seconds
    while time.time() < end and not stop.is_set():
        for s in socks:
            try:
                s.send(piece)
            except OSError:
                pass  # cut by the server: what it should do
        stop.wait(0.5)  # the drip's pace
    for s in socks:
        s.close()


def slowloris(server, seconds, stop):
    """200 request heads that never end, a byte every half second."""
    drip(server.http, 200, b"GET / HTTP/1.1\r\nHost: x\r\nX-a: ", b"a", seconds, stop)


def frame(kind, flags, stream, payload=b""):
    return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload


def h2_flood(server, seconds, stop):
    for kind, payload in ((0x4, b""), (0x6, bytes(8))):  # SETTINGS, PING
        for _ in range(3):
            try:
                with socket.create_connection((HOST, server.http), timeout=5) as s:
                    s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(0x4, 0, 0))
                    batch = frame(kind, 0, 0, payload) * 1000
                    for _ in range(100):
                        s.sendall(batch)
            except OSError:
                pass  # cut by the server: expected


def churn(server, seconds, stop):
    end = time.time() + seconds
    while time.time() < end and not stop.is_set():
        for _ in range(100):
            try:
                socket.create_connection((HOST, server.tcp), timeout=5).close()
            except OSError:
                pass


def non_reader(server, seconds, stop):
    with socket.create_connection((HOST, server.tcp), timeout=1) as s:
        s.setblocking(False)
        line = b"x" * 1000 + b"\n"
        end = time.time() + seconds
        while time.time() < end and not stop.is_set():
            try:
                s.send(line * 64)
            except BlockingIOError:
                stop.wait(0.1)  # the server stopped reading: that is what is being checked
            except OSError:
                return


def slow_bodies(server, seconds, stop):
    """50 POST bodies at 20 B/s: under --http-min-body-rate."""
    drip(server.http, 50, b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n", b"y" * 10,
         seconds, stop)


ATTACKS = [("slowloris", slowloris), ("h2-flood", h2_flood), ("churn", churn), ("non-reader", non_reader),
           ("slow-bodies", slow_bodies)]


# --- the plot ----------------------------------------------------------------------------------------

def svg(rows, path):
    panels = [("RSS (MiB)", ["rss_mib"]), ("heap and Netty direct (MiB)", ["heap_mib", "netty_direct_mib"]),
              ("open fds", ["fds"]), ("GC pause per interval (ms)", ["gc_ms"]),
              ("p99 (ms, log scale)", ["tcp_p99_ms", "udp_p99_ms", "http_p99_ms", "https_p99_ms", "health_p99_ms"])]
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
    w, h, pad = 900, 170, 50
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h * len(panels) + 20}" '
           'font-family="sans-serif" font-size="11">', '<rect width="100%" height="100%" fill="white"/>']
    t_max = max(r["t_s"] for r in rows) or 1
    for i, (title, keys) in enumerate(panels):
        top = i * h + 20
        log_scale = "log" in title  # latencies span 0.1 ms to seconds
        y = (lambda v: math.log10(max(v, 0.1)) + 1) if log_scale else (lambda v: v)
        v_max = max([y(r[k]) for r in rows for k in keys if r[k] == r[k]] + [1e-9]) * 1.1
        out.append(f'<text x="{pad}" y="{top - 5}" font-weight="bold">{title}</text>')
        out.append(f'<rect x="{pad}" y="{top}" width="{w - 2 * pad}" height="{h - 40}" fill="none" stroke="#999"/>')
        top_label = f"{10 ** (v_max - 1):.3g}" if log_scale else f"{v_max:.3g}"
        out.append(f'<text x="5" y="{top + 10}">{top_label}</text>'
                   f'<text x="5" y="{top + h - 40}">{"0.1" if log_scale else "0"}</text>')
        for j, k in enumerate(keys):
            pts = " ".join(f'{pad + (w - 2 * pad) * r["t_s"] / t_max:.1f},'
                           f'{top + (h - 40) * (1 - y(r[k]) / v_max):.1f}' for r in rows if r[k] == r[k])
            out.append(f'<polyline points="{pts}" fill="none" stroke="{colors[j]}" stroke-width="1.5"/>')
            out.append(f'<text x="{w - pad + 5}" y="{top + 12 + 12 * j}" fill="{colors[j]}">'
                       f'{k.replace("_p99_ms", "").replace("_mib", "")}</text>')
        out.append(f'<text x="{w - pad - 40}" y="{top + h - 28}">{t_max:.0f} s</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out))


def main():
    global OUT
    p = argparse.ArgumentParser(description="inetkit server soak benchmark (loopback only, bounded)")
    p.add_argument("--minutes", type=float, default=30)
    p.add_argument("--interval", type=float, default=10, help="seconds between samples")
    p.add_argument("--port", type=int, default=19400, help="first of four ports: tcp/udp, http, https, admin")
    p.add_argument("--out", default=os.path.join(ROOT, "server", "target", "soak"))
    p.add_argument("--java", default="java")
    a = p.parse_args()
    OUT = a.out
    os.makedirs(OUT, exist_ok=True)
    for jar in (SERVER_JAR, CLIENT_JAR):
        if not os.path.exists(jar):
            raise SystemExit(f"soak: {jar} is missing: ./mvnw -B -q -pl server,client -am package -DskipTests")
    seconds = int(a.minutes * 60)
    server = Server(a.port, a.java)
    log(f"server pid {server.proc.pid}; {seconds} s of load and attacks, a sample every {a.interval:g} s")
    loads = [subprocess.Popen([a.java, "-Xmx256m", "-jar", CLIENT_JAR, "load", HOST, str(server.tcp),
                               "--framing", "line", "-c", "50", "-r", "2000", "-T", f"{seconds}s", "-w", "0s",
                               "-q", "--max-errors", "1000000", "--json", os.path.join(OUT, "tcp-load.json")],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(OUT, "tcp-load.log"), "w")),
             subprocess.Popen([a.java, "-Xmx256m", "-jar", CLIENT_JAR, "load", HOST, str(server.udp), "--udp",
                               "-c", "10", "-r", "1000", "-T", f"{seconds}s", "-w", "0s", "-q",
                               "--max-errors", "1000000", "--json", os.path.join(OUT, "udp-load.json")],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(OUT, "udp-load.log"), "w"))]
    rows, failures = [], []
    stop = threading.Event()
    start = time.time()
    last_gc = server.sample()["gc_pause_s"]
    n = 0
    try:
        while time.time() - start < seconds:
            name, attack = ATTACKS[n % len(ATTACKS)]
            t = threading.Thread(target=attack, args=(server, a.interval * 0.8, stop), daemon=True)
            t.start()
            row = {"t_s": round(time.time() - start, 1), "attack": name}
            for key, probe in (("tcp", lambda: probe_tcp(server, 50)), ("http", lambda: probe_http(server, 20, False)),
                               ("https", lambda: probe_http(server, 20, True)), ("health", lambda: probe_health(server, 5))):
                try:
                    row[key + "_p99_ms"] = percentile(probe(), 99) * 1000
                except OSError as e:
                    row[key + "_p99_ms"] = float("nan")
                    failures.append(f"{row['t_s']} s, {key}, during {name}: {e}")
            udp, lost = probe_udp(server, 50)
            row["udp_p99_ms"], row["udp_lost"] = percentile(udp, 99) * 1000, lost
            t.join(a.interval)
            s = server.sample()
            row.update(s)
            row["gc_ms"], last_gc = (s["gc_pause_s"] - last_gc) * 1000, s["gc_pause_s"]
            rows.append(row)
            log(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()))
            n += 1
            rest = start + n * a.interval - time.time()
            if rest > 0:
                stop.wait(rest)  # the sampling period
    finally:
        stop.set()
        for l in loads:
            try:
                l.wait(60)  # they stop by themselves at the run's end, and write their reports then
            except subprocess.TimeoutExpired:
                l.terminate()
                l.wait(30)
        code = server.stop()
    keys = list(rows[0].keys())
    with open(os.path.join(OUT, "soak.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)
    svg(rows, os.path.join(OUT, "soak.svg"))
    print(f"soak: {len(rows)} samples over {rows[-1]['t_s']:.0f} s; server exit {code} on SIGTERM")
    for k in ("rss_mib", "heap_mib", "netty_direct_mib", "fds", "gc_ms", "tcp_p99_ms", "udp_p99_ms",
              "http_p99_ms", "https_p99_ms", "health_p99_ms"):
        v = [r[k] for r in rows if r[k] == r[k]]
        print(f"  {k:18} first {v[0]:9.2f}  last {v[-1]:9.2f}  max {max(v):9.2f}  median {percentile(v, 50):9.2f}")
    print(f"  udp probes lost: {sum(r['udp_lost'] for r in rows)} of {50 * len(rows)}")
    for name in ("tcp-load", "udp-load"):
        try:
            with open(os.path.join(OUT, name + ".json")) as f:
                report = json.load(f)
            errors = sum((report.get("errors") or {}).values())
            print(f"  {name}: {report.get('messages')} messages, {errors} errors")
            if errors:
                failures.append(f"{name}: {report.get('errors')}")
        except (OSError, ValueError) as e:
            print(f"  {name}: no report ({e})")
            failures.append(f"{name} wrote no report")
    print(f"  probe failures: {len(failures)}")
    for fl in failures[:20]:
        print("    " + fl)
    print(f"  {OUT}/soak.csv, {OUT}/soak.svg, {OUT}/server.log")
    return 1 if failures or code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
