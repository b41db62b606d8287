/// Exchanges the recorded session lacks, with host-name listen addresses (issue #11
/// item 11), written in the transcript's form from what it does show:
/// - toxiproxy-2.12-api-transcript.md lines 79-90 (#6): "localhost:26391" is resolved
///   and stored, and shown, as "127.0.0.1:26391";
/// - lines 1237-1249 (#84): /populate with an unchanged listen and upstream keeps the
///   proxy (Toxiproxy's ProxyCollection.AddOrReplace returns early), so its toxics stay;
/// - lines 153-166 (#11): a busy port reads "listen tcp 127.0.0.1:26379: bind: address
///   already in use". Go's net.Listen puts the resolved address in that error
///   (net/dial.go, ListenConfig.Listen: OpError{Op: "listen", Addr: la}), so a busy
///   "localhost:26386" reads "listen tcp 127.0.0.1:26386: ...", never "localhost:26386".
let hostNameListenCases: [TranscriptCase] = [
    TranscriptCase(number: 201, title: "create proxy on 127.0.0.1", method: "POST", path: "/proxies",
                   body: "{\"name\":\"hostkeep\",\"listen\":\"127.0.0.1:26386\",\"upstream\":\"127.0.0.1:17000\"}",
                   headers: [], head: false, statusLine: "HTTP/1.1 201 Created",
                   responseHeaders: [("Content-Type", "application/json"), ("X-Toxiproxy-Request-Id", "*"), ("Content-Length", "114")],
                   responseBody: "{\"name\":\"hostkeep\",\"listen\":\"127.0.0.1:26386\",\"upstream\":\"127.0.0.1:17000\",\"enabled\":true,\"Logger\":{},\"toxics\":[]}"),
    TranscriptCase(number: 202, title: "add a latency toxic", method: "POST", path: "/proxies/hostkeep/toxics",
                   body: "{\"type\":\"latency\",\"attributes\":{\"latency\":100}}",
                   headers: [], head: false, statusLine: "HTTP/1.1 200 OK",
                   responseHeaders: [("Content-Type", "application/json"), ("X-Toxiproxy-Request-Id", "*"), ("Content-Length", "1")],
                   responseBody: "{\"attributes\":{\"latency\":100,\"jitter\":0},\"name\":\"latency_downstream\",\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}"),
    TranscriptCase(number: 203, title: "populate the same proxy as localhost: kept with its toxic", method: "POST", path: "/populate",
                   body: "[{\"name\":\"hostkeep\",\"listen\":\"localhost:26386\",\"upstream\":\"127.0.0.1:17000\"}]",
                   headers: [], head: false, statusLine: "HTTP/1.1 201 Created",
                   responseHeaders: [("Content-Type", "application/json"), ("X-Toxiproxy-Request-Id", "*"), ("Content-Length", "1")],
                   responseBody: "{\"proxies\":[{\"name\":\"hostkeep\",\"listen\":\"127.0.0.1:26386\",\"upstream\":\"127.0.0.1:17000\",\"enabled\":true,\"Logger\":{},\"toxics\":[{\"attributes\":{\"latency\":100,\"jitter\":0},\"name\":\"latency_downstream\",\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}]}]}"),
    TranscriptCase(number: 204, title: "toxic still there", method: "GET", path: "/proxies/hostkeep/toxics",
                   body: nil, headers: [], head: false, statusLine: "HTTP/1.1 200 OK",
                   responseHeaders: [("Content-Type", "application/json"), ("X-Toxiproxy-Request-Id", "*"), ("Content-Length", "1")],
                   responseBody: "[{\"attributes\":{\"latency\":100,\"jitter\":0},\"name\":\"latency_downstream\",\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}]"),
    TranscriptCase(number: 205, title: "busy port given as localhost", method: "POST", path: "/proxies",
                   body: "{\"name\":\"hostbusy\",\"listen\":\"localhost:26386\",\"upstream\":\"127.0.0.1:17000\"}",
                   headers: [], head: false, statusLine: "HTTP/1.1 500 Internal Server Error",
                   responseHeaders: [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff"),
                                     ("X-Toxiproxy-Request-Id", "*"), ("Content-Length", "1")],
                   responseBody: "{\"error\":\"listen tcp 127.0.0.1:26386: bind: address already in use\",\"status\":500}\n"),
    TranscriptCase(number: 206, title: "busy port in /populate given as localhost", method: "POST", path: "/populate",
                   body: "[{\"name\":\"hostbusy\",\"listen\":\"localhost:26386\",\"upstream\":\"127.0.0.1:17000\"}]",
                   headers: [], head: false, statusLine: "HTTP/1.1 500 Internal Server Error",
                   responseHeaders: [("Content-Type", "application/json"), ("X-Toxiproxy-Request-Id", "*"), ("Content-Length", "1")],
                   responseBody: "{\"error\":\"listen tcp 127.0.0.1:26386: bind: address already in use\",\"status\":500,\"proxies\":null}"),
]
