"""A steady soak against the demo service: each user calls / every 20 ms.

chaosctl adds --csv and --csv-full-history into the run's report folder and reads the
per-second history (running totals), cut at the real fault instants.
"""
import locust.stats
from locust import HttpUser, constant, task

# Locust writes a CSV row every CSV_STATS_INTERVAL_SEC (1 s) but flushes the files only when
# more than CSV_STATS_FLUSH_INTERVAL_SEC has passed since the last flush (5 s in Locust 2.47,
# locust/stats.py StatsCSVFileWriter.stats_writer). 0 flushes every row, so chaosctl's live
# status and load stop conditions see each second about a second later, not 5 s later.
locust.stats.CSV_STATS_FLUSH_INTERVAL_SEC = 0


class DemoUser(HttpUser):
    wait_time = constant(0.02)

    @task
    def home(self):
        self.client.get("/", name="GET /")
