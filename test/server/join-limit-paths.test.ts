/**
 * The join limiter counts whatever reaches Colyseus' matchmaker, by Colyseus' own routing
 * (any URL containing "/matchmake"), not only paths that start with "/matchmake/". (Its own
 * file: Colyseus allows one server per process.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { bootServer, type TestServer } from './helpers.ts';
import { rawRequest } from './raw-http.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer({ limits: { joinsPerMinute: 4 } });
});
afterAll(async () => {
  await t.close();
});

const guess = (path: string, from?: string) => rawRequest(t.server.port, { path, from, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ nickname: 'Guess' }) });

describe('join attempts by any path', () => {
  it('share one budget per address, whatever prefix the path has', async () => {
    const shapes = ['/x/matchmake/joinById/ZZZZZ', '//matchmake/joinById/ZZZZY', '/api/matchmake/joinById/ZZZZX', '/?/matchmake/joinById/ZZZZW'];
    for (const path of shapes) expect((await guess(path, '127.0.0.3')).status, path).toBe(200); // answered by the matchmaker: no such room
    for (const path of shapes) {
      const res = await guess(path, '127.0.0.3');
      expect(res.status, path).toBe(429);
      expect(JSON.parse(res.text).error).toMatch(/Too many attempts/);
    }
    // Another address has its own budget.
    expect((await guess('/x/matchmake/joinById/ZZZZZ', '127.0.0.4')).status).toBe(200);
  });

  it('a colyseus.js client with a path in its endpoint is limited too', async () => {
    const client = new Client(`http://127.0.0.1:${t.server.port}/api`);
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => client.joinById('ZZZZZ', { nickname: 'Guess' })));
    const refused = outcomes.filter((o) => o.status === 'rejected' && /Too many attempts/.test(String(o.reason?.message)));
    expect(refused.length).toBe(2);
  });
});
