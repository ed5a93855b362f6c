/**
 * Two server processes sharing a real redis-server and PostgreSQL (and, for the last case, a
 * third with a Redis of its own):
 * - an address has one join budget, whichever process its requests reach;
 * - SIGTERM to the process running a class's game room, mid-round: the round plays to its end
 *   there (and is recorded with its result), the room closes, the class lobby (on the other
 *   process) opens the next round's room on the process that stays, and the stopped process
 *   exits by itself, cleanly;
 * - SIGTERM when Redis has gone away: the process still exits, and soon.
 *
 * Without redis-server or PostgreSQL on the machine, the tests are skipped and say why.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassServerMessages } from '@heist/shared';
import { autoPilot, BOTS, createClass, Lobbyist, Person, until } from './helpers.ts';
import { spawnServer, type ServerProcess } from './process.ts';
import { rawRequest } from './raw-http.ts';
import { tempDbPath as tempDb } from './helpers.ts';
import { startCluster, type Cluster } from './support/cluster.ts';
import { FAST_PROCESS_ENV, freePort, servicesMissing, startRedis, type Service } from './support/services.ts';

const missing = servicesMissing();
if (missing) console.warn(`processes-shutdown.test.ts skipped: ${missing}`);

const JOINS_PER_MINUTE = 40;
const ENV = { ...FAST_PROCESS_ENV, SHUTDOWN_WAIT_MS: '30000', JOINS_PER_MINUTE: String(JOINS_PER_MINUTE) };

let cluster: Cluster;
let redis: Service;
let servers: ServerProcess[] = [];

beforeAll(async () => {
  if (missing) return;
  cluster = await startCluster({ processes: 2, database: 'shutdown', env: ENV });
  ({ redis, servers } = cluster);
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

async function hostOf(roomId: string): Promise<string | undefined> {
  const client = new Redis(redis.url);
  try {
    const listing = await client.hget('roomcaches', roomId);
    return listing ? (JSON.parse(listing) as { publicAddress: string }).publicAddress : undefined;
  } finally {
    client.disconnect();
  }
}

describe.skipIf(missing)(`two server processes sharing Redis and PostgreSQL${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('give an address one join budget, whichever process it asks', async () => {
    const json = { 'Content-Type': 'application/json' };
    const ask = async (i: number) => {
      const port = servers[i % 2]!.port;
      return (await rawRequest(port, { path: '/matchmake/joinById/ZZZZZ', from: '127.0.0.9', headers: json, body: JSON.stringify({ nickname: 'Guess' }) })).status;
    };
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < JOINS_PER_MINUTE; i++) statuses.push(await ask(i));
    // A wrong code is answered 200 with an error (as Colyseus does).
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Past the budget, both processes refuse (429): ask each until it has, a few times at most.
    const refused = new Set<number>();
    let granted = 0;
    for (let i = JOINS_PER_MINUTE; i < JOINS_PER_MINUTE + 10 && refused.size < 2; i++) {
      const status = await ask(i);
      if (status === 429) refused.add(i % 2);
      else granted++;
    }
    expect([...refused].sort()).toEqual([0, 1]);
    // The budget refills one join every 60 s / JOINS_PER_MINUTE: on a slow machine a join may come
    // back while we ask, as many as that time allows (a budget a process would have granted all ten).
    expect(granted).toBeLessThanOrEqual(Math.floor((Date.now() - started) / (60_000 / JOINS_PER_MINUTE)));
    // Another address still has its own.
    expect((await rawRequest(servers[1]!.port, { path: '/matchmake/joinById/ZZZZZ', from: '127.0.0.10', headers: json, body: '{}' })).status).toBe(200);
  });

  it('SIGTERM mid-round: the round ends with its result, the next plays on the other process, the stopped one exits', async () => {
    const http = servers.map((s) => `http://127.0.0.1:${s.port}`);
    // A load balancer sends each request to a process that is up.
    const up = (i: number) => {
      const live = servers.filter((s) => s.running());
      return `ws://127.0.0.1:${live[i % live.length]!.port}`;
    };
    const joinErrors: string[] = [];
    const { code, teacherSecret } = await createClass(http[0]!);
    const teacher = await Lobbyist.join(http[1]!.replace('http', 'ws'), code, { teacherSecret });
    const names = ['Ada', 'Bea', 'Cyd', 'Dov'];
    const games = new Map<string, Person>();
    const stops: (() => void)[] = [];
    const lobbies: Lobbyist[] = [];
    for (const [i, nickname] of names.entries()) {
      const lobby = await Lobbyist.join(http[i % 2]!.replace('http', 'ws'), code, { nickname });
      lobby.room.onMessage('assignment', (a: ClassServerMessages['assignment']) => {
        const game = games.get(nickname);
        if (game && game.left === undefined && game.room.roomId === a.roomCode) return;
        void Person.join(up(i), a.roomCode, nickname, { ticket: a.ticket }).then(
          (p) => {
            games.set(nickname, p);
            stops.push(autoPilot(p, BOTS, `${nickname}-${a.roomCode}`));
          },
          (e: unknown) => joinErrors.push(`${nickname}: ${(e as Error).message}`),
        );
      });
      lobbies.push(lobby);
    }
    await until('welcomes', () => lobbies.every((l) => l.welcome));
    teacher.send('formTeams', { teams: [lobbies.slice(0, 2).map((l) => l.welcome!.playerId), lobbies.slice(2).map((l) => l.welcome!.playerId)] });
    await until('teams', () => teacher.state.teams.size === 2);
    teacher.send('startMatch');
    const first = await until('the game room playing', () => [...teacher.state.matches.values()].find((m: any) => m.phase === 'playing')?.roomCode as string | undefined, 20_000);
    const [lobbyHost, roomHost] = [await hostOf(code), await hostOf(first)];
    expect(roomHost).not.toBe(lobbyHost);
    const leaving = servers.find((s) => `127.0.0.1:${s.port}` === roomHost)!;
    const staying = servers.find((s) => s !== leaving)!;
    await until('round 1 under way', () => names.every((n) => games.get(n)?.view?.phase === 'playing' && games.get(n)!.view!.parcels.length > 0), 20_000);

    leaving.signal('SIGTERM');
    // The round is not cut short: it ends with its result.
    await until('round 1 over', () => [...teacher.state.matches.values()].some((m: any) => m.phase === 'over'), 40_000);
    const matches = () => [...teacher.state.matches.values()] as { roomCode: string; phase: string; outcome: string }[];
    expect(matches()[0]!.outcome).toBe('eavesdropped');
    expect(await leaving.exited).toBe(0);
    expect(leaving.output.join('')).toMatch(/SIGTERM: finishing the rounds being played/);

    // Round 2 plays in a new room on the process that stays.
    await until('the match over', () => teacher.state.status === 'ended', 60_000);
    const second = matches()[0]!;
    expect(second.roomCode).not.toBe(first);
    expect(await hostOf(second.roomCode)).toBe(`127.0.0.1:${staying.port}`);
    expect(second.outcome).toBe('eavesdropped');
    expect(joinErrors).toEqual([]);
    const csv = await (await fetch(`http://127.0.0.1:${staying.port}/api/classes/${code}/results.csv`, { headers: { 'X-Teacher-Secret': teacherSecret } })).text();
    const rounds = [...new Set(csv.trim().split('\r\n').slice(1).map((l) => l.split(',').slice(0, 4).join(',')))];
    expect(rounds).toEqual([`1,1,"${first}","eavesdropped"`, `2,1,"${second.roomCode}","eavesdropped"`]);

    for (const stop of stops) stop();
    servers.splice(servers.indexOf(leaving), 1);
    await Promise.all([...[...games.values()].map((g) => g.leave()), ...lobbies.map((l) => l.room.leave(true).catch(() => undefined)), teacher.room.leave(true).catch(() => undefined)]);
  });

  it('SIGTERM with Redis gone: the process still exits, and soon', async () => {
    const own = await startRedis();
    if ('skipped' in own) throw new Error('redis-server went missing');
    const port = await freePort();
    const lonely = await spawnServer({ ...ENV, SHUTDOWN_WAIT_MS: '500', PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}`, REDIS_URL: own.url, DB_PATH: tempDb() });
    const player = await Person.create(`ws://127.0.0.1:${port}`, 'Alone');
    await own.stop();
    const t0 = Date.now();
    lonely.signal('SIGTERM');
    const code = await Promise.race([lonely.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
    if (code === 'hung') await lonely.crash();
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    await player.leave();
  }, 40_000);
});
