/**
 * The process running a class lobby dies mid-round (SIGKILL), while the round's game room
 * plays on another process. The room cannot report the round to the lobby any more; it
 * records the round itself (from what the lobby told it when the round started), so the
 * round's result, points and players are in the CSV — read from the process that is left.
 * Before, that round was lost.
 *
 * Without redis-server or PostgreSQL on the machine, the test is skipped and says why.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassServerMessages } from '@heist/shared';
import { autoPilot, BOTS, createClass, Lobbyist, Person, until } from './helpers.ts';
import { startCluster, type Cluster } from './support/cluster.ts';
import { servicesMissing } from './support/services.ts';

const missing = servicesMissing();
if (missing) console.warn(`processes-lobby-lost.test.ts skipped: ${missing}`);

let cluster: Cluster;

beforeAll(async () => {
  if (missing) return;
  cluster = await startCluster({ processes: 2, database: 'lobby_lost' });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

async function hostOf(roomId: string): Promise<string | undefined> {
  const client = new Redis(cluster.redis.url);
  try {
    const listing = await client.hget('roomcaches', roomId);
    return listing ? (JSON.parse(listing) as { publicAddress: string }).publicAddress : undefined;
  } finally {
    client.disconnect();
  }
}

describe.skipIf(missing)(`a class lobby's process dies${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('the round being played is still recorded, by its game room, with its result and players', async () => {
    const { servers } = cluster;
    const http = servers.map((s) => `http://127.0.0.1:${s.port}`);
    const { code, teacherSecret } = await createClass(http[0]!);
    const lobbyHost = await hostOf(code);
    const lobbyProcess = servers.find((s) => `127.0.0.1:${s.port}` === lobbyHost)!;
    const other = servers.find((s) => s !== lobbyProcess)!;
    const ws = (s: typeof other) => `ws://127.0.0.1:${s.port}`;

    const teacher = await Lobbyist.join(ws(lobbyProcess), code, { teacherSecret });
    const names = ['Ada', 'Bea', 'Cyd', 'Dov'];
    const games = new Map<string, Person>();
    const stops: (() => void)[] = [];
    const lobbies: Lobbyist[] = [];
    for (const nickname of names) {
      const lobby = await Lobbyist.join(ws(lobbyProcess), code, { nickname });
      lobby.room.onMessage('assignment', (a: ClassServerMessages['assignment']) => {
        if (games.has(nickname)) return;
        void Person.join(ws(other), a.roomCode, nickname, { ticket: a.ticket }).then((p) => {
          games.set(nickname, p);
          stops.push(autoPilot(p, BOTS, `${nickname}-${a.roomCode}`));
        });
      });
      lobbies.push(lobby);
    }
    await until('welcomes', () => lobbies.every((l) => l.welcome));
    teacher.send('formTeams', { teams: [lobbies.slice(0, 2).map((l) => l.welcome!.playerId), lobbies.slice(2).map((l) => l.welcome!.playerId)] });
    await until('teams', () => teacher.state.teams.size === 2);
    teacher.send('startMatch');
    const room = await until('the game room playing', () => [...teacher.state.matches.values()].find((m: any) => m.phase === 'playing')?.roomCode as string | undefined, 20_000);
    expect(await hostOf(room)).toBe(`127.0.0.1:${other.port}`);
    await until('round 1 under way', () => names.every((n) => games.get(n)?.view?.phase === 'playing' && games.get(n)!.view!.parcels.length > 0), 20_000);

    await lobbyProcess.crash();
    await until('the students lose the lobby', () => lobbies.every((l) => l.room.connection.isOpen === false), 10_000);
    // The round plays to its end in its room all the same.
    const result = await until('round 1 over in the room', () => games.get('Ada')?.view?.result, 40_000);
    expect(result.outcome).toBe('eavesdropped');

    // The CSV, from the process that is left: round 1, its room, its outcome, all four students.
    let rows: string[][] = [];
    for (const deadline = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 200))) {
      const csv = await (await fetch(`${http[servers.indexOf(other)]}/api/classes/${code}/results.csv`, { headers: { 'X-Teacher-Secret': teacherSecret } })).text();
      rows = csv.trim().split('\r\n').slice(1).map((line) => line.split(','));
      if (rows.length > 0 || Date.now() > deadline) break;
    }
    expect([...new Set(rows.map((r) => r.slice(0, 4).join(',')))]).toEqual([`1,1,"${room}","eavesdropped"`]);
    expect(rows.map((r) => r[5]).filter((name) => name !== '"(bot)"').sort()).toEqual(names.map((n) => `"${n}"`).sort());
    expect(other.output.join('')).toMatch(new RegExp(`class ${code} unreachable; round 1 recorded by the room`));

    for (const stop of stops) stop();
    await Promise.all([...games.values()].map((g) => g.leave()));
  });
});
