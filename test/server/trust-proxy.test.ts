/**
 * TRUST_PROXY trusts only the proxies it lists. A peer that is not one of them may send any
 * X-Forwarded-For it likes: it is counted under its own address, and its sockets are capped
 * like anyone's. Behind a listed proxy (here 127.0.0.1), each forwarded client has its own
 * budget. A hop count (`TRUST_PROXY=1`, which believed every client) is refused at start.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from './process.ts';
import { bootServer, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer({ trustProxy: ['127.0.0.1'], limits: { joinsPerMinute: 3, socketsPerAddress: 3 } });
});
afterAll(async () => {
  await t.close();
});

/** A join by code (to no room), from `from`, claiming to forward `forwardedFor`. */
function join(from: string, forwardedFor: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: t.server.port, localAddress: from, method: 'POST', path: '/matchmake/joinById/ZZZZZ', agent: false, headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': forwardedFor } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ nickname: 'Probe' }));
  });
}

function health(from: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: t.server.port, localAddress: from, path: '/api/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
  });
}

describe('TRUST_PROXY', () => {
  it('a peer that is not a listed proxy is counted under its own address, whatever X-Forwarded-For it sends', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await join('127.0.0.2', `198.51.100.${i + 1}`));
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('behind a listed proxy, each client it forwards has a budget of its own', async () => {
    const first = [];
    for (let i = 0; i < 4; i++) first.push(await join('127.0.0.1', '203.0.113.7'));
    expect(first).toEqual([200, 200, 200, 429]);
    // A client the proxy forwards behind a header the client wrote itself: the proxy appended the address it saw, and that counts.
    expect(await join('127.0.0.1', '203.0.113.7, 203.0.113.8')).toBe(200);
  });

  it('keeps the per-address socket cap for a peer that is not a proxy, and not for the proxy', async () => {
    const hold = (from: string) =>
      new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port: t.server.port, localAddress: from }, () => resolve(s));
        s.on('error', reject);
      });
    const held = [...(await Promise.all([1, 2, 3].map(() => hold('127.0.0.3')))), ...(await Promise.all([1, 2, 3, 4].map(() => hold('127.0.0.1'))))];
    expect(await health('127.0.0.3')).toBe(503);
    expect(await health('127.0.0.1')).toBe(200);
    for (const s of held) s.destroy();
  });

  it('refuses to start with a hop count, saying what to write instead', async () => {
    const started = spawnServer({ TRUST_PROXY: '1', DB_PATH: ':memory:' });
    await expect(started).rejects.toThrow(/TRUST_PROXY=1: list the addresses of your proxies \(e\.g\. 10\.0\.0\.5 or 172\.28\.0\.0\/24\), not a count/);
  });
});
