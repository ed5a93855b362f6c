/**
 * deploy/nginx.conf in front of real game processes: the file itself, with only what this
 * machine needs changed (the upstreams' addresses, loopback ports, a self-signed certificate,
 * and `http2 on;` and the pool's `resolve` dropped: Debian 12's nginx 1.22 predates them; the
 * compose file runs 1.28; deploy-nginx-resolve.test.ts covers the names looked up again).
 * Two game processes over a real redis-server and PostgreSQL, each with its PUBLIC_ADDRESS
 * behind nginx (`…/g1`, `…/g2`) and TRUST_PROXY=127.0.0.1 (nginx's address). Over HTTPS and WSS only: a teacher creates
 * a class, two students join and play a round, their websockets reach each room's own process
 * through its path; a forged X-Forwarded-For buys no new class-creation budget; plain HTTP is
 * sent to HTTPS.
 *
 * Skipped, saying why, without nginx, redis-server or PostgreSQL (.ci/run installs them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassServerMessages } from '@heist/shared';
import { autoPilot, BOTS, Lobbyist, Person, until } from './helpers.ts';
import { spawnServer, type ServerProcess } from './process.ts';
import { nginxMissing, startNginx, type Nginx } from './support/nginx.ts';
import { freePort, freshDatabase, servicesMissing, startPostgres, startRedis, type Service } from './support/services.ts';

const missing = servicesMissing() ?? nginxMissing();
if (missing) console.warn(`deploy-nginx.test.ts skipped: ${missing}`);

let redis: Service;
let postgres: Service;
let nginx: Nginx | undefined;
const servers: ServerProcess[] = [];
let base = '';
let dir = '';
let plainPort = 0;

beforeAll(async () => {
  if (missing) return;
  // Our own self-signed certificate: trust it while this file's tests run (afterAll undoes it:
  // the worker goes on to other files, which must not trust one).
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-nginx-'));
  const [r, p] = await Promise.all([startRedis(), startPostgres()]);
  if ('skipped' in r || 'skipped' in p) throw new Error('services went missing');
  redis = r;
  postgres = p;
  const databaseUrl = await freshDatabase(postgres.url, 'nginx');
  const [tlsPort, httpPort, g1, g2] = [await freePort(), await freePort(), await freePort(), await freePort()];
  plainPort = httpPort;
  const host = `127.0.0.1:${tlsPort}`;
  base = `https://${host}`;
  await Promise.all(
    [g1, g2].map(async (port, i) =>
      servers.push(
        await spawnServer({
          PORT: String(port),
          PUBLIC_ADDRESS: `${host}/g${i + 1}`,
          PUBLIC_URL: base,
          TRUST_PROXY: '127.0.0.1', // nginx, here on the same machine
          REDIS_URL: redis.url,
          DATABASE_URL: databaseUrl,
          DB_PATH: '/nonexistent/unused.db',
          CLASSES_PER_HOUR: '3',
          LATENCY_MS: '40',
          PREPARE_MS: '3000',
          CLOSING_MS: '1500',
          BOT_DELAY_MS: '15-40',
          SEATING_GRACE_MS: '3000',
          SHUTDOWN_WAIT_MS: '500',
        }),
      ),
    ),
  );
  servers.sort((a, b) => a.port - b.port);
  const [first, second] = [g1, g2];
  nginx = await startNginx(
    dir,
    { tlsPort, httpPort },
    (conf) =>
      conf
        .replace(/(server game[1-4]:2567) resolve /g, '$1 ') // the pool's re-resolution: nginx 1.27.3+, and the names become addresses below
        .replace(/game([1-4]):2567/g, (_m, n: string) => `127.0.0.1:${Number(n) % 2 === 1 ? first : second}`),
    () => fetch(`${base}/api/health`).then((r) => r.ok),
  );
}, 120_000);

afterAll(async () => {
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  await nginx?.stop();
  for (const s of servers) await s.stop().catch(() => undefined);
  await redis?.stop();
  await postgres?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(missing)(`deploy/nginx.conf in front of two game processes${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('serves a class over HTTPS and WSS, each room’s websocket through its process’s path; forged forwarding headers buy nothing', async () => {
    const wss = base.replace('https', 'wss');
    const created = await fetch(`${base}/api/classes`, { method: 'POST' });
    expect(created.status).toBe(201);
    const { code, teacherSecret } = (await created.json()) as { code: string; teacherSecret: string };
    const teacher = await Lobbyist.join(wss, code, { teacherSecret });
    const names = ['Ada', 'Bea'];
    const stops: (() => void)[] = [];
    const games: Person[] = [];
    const lobbies: Lobbyist[] = [];
    for (const nickname of names) {
      const lobby = await Lobbyist.join(wss, code, { nickname });
      lobby.room.onMessage('assignment', (a: ClassServerMessages['assignment']) => {
        void Person.join(wss, a.roomCode, nickname, { ticket: a.ticket }).then((p) => {
          games.push(p);
          stops.push(autoPilot(p, BOTS, `${nickname}-nginx`));
        });
      });
      lobbies.push(lobby);
    }
    await until('welcomes', () => lobbies.every((l) => l.welcome));
    teacher.send('formTeams', { teams: lobbies.map((l) => [l.welcome!.playerId]) });
    await until('teams', () => teacher.state.teams.size === 2);
    teacher.send('startMatch');
    await until('round 1 over', () => [...teacher.state.matches.values()].some((m: any) => m.phase === 'over'), 40_000);
    expect(games).toHaveLength(2);
    for (const stop of stops) stop();

    // Class creation: 3 an hour per address. The first was ours; forged X-Forwarded-For headers do not make new addresses.
    const forged = async (xff: string) => (await fetch(`${base}/api/classes`, { method: 'POST', headers: { 'X-Forwarded-For': xff } })).status;
    expect([await forged('203.0.113.7'), await forged('198.51.100.1, 203.0.113.8'), await forged('192.0.2.1')]).toEqual([201, 201, 429]);

    // Plain HTTP is sent to HTTPS.
    const plain = await fetch(`http://127.0.0.1:${plainPort}/`, { redirect: 'manual' });
    expect(plain.status).toBe(301);
    expect(plain.headers.get('location')).toMatch(/^https:\/\/127\.0\.0\.1\//);
    await Promise.all([...games.map((g) => g.leave()), ...lobbies.map((l) => l.room.leave(true).catch(() => undefined)), teacher.room.leave(true).catch(() => undefined)]);

    // Every websocket went through its room's process's own path and was upgraded there (nginx logs it once closed).
    const upgrades = await until('the websockets in the access log', () => {
      const log = fs.readFileSync(path.join(dir, 'access.log'), 'utf8');
      const found = [...log.matchAll(/"GET \/g([12])\/[A-Za-z0-9_-]+\/([A-Z0-9]{5})\?[^"]*" 101 /g)].map((m) => ({ process: m[1]!, room: m[2]! }));
      return found.length >= 5 && found; // teacher, two students in the lobby, two in the game room
    });
    const processOf = (room: string) => new Set(upgrades.filter((u) => u.room === room).map((u) => u.process));
    expect(processOf(code).size).toBe(1);
    expect(processOf(games[0]!.room.roomId).size).toBe(1);
  });
});
