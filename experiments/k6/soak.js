// A steady soak against the demo service (or BASE_URL): 5 virtual users, one request each
// every 20 ms. chaosctl adds --out json and --summary-export into the run's report folder and
// cuts the results at the real fault instants. The threshold is k6's own check, carried into
// chaosctl's verdict as a test case.
import http from 'k6/http';
import { sleep } from 'k6';

const base = __ENV.BASE_URL || 'http://127.0.0.1:18080';

export const options = {
  vus: 5,
  duration: '90s',  // longer than the experiment: chaosctl stops k6 when the run ends
  thresholds: { http_req_duration: ['p(95)<500'] },
};

export default function () {
  http.get(`${base}/`, { tags: { name: 'GET /' } });
  sleep(0.02);
}
