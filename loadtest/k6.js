// The deployment guide's load profile (CLS-DOC-012), for production use
// with k6 (https://k6.io): ramp to 100 users over 2 minutes, hold 5, ramp to
// 200, hold 5, ramp down; each user checks /api/health, signs in and sleeps
// 1 s. Thresholds: p99 < 1.5 s, failure rate < 10 %.
//
//   k6 run -e BASE_URL=https://staging.cleanstation.torvan.com \
//          -e USERS_FILE=users.json loadtest/k6.js
//
// USERS_FILE holds [{"email": "...", "password": "..."}, ...]: load-test
// accounts created beforehand (`cleanstation user create`), never real
// users. Sign-in is bcrypt-hashed on purpose, so a sign-in storm is CPU
// bound by design; scripts/loadtest.sh measures the same here.
import http from 'k6/http';
import { check, sleep } from 'k6';
import { SharedArray } from 'k6/data';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const users = new SharedArray('users', () => JSON.parse(open(__ENV.USERS_FILE || 'users.json')));

export const options = {
  stages: [
    { duration: '2m', target: 100 },
    { duration: '5m', target: 100 },
    { duration: '2m', target: 200 },
    { duration: '5m', target: 200 },
    { duration: '2m', target: 0 },
  ],
  thresholds: {
    http_req_duration: ['p(99)<1500'],
    http_req_failed: ['rate<0.1'],
  },
};

export default function () {
  const health = http.get(`${BASE_URL}/api/health`);
  check(health, { 'health is 200': (r) => r.status === 200 });

  const user = users[(__VU - 1) % users.length];
  const login = http.post(`${BASE_URL}/api/auth/login`, JSON.stringify(user), {
    headers: { 'Content-Type': 'application/json' },
  });
  check(login, { 'login is 200': (r) => r.status === 200 });

  sleep(1);
}
