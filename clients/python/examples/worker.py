#!/usr/bin/env python3
"""A job worker obeying the control file through chaos_control (issue #14, item 5).

Each job reads features from the feature store (SAE), computes attribution, and writes
the result to S3 under a rate limit. The flags it reads, and what they do here:

* slow-sae          the feature-store call is delayed by latency_ms ± jitter_ms
* drop-s3           the S3 write is dropped (the job reports it and would retry)
* fail-attribution  mode "fail": the job fails; mode "fallback": a default attribution is used
* rate-limit-spike  severity "soft": the limit drops to params.rps (default 5) per second;
                    severity "hard": every write is rejected as rate-limited

Usage: worker.py CONTROL_FILE JOBS   — prints one JSON line per job, then a summary line.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import chaos_control  # noqa: E402

NORMAL_RPS = 1000


class Worker:
    def __init__(self, control):
        self.control = control
        self.slow_sae = control.flag("slow-sae")
        self.window_start, self.window_writes = time.monotonic(), 0

    def features(self, job):
        with self.slow_sae as decision:          # sleeps the injected delay when it fires
            return {"job": job, "sae_delay_ms": decision.delay_ns / 1e6 if decision.fires else 0.0}

    def attribution(self, job):
        decision = self.control.decide("fail-attribution")
        if decision.fires and decision.mode == "fail":
            raise RuntimeError("attribution failed (injected)")
        if decision.fires:                       # fallback (or no mode): degrade, don't fail
            return "fallback"
        return "model-%d" % (job % 3)

    def rate_limited(self):
        decision = self.control.decide("rate-limit-spike")
        if decision.fires and decision.severity == "hard":
            return True
        limit = NORMAL_RPS
        if decision.fires:                       # soft: a lower limit from params
            limit = self.control.params("rate-limit-spike").get("rps", 5)
        now = time.monotonic()
        if now - self.window_start >= 1.0:
            self.window_start, self.window_writes = now, 0
        if self.window_writes >= limit:
            return True
        self.window_writes += 1
        return False

    def run(self, job):
        outcome = {"job": job}
        try:
            outcome.update(self.features(job))
            outcome["attribution"] = self.attribution(job)
        except RuntimeError as error:
            outcome["failed"] = str(error)
            return outcome
        if self.rate_limited():
            outcome["s3"] = "rate-limited"
        elif self.control.fires("drop-s3"):
            outcome["s3"] = "dropped"
        else:
            outcome["s3"] = "written"
        return outcome


def main(argv):
    path, jobs = argv[0], int(argv[1])
    control = chaos_control.ControlReader(path)
    worker = Worker(control)
    summary = {"failed": 0, "fallback": 0, "dropped": 0, "rate-limited": 0, "written": 0}
    for job in range(jobs):
        outcome = worker.run(job)
        print(json.dumps(outcome, sort_keys=True))
        summary["failed"] += "failed" in outcome
        summary["fallback"] += outcome.get("attribution") == "fallback"
        if "s3" in outcome:
            summary[outcome["s3"]] += 1
    print(json.dumps({"summary": summary, "generation": control.generation}, sort_keys=True))
    control.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
