import Foundation

/// A stand-in for `k6 run` and `locust` that writes their output formats with a chosen defect
/// (`SCRIPTED_GENERATOR_MODE`), for the runner-level bad-input tests: real generators do not
/// write broken lines on demand. The formats follow real output: the k6 line is a k6 v1.1.0
/// `--out json` Point (Tests/ChaosLoadTests/Fixtures/k6-v1.1.0-out.json, line 4), the Locust
/// header is Locust 2.47.0's `--csv-full-history` one
/// (Tests/ChaosLoadTests/Fixtures/locust-2.47.0_stats_history.csv, line 1), CRLF rows once a
/// second. Every request succeeds in 5 ms: only the defect can keep a check from passing.
enum ScriptedGenerator {
    /// Installs the script as `DIR/k6` and `DIR/locust`; returns DIR.
    static func install(in directory: String) throws -> String {
        let bin = directory + "/generator-bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for name in ["k6", "locust"] {
            let path = bin + "/" + name
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        return bin
    }

    private static let script = #"""
    #!/usr/bin/env python3
    import os, signal, sys, time

    args = sys.argv[1:]
    def option(name):
        for i, a in enumerate(args):
            if a == name and i + 1 < len(args): return args[i + 1]
            if a.startswith(name + "="): return a[len(name) + 1:]
        return None

    mode = os.environ.get("SCRIPTED_GENERATOR_MODE", "good")
    shift = 3600.0 if mode == "clock-ahead" else 0.0
    stop_after = 1.5 if mode == "exit-early" else 600.0
    started = time.time()

    def stamp(t):
        whole = int(t)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + ".%09dZ" % int((t - whole) * 1e9)

    def k6():
        out = open(option("--out")[len("json="):], "w")
        POINT = ('{"metric":"http_req_duration","type":"Point","data":{"time":"%s","value":5.0,'
                 '"tags":{"expected_response":"true","group":"","method":"GET","name":"GET /",'
                 '"proto":"HTTP/1.1","scenario":"default","status":"200","url":"http://127.0.0.1/"}}}\n')
        def cut_short(*_):
            if mode == "malformed":
                out.write('{"metric":"http_req_duration","type":"Po')  # killed mid-line: no newline
            out.close()
            sys.exit(0)
        signal.signal(signal.SIGTERM, cut_short)
        n = 0
        while time.time() - started < stop_after:
            for _ in range(5):
                out.write(POINT % stamp(time.time() + shift))
            n += 1
            if mode == "malformed" and n % 10 == 0:
                out.write('{"metric":"http_req_duration","type":"Point","data":{"time":}\n')
            out.flush()
            time.sleep(0.05)
        out.close()
        sys.exit(3)

    def locust():
        columns = ["Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s", "50%", "66%", "75%",
                   "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%", "Total Request Count",
                   "Total Failure Count", "Total Median Response Time", "Total Average Response Time",
                   "Total Min Response Time", "Total Max Response Time", "Total Average Content Size"]
        if mode == "renamed-column":
            columns[columns.index("Total Failure Count")] = "Total Failures"
        if mode == "extra-column":
            columns.append("Shiny New")
        out = open(option("--csv") + "_stats_history.csv", "w", newline="")
        out.write(",".join(columns) + "\r\n")
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        total = 0
        while True:
            total += 100
            for kind, name in (("GET", "/"), ("", "Aggregated")):
                row = [str(int(time.time())), "5", kind, name, "100.0", "0.0"] + ["5"] * 11
                row += [str(total), "0", "5", "5.0", "1.0", "9.0", "3.0"]
                if mode == "extra-column":
                    row.append("42")
                out.write(",".join(row) + "\r\n")
            out.flush()
            time.sleep(1)

    k6() if os.path.basename(sys.argv[0]) == "k6" else locust()
    """#
}
