#!/usr/bin/env bash
# Loopback benchmark of chaosctl's TCP proxy against a direct connection and haproxy, all
# measured in the same run (not part of the tests):
#   iperf3 throughput (1 and 8 streams), wrk keep-alive requests/s and p99, new connections/s
#   (Connection: close), RSS per idle proxied connection (1 000 and 9 000), and the latency
#   toxic's accuracy (100 ms, added delay p50/p99 over 300 round trips: end to end, and on the
#   wire from the upstream's send to the client's kernel receive), and the control API's
#   answer time for a normal client while 1 000 slow or idle clients are connected to it.
# Installs iperf3 wrk nginx haproxy from apt, builds chaosctl in release, then measures for
# about 4 minutes. Everything listens on 127.0.0.1; only the PIDs started here are stopped.
#
# Usage: scripts/bench-proxy.sh [--skip-build]
#   DURATION=5 seconds per wrk/iperf3 run, ROUNDS_RATE=3 interleaved rounds of them (the
#   table shows medians), ROUNDS=300 latency round trips,
#   SECTIONS="iperf wrk latency idle overflow slow" to run only some parts,
#   SLOW_REQUESTS=500 normal-client requests per run of the slow section,
#   TIMER_SPIN_US=auto|N passes --timer-spin-us to chaosctl proxy serve (default auto),
#   TIMER_UNDERSTUDY=on|off passes --timer-understudy (default on).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(iperf3 wrk nginx haproxy curl python3)
DURATION=${DURATION:-5}
ROUNDS_RATE=${ROUNDS_RATE:-3}
ROUNDS=${ROUNDS:-300}
SECTIONS=" ${SECTIONS:-iperf wrk latency idle overflow slow} "
want() { [[ "$SECTIONS" == *" $1 "* ]]; }

# ---- dependencies ---------------------------------------------------------------------------
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "${1:-}" != "--skip-build" ]; then
  swift build -c release --product chaosctl >&2
fi
CHAOSCTL="$(swift build -c release --show-bin-path)/chaosctl"

# ---- processes and cleanup --------------------------------------------------------------------
work=$(mktemp -d /tmp/bench-proxy.XXXXXX)
started=()
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {  # up to 10 s
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
fd_count() { ls "/proc/$1/fd" | wc -l; }

NGINX=$(free_port); IPERF=$(free_port); API=$(free_port)
HA_HTTP=$(free_port); HA_IPERF=$(free_port)
CC_HTTP=$(free_port); CC_IPERF=$(free_port); CC_LAT=$(free_port)
STAMP=$(free_port); CC_STAMP=$(free_port)

# nginx: one small static file, keep-alive; idle clients may wait (RSS test) without a request.
mkdir -p "$work/nginx/html" "$work/nginx/logs"
head -c 612 /dev/zero | tr '\0' 'x' > "$work/nginx/html/index.html"
cat > "$work/nginx/nginx.conf" <<EOF
user root;
worker_processes 2;
worker_rlimit_nofile 19000;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 18000; }
http {
  access_log off;
  keepalive_timeout 300s;
  keepalive_requests 1000000;
  client_header_timeout 300s;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  server { listen 127.0.0.1:$NGINX reuseport; root $work/nginx/html; }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/logs/error.log" &
NGINX_PID=$!; started+=($NGINX_PID)

iperf3 -s -B 127.0.0.1 -p "$IPERF" >/dev/null 2>&1 &
started+=($!)

# The stamp server answers each line with the wall-clock time (ns) taken just before it
# sends the answer; on loopback the bytes reach the proxy's socket inside that send.
cat > "$work/stamp_server.py" <<'PY'
import socket, sys, threading, time
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(16)
def serve(conn):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for _ in conn.makefile("rb"):
        conn.sendall(b"%d\n" % time.time_ns())
    conn.close()
while True:
    conn, _ = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
PY
python3 "$work/stamp_server.py" "$STAMP" &
started+=($!)

# haproxy in TCP mode; maxconn leaves room for 9 000 proxied connections in 20 000 descriptors.
cat > "$work/haproxy.cfg" <<EOF
global
  maxconn 9500
defaults
  mode tcp
  timeout connect 5s
  timeout client 300s
  timeout server 300s
frontend http_in
  bind 127.0.0.1:$HA_HTTP
  default_backend nginx
backend nginx
  server s1 127.0.0.1:$NGINX
frontend iperf_in
  bind 127.0.0.1:$HA_IPERF
  default_backend iperf
backend iperf
  server s1 127.0.0.1:$IPERF
EOF
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
HA_PID=$!; started+=($HA_PID)

"$CHAOSCTL" proxy serve --host 127.0.0.1 --port "$API" ${TIMER_SPIN_US:+--timer-spin-us "$TIMER_SPIN_US"} ${TIMER_UNDERSTUDY:+--timer-understudy "$TIMER_UNDERSTUDY"} >"$work/chaosctl.log" 2>&1 &
CC_PID=$!; started+=($CC_PID)

for p in "$NGINX" "$IPERF" "$HA_HTTP" "$API" "$STAMP"; do wait_port "$p"; done
api() { curl -sS -f -X "$1" "http://127.0.0.1:$API$2" ${3:+-d "$3"} >/dev/null; }
api POST /proxies "{\"name\":\"http\",\"listen\":\"127.0.0.1:$CC_HTTP\",\"upstream\":\"127.0.0.1:$NGINX\"}"
api POST /proxies "{\"name\":\"iperf\",\"listen\":\"127.0.0.1:$CC_IPERF\",\"upstream\":\"127.0.0.1:$IPERF\"}"
api POST /proxies "{\"name\":\"lat\",\"listen\":\"127.0.0.1:$CC_LAT\",\"upstream\":\"127.0.0.1:$NGINX\"}"
api POST /proxies/lat/toxics '{"type":"latency","stream":"downstream","attributes":{"latency":100,"jitter":0}}'
api POST /proxies "{\"name\":\"stamp\",\"listen\":\"127.0.0.1:$CC_STAMP\",\"upstream\":\"127.0.0.1:$STAMP\"}"
api POST /proxies/stamp/toxics '{"type":"latency","stream":"downstream","attributes":{"latency":100,"jitter":0}}'

results="$work/results"
: > "$results"
put() { echo "$1=$2" >> "$results"; echo "  $1 = $2" >&2; }

# ---- throughput (iperf3) ----------------------------------------------------------------------
iperf_gbps() {
  iperf3 -c 127.0.0.1 -p "$1" -t "$DURATION" -P "$2" -J 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.2f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' \
    || echo "nan"
}
# Rates are measured in ROUNDS_RATE interleaved rounds (direct, haproxy, chaosctl, again…)
# and the table shows each one's median: the host drifts by ±20 % within minutes, and one
# run per target in a fixed order turns that drift into a ranking.
want iperf && echo "iperf3 ($ROUNDS_RATE interleaved rounds) ..." >&2
want iperf && for round in $(seq "$ROUNDS_RATE"); do
  for target in direct:$IPERF haproxy:$HA_IPERF chaosctl:$CC_IPERF; do
    name=${target%%:*}; port=${target#*:}
    put "iperf1.$name.$round" "$(iperf_gbps "$port" 1)"
    put "iperf8.$name.$round" "$(iperf_gbps "$port" 8)"
  done
done

# ---- HTTP (wrk) ---------------------------------------------------------------------------------
wrk_run() {  # port, extra args...; prints "requests/s p99_ms requests"
  local port=$1; shift
  wrk -t2 -c64 -d"${DURATION}s" --latency "$@" "http://127.0.0.1:$port/" 2>/dev/null | python3 -c '
import re, sys
text = sys.stdin.read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
total = re.search(r"^\s*(\d+) requests in", text, re.M)
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
print(rps.group(1) if rps else "nan", "%.3f" % (float(p99.group(1)) * scale[p99.group(2)]) if p99 else "nan",
      total.group(1) if total else "0")'
}
# CPU (user + system) a proxy process spent per request, in µs: steadier than a rate on a
# shared host, because it does not depend on who else got the CPU meanwhile.
cpu_ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cpu_us_per() { python3 -c "import sys; t0,t1,n,hz=map(float,sys.argv[1:]); print('%.1f' % ((t1-t0)/hz*1e6/n) if n else 'nan')" "$1" "$2" "$3" "$(getconf CLK_TCK)"; }
want wrk && echo "wrk ($ROUNDS_RATE interleaved rounds) ..." >&2
want wrk && for round in $(seq "$ROUNDS_RATE"); do
  for target in direct:$NGINX:$NGINX_PID haproxy:$HA_HTTP:$HA_PID chaosctl:$CC_HTTP:$CC_PID; do
    IFS=: read -r name port pid <<< "$target"
    t0=$(cpu_ticks_of "$pid"); read -r rps p99 n < <(wrk_run "$port"); t1=$(cpu_ticks_of "$pid")
    put "rps.$name.$round" "$rps"; put "p99.$name.$round" "$p99"
    [ "$name" = direct ] || put "cpurps.$name.$round" "$(cpu_us_per "$t0" "$t1" "$n")"
    t0=$(cpu_ticks_of "$pid"); read -r cps _ n < <(wrk_run "$port" -H 'Connection: close'); t1=$(cpu_ticks_of "$pid")
    put "cps.$name.$round" "$cps"
    [ "$name" = direct ] || put "cpucps.$name.$round" "$(cpu_us_per "$t0" "$t1" "$n")"
  done
done

# ---- latency toxic accuracy ---------------------------------------------------------------------
cat > "$work/rtt.py" <<'EOF'
import socket, sys, time
port, rounds = int(sys.argv[1]), int(sys.argv[2])
pause = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0   # seconds slept before each request
request = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
sock = socket.create_connection(("127.0.0.1", port), timeout=10)
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
def once():
    start = time.perf_counter()
    if pause:
        time.sleep(pause)
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
    while len(body) < length:
        body += sock.recv(65536)
    return (time.perf_counter() - start) * 1000
for _ in range(10):
    once()
print(" ".join("%.4f" % once() for _ in range(rounds)))
EOF
# Time the hypervisor ran something else on this VM's vCPUs (steal, both vCPUs summed):
# nothing inside the VM, not even a real-time thread, is on time while it lasts.
steal_ticks() { awk '/^cpu / {print $9}' /proc/stat; }
if want latency; then
  echo "latency toxic ($ROUNDS round trips each) ..." >&2
  direct_rtts=$(python3 "$work/rtt.py" "$NGINX" "$ROUNDS")
  toxic_rtts=$(python3 "$work/rtt.py" "$CC_LAT" "$ROUNDS")
  # The same 100 ms wait done by the client itself (sleep, then a direct request): how late a
  # sleeping process wakes on this machine right now — the noise floor for the toxic's figure.
  sleep_rtts=$(python3 "$work/rtt.py" "$NGINX" "$ROUNDS" 0.1)
  # Added delay = proxied round trip - the direct median.
  read -r lat50 lat99 lat999 d50 d99 s50 s99 < <(python3 - "$direct_rtts" "$toxic_rtts" "$sleep_rtts" <<'EOF'
import sys
direct, toxic, slept = (sorted(map(float, a.split())) for a in sys.argv[1:4])
pick = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))]
base = pick(direct, 0.5)
added = sorted(t - base for t in toxic)
late = sorted(t - base for t in slept)
print("%.3f %.3f %.3f %.3f %.3f %.3f %.3f" % (pick(added, 0.5), pick(added, 0.99), added[-1], base, pick(direct, 0.99),
                                          pick(late, 0.5), pick(late, 0.99)))
EOF
  )
  put "latency.added.p50" "$lat50"; put "latency.added.p99" "$lat99"; put "latency.added.max" "$lat999"
  put "latency.direct.p50" "$d50"; put "latency.direct.p99" "$d99"
  put "latency.sleep.p50" "$s50"; put "latency.sleep.p99" "$s99"
  # The proxy's own part, on the wire: from the moment the upstream sent the answer to the
  # moment the client's kernel received it (SO_TIMESTAMPNS, so the client's wake-up is not
  # counted), through the 100 ms latency toxic. The request path and the two end
  # processes' wake-ups, which the round trip above includes, are out of this figure.
  cat > "$work/stamp_client.py" <<'PY'
import socket, struct, sys
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
port, rounds = int(sys.argv[1]), int(sys.argv[2])
sock = socket.create_connection(("127.0.0.1", port), timeout=10)
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
added = []
for i in range(rounds + 5):
    sock.sendall(b"x\n")
    line, received = b"", None
    while not line.endswith(b"\n"):
        data, ancillary, _, _ = sock.recvmsg(4096, 1024)
        if not data:
            sys.exit("connection closed")
        line += data
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", value[:16])
                received = received or sec * 10**9 + nsec
    if i >= 5 and received:
        added.append((received - int(line)) / 1e6)
added.sort()
pick = lambda q: added[min(len(added) - 1, int(q * len(added)))]
print("%.3f %.3f %.3f %d" % (pick(0.5), pick(0.99), added[-1], len(added)))
PY
  steal0=$(steal_ticks)
  read -r w50 w99 wmax wn < <(python3 "$work/stamp_client.py" "$CC_STAMP" "$ROUNDS")
  put "latency.wire.steal_ms" "$(( ($(steal_ticks) - steal0) * 1000 / $(getconf CLK_TCK) ))"
  read -r wd50 wd99 _ _ < <(python3 "$work/stamp_client.py" "$STAMP" "$ROUNDS")
  put "latency.wire.p50" "$w50"; put "latency.wire.p99" "$w99"; put "latency.wire.max" "$wmax"
  put "latency.wire.direct.p50" "$wd50"; put "latency.wire.direct.p99" "$wd99"
  put "latency.spin.cpu" "$(ps -o time= -p "$CC_PID" | tr -d ' ')"
  # The proxy's own account of the same chunks: how late each left the latency toxic against
  # its schedule (kernel arrival + 100 ms), from /metrics. The wire figure above adds only the
  # send; if both are late together, the loop was not running when the deadline came.
  read -r sc s500 s1000 sp99 takeovers < <(curl -sS "http://127.0.0.1:$API/metrics" | python3 -c '
import re, sys
buckets, takeovers = {}, "?"
for line in sys.stdin:
    if line.startswith("chaosctl_proxy_timer_understudy_takeovers_total "): takeovers = line.split()[1]
    m = re.match(r"chaosctl_proxy_toxic_release_lateness_seconds_bucket\{proxy=\"stamp\",le=\"([^\"]+)\"\} (\d+)", line)
    if m: buckets[m.group(1)] = int(m.group(2))
total = buckets.get("+Inf", 0)
bounds = sorted((float(k), v) for k, v in buckets.items() if k != "+Inf")
p99 = next((b for b, v in bounds if total and v >= 0.99 * total), float("inf"))
share = lambda le: 100.0 * buckets.get(le, 0) / total if total else float("nan")
print(total, "%.1f" % share("0.0005"), "%.1f" % share("0.001"), "%g" % (p99 * 1000), takeovers)')
  put "latency.self.count" "$sc"; put "latency.self.within_0.5ms" "$s500"; put "latency.self.within_1ms" "$s1000"
  put "latency.self.p99_bucket_ms" "$sp99"; put "latency.understudy_takeovers" "$takeovers"
fi

# ---- RSS per idle proxied connection --------------------------------------------------------------
cat > "$work/idle.py" <<'EOF'
import socket, sys, time
port, count, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
socks, failed = [], 0
for _ in range(count):
    try:
        socks.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    except OSError:
        failed += 1
open(ready, "w").write("%d %d\n" % (len(socks), failed))
time.sleep(600)
EOF
idle_rss() {  # pid, port, count; prints "bytes_per_conn fds_per_conn opened failed"
  local pid=$1 port=$2 count=$3
  local before_rss before_fds
  before_rss=$(rss_kib "$pid"); before_fds=$(fd_count "$pid")
  rm -f "$work/ready"
  python3 "$work/idle.py" "$port" "$count" "$work/ready" &
  local opener=$!
  started+=($opener)
  for _ in $(seq 600); do [ -s "$work/ready" ] && break; sleep 0.1; done
  # Let the proxy finish dialling the upstream for every accepted connection.
  local last=-1 now
  for _ in $(seq 50); do
    now=$(fd_count "$pid"); [ "$now" = "$last" ] && break; last=$now; sleep 0.2
  done
  local after_rss after_fds
  after_rss=$(rss_kib "$pid"); after_fds=$(fd_count "$pid")
  read -r opened failed < "$work/ready"
  kill "$opener" 2>/dev/null || true; wait "$opener" 2>/dev/null || true
  python3 -c "import sys; b,a,bf,af,n=map(int,sys.argv[1:]); print('%.0f %.2f' % ((a-b)*1024/max(n,1), (af-bf)/max(n,1)), n, $failed)" \
    "$before_rss" "$after_rss" "$before_fds" "$after_fds" "$opened"
  sleep 2  # closes drain before the next round
}
want idle && echo "idle connections ..." >&2
want idle && for n in 1000 9000; do
  for target in haproxy:$HA_PID:$HA_HTTP chaosctl:$CC_PID:$CC_HTTP; do
    IFS=: read -r name pid port <<< "$target"
    read -r bytes fds opened failed < <(idle_rss "$pid" "$port" "$n")
    put "rss$n.$name" "$bytes"; put "fds$n.$name" "$fds"; put "open$n.$name" "$opened/$((opened + failed))"
  done
done

# ---- descriptor exhaustion ----------------------------------------------------------------------
# 10 500 clients need 21 000 descriptors in the proxy, more than the 20 000 allowed: it must
# refuse the excess cleanly, keep answering the API, not spin, and serve again afterwards.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
if want overflow; then
  echo "descriptor exhaustion (10500 clients) ..." >&2
  rm -f "$work/ready"
  python3 "$work/idle.py" "$CC_HTTP" 10500 "$work/ready" &
  opener=$!; started+=($opener)
  for _ in $(seq 600); do [ -s "$work/ready" ] && break; sleep 0.1; done
  sleep 2
  t0=$(cpu_ticks "$CC_PID"); sleep 3; t1=$(cpu_ticks "$CC_PID")
  put "overflow.cpu_percent_idle" "$(( (t1 - t0) * 100 / $(getconf CLK_TCK) / 3 ))"
  put "overflow.proxy_fds" "$(fd_count "$CC_PID")"
  start_ns=$(date +%s%N)
  if curl -sS -m 2 -o /dev/null "http://127.0.0.1:$API/version"; then
    put "overflow.api_ms" "$(( ($(date +%s%N) - start_ns) / 1000000 ))"
  else
    put "overflow.api_ms" "no-answer"
  fi
  kill "$opener" 2>/dev/null || true; wait "$opener" 2>/dev/null || true
  sleep 2
  alive=no; kill -0 "$CC_PID" 2>/dev/null && alive=yes
  put "overflow.alive" "$alive"
  code=$(curl -sS -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CC_HTTP/" || echo fail)
  put "overflow.serves_after" "$code"
fi

# ---- slow and idle clients against the API --------------------------------------------------------
# 1 000 hostile connections to the API (half send one header byte a second, half send nothing;
# both reconnect when the server closes them), while a normal client makes new-connection
# GET /version requests. The same client with no hostile connections is the reference.
cat > "$work/slow.py" <<'EOF'
import selectors, socket, sys, threading, time
port, hostile, requests = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
stop = threading.Event()
held = [0]; reconnects = [0]

def attacker():
    sel = selectors.DefaultSelector()
    conns = {}
    def open_one(slow):
        s = socket.socket(); s.setblocking(False)
        try: s.connect(("127.0.0.1", port))
        except BlockingIOError: pass
        conns[s] = [slow, 0]
        sel.register(s, selectors.EVENT_READ)
    for i in range(hostile): open_one(i % 2 == 0)
    head = b"GET /version HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100000
    next_tick = time.monotonic()
    while not stop.is_set():
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try: data = s.recv(4096)
            except (BlockingIOError, InterruptedError): continue
            except OSError: data = b""
            if not data:  # closed by the server: come back, as an attacker would
                slow = conns.pop(s)[0]; sel.unregister(s); s.close()
                reconnects[0] += 1; open_one(slow)
        if time.monotonic() >= next_tick:
            next_tick += 1.0
            for s, state in list(conns.items()):
                if state[0] and state[1] < len(head):
                    try: s.send(head[state[1]:state[1] + 1]); state[1] += 1
                    except (BlockingIOError, InterruptedError): pass
                    except OSError: pass
            held[0] = len(conns)
    for s in conns: s.close()

def one_request():
    t0 = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    try:
        s.sendall(b"GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk: break
            data += chunk
    finally:
        s.close()
    return data.startswith(b"HTTP/1.1 200"), (time.monotonic() - t0) * 1000

if hostile:
    threading.Thread(target=attacker, daemon=True).start()
    time.sleep(3)
times, errors = [], 0
for _ in range(requests):
    try:
        ok, ms = one_request()
        times.append(ms)
        if not ok: errors += 1
    except OSError:
        errors += 1
    time.sleep(0.01)
stop.set()
times.sort()
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")
print("%.3f %.3f %d %d %d" % (pick(0.50), pick(0.99), errors, held[0], reconnects[0]))
EOF
SLOW_REQUESTS=${SLOW_REQUESTS:-500}
if want slow; then
  echo "slow and idle clients against the API ($SLOW_REQUESTS requests each) ..." >&2
  put "slow.requests" "$SLOW_REQUESTS"
  for hostile in 0 1000; do
    read -r p50 p99 errs held again < <(python3 "$work/slow.py" "$API" "$hostile" "$SLOW_REQUESTS")
    put "slow$hostile.p50" "$p50"; put "slow$hostile.p99" "$p99"; put "slow$hostile.errors" "$errs"
    put "slow$hostile.held" "$held"; put "slow$hostile.reconnects" "$again"
  done
fi

# ---- table ----------------------------------------------------------------------------------------
python3 - "$results" <<'EOF'
import sys
r = dict(line.strip().split("=", 1) for line in open(sys.argv[1]) if "=" in line)
def num(key):
    if key not in r:  # a rate measured in rounds: their median
        rounds = sorted(float(v) for k, v in r.items() if k.startswith(key + ".") and k[len(key) + 1:].isdigit()
                        and v not in ("nan", ""))
        return rounds[len(rounds) // 2] if rounds else float("nan")
    try: return float(r[key])
    except ValueError: return float("nan")
rows = [("iperf3 1 stream (Gbit/s)", "iperf1"), ("iperf3 8 streams (Gbit/s)", "iperf8"),
        ("wrk keep-alive (req/s)", "rps"), ("wrk keep-alive p99 (ms)", "p99"),
        ("new connections/s (Connection: close)", "cps")]
rounds = max([int(k.rsplit(".", 1)[1]) for k in r if k.startswith("rps.direct.")] or [0])
print("\n%-40s %12s %18s %18s" % ("figure (rates: median of %d rounds)" % rounds, "direct", "haproxy (ratio)", "chaosctl (ratio)"))
for label, key in rows:
    d = num(key + ".direct")
    cells = []
    for who in ("haproxy", "chaosctl"):
        v = num(key + "." + who)
        cells.append("%10.2f (%.2fx)" % (v, v / d if d else float("nan")))
    print("%-40s %12.2f %18s %18s" % (label, d, cells[0], cells[1]))
for label, key in (("proxy CPU per keep-alive request (us)", "cpurps"), ("proxy CPU per new connection (us)", "cpucps")):
    h, c = num(key + ".haproxy"), num(key + ".chaosctl")
    print("%-40s %12s %18s %18s" % (label, "-", "%.1f" % h, "%.1f (%.2fx haproxy)" % (c, c / h if h else float("nan"))))
for n in ("1000", "9000"):
    print("%-40s %12s %18s %18s" % ("RSS per idle conn, %s (bytes)" % n, "-",
          "%.0f" % num("rss%s.haproxy" % n), "%.0f" % num("rss%s.chaosctl" % n)))
    print("%-40s %12s %18s %18s" % ("  fds per conn / opened, %s" % n, "-",
          "%s / %s" % (r.get("fds%s.haproxy" % n), r.get("open%s.haproxy" % n)),
          "%s / %s" % (r.get("fds%s.chaosctl" % n), r.get("open%s.chaosctl" % n))))
p50, p99 = num("latency.added.p50"), num("latency.added.p99")
print("%-40s added p50 %.3f ms (%+.3f), p99 %.3f ms (%+.3f); target |p99 - 100| <= 0.5 ms"
      % ("latency toxic 100 ms (chaosctl)", p50, p50 - 100, p99, p99 - 100))
print("%-40s max %.3f ms" % ("", num("latency.added.max")))
print("%-40s round trip p50 %.3f ms, p99 %.3f ms" % ("  direct, same client", num("latency.direct.p50"), num("latency.direct.p99")))
print("%-40s added p50 %.3f ms, p99 %.3f ms (noise floor: a sleeping client's own lateness)"
      % ("  client sleeps 100 ms, then direct", num("latency.sleep.p50"), num("latency.sleep.p99")))
w50, w99 = num("latency.wire.p50"), num("latency.wire.p99")
print("%-40s p50 %.3f ms (%+.3f), p99 %.3f ms (%+.3f), max %.3f ms; target p99 within 0.5 ms"
      % ("latency toxic 100 ms, proxy on the wire", w50, w50 - 100, w99, w99 - 100, num("latency.wire.max")))
print("%-40s %s ms of vCPU time taken by the host during that run (steal, /proc/stat)"
      % ("", r.get("latency.wire.steal_ms", "?")))
print("%-40s p50 %.3f ms, p99 %.3f ms (upstream send -> client kernel receive)"
      % ("  same, direct (no proxy)", num("latency.wire.direct.p50"), num("latency.wire.direct.p99")))
print("%-40s %s of %s chunks within 0.5 ms of schedule, %s within 1 ms; p99 <= %s ms (histogram bucket)"
      % ("  proxy's own count (/metrics)", r.get("latency.self.within_0.5ms", "?") + "%", r.get("latency.self.count", "?"),
         r.get("latency.self.within_1ms", "?") + "%", r.get("latency.self.p99_bucket_ms", "?")))
print("%-40s %s deadlines served by a loop's understudy thread (whole latency section)"
      % ("", r.get("latency.understudy_takeovers", "?")))
for hostile in ("0", "1000"):
    if "slow%s.p99" % hostile in r:
        label = "API, %s slow/idle clients" % hostile if hostile != "0" else "API, no other clients (reference)"
        print("%-40s GET /version p50 %.2f ms, p99 %.2f ms (%.2fx ref), errors %s of %s; held %s, reconnected %s"
              % (label, num("slow%s.p50" % hostile), num("slow%s.p99" % hostile),
                 num("slow%s.p99" % hostile) / num("slow0.p99") if num("slow0.p99") else float("nan"),
                 r.get("slow%s.errors" % hostile), r.get("slow.requests", "?"),
                 r.get("slow%s.held" % hostile), r.get("slow%s.reconnects" % hostile)))
if "slow1000.p99" in r:
    print("%-40s p99 <= 100 ms: %s" % ("", "yes" if num("slow1000.p99") <= 100 else "NO"))
if "overflow.alive" in r:
    print("%-40s alive %s, %s proxy fds, API answered in %s ms, idle CPU %s%%, HTTP after: %s"
          % ("10500 clients (fd limit 20000)", r["overflow.alive"], r.get("overflow.proxy_fds"),
             r.get("overflow.api_ms"), r.get("overflow.cpu_percent_idle"), r.get("overflow.serves_after")))
EOF
