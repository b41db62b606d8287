"""A steady soak against the demo service: each user calls / every 20 ms.

chaosctl adds --csv and --csv-full-history into the run's report folder and reads the
per-second history (running totals), cut at the real fault instants.
"""
from locust import HttpUser, constant, task


class DemoUser(HttpUser):
    wait_time = constant(0.02)

    @task
    def home(self):
        self.client.get("/", name="GET /")
