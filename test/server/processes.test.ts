/**
 * Many processes, one game: a real redis-server and a real PostgreSQL (the machine's Debian
 * packages), three server processes (server/src/main.ts, each with its own PUBLIC_ADDRESS)
 * sharing them. A teacher and eight students in four teams, scripted like colyseus.js browsers,
 * send every matchmaking request to whichever process comes next; the class lobby runs on one
 * process and its two game rooms on the other two. Two rounds play; in the third, the process
 * running one game room is killed with SIGKILL: the lobby records that round as interrupted
 * (its state and the CSV say so), opens a new room on a live process, and the fourth round
 * plays there with the same students. The CSV, read from another process, has every round.
 *
 * Without redis-server or PostgreSQL on the machine, the test is skipped and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './helpers.ts';
import type { ServerProcess } from './process.ts';
import { startCluster, type Cluster } from './support/cluster.ts';
import { classOfEight, csvRows, matchesOf as matches, roomHosts } from './support/pupils.ts';
import { servicesMissing, type Service } from './support/services.ts';

const missing = servicesMissing();
if (missing) console.warn(`processes.test.ts skipped: ${missing}`);

let cluster: Cluster;
let redis: Service;
let servers: ServerProcess[] = [];
const urls: string[] = [];
let next = 0;
/** Each matchmaking request goes to the next process, as a load balancer would send it. */
const anyProcess = () => urls[next++ % urls.length]!;

beforeAll(async () => {
  if (missing) return;
  cluster = await startCluster({ processes: 3, database: 'district' });
  ({ redis, servers } = cluster);
  urls.push(...servers.map((s) => `http://127.0.0.1:${s.port}`));
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe.skipIf(missing)(`three server processes sharing Redis and PostgreSQL${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('a class plays across them; a game room’s process killed mid-round: the round is interrupted, the next plays in a new room, the CSV has every round', async () => {
    const { code, teacherSecret, teacher, pupils, names } = await classOfEight(anyProcess, [1, 2]);
    teacher.send('startMatch');
    await until('two rooms playing', () => matches(teacher).length === 2 && matches(teacher).every((m) => m.phase === 'playing'), 20_000);

    // The lobby on one process, its two game rooms on the other two.
    const where = await roomHosts(redis.url);
    const rooms = matches(teacher).map((m) => m.roomCode);
    const processes = [where.get(code), ...rooms.map((r) => where.get(r))];
    expect(new Set(processes).size, `lobby and rooms on ${processes.join(', ')}`).toBe(3);
    await until('every student in their room', () => pupils.every((p) => p.game?.view?.phase === 'playing'), 20_000);

    // Two rounds play to their ends.
    for (const round of [0, 1]) {
      await until(`round ${round + 1} over`, () => teacher.state.round === round && matches(teacher).every((m) => m.phase === 'over'), 40_000);
      expect(matches(teacher).map((m) => m.outcome)).toEqual(['eavesdropped', 'eavesdropped']);
    }

    // Round 3, mid-round: the process running the first game room dies.
    await until('round 3 playing', () => teacher.state.round === 2 && matches(teacher).every((m) => m.phase === 'playing'), 20_000);
    const victim = rooms[0]!;
    const victimProcess = servers.find((s) => `127.0.0.1:${s.port}` === where.get(victim))!;
    await until('round 3 under way in the room', () => pupils.some((p) => p.game?.room.roomId === victim && p.game.view?.phase === 'playing' && p.game.view.parcels.length > 0), 20_000);
    await victimProcess.crash();
    urls.splice(urls.indexOf(`http://127.0.0.1:${victimProcess.port}`), 1);

    // Its students lose the room; the lobby says the round was interrupted, under a new room's code.
    const playedThere = pupils.filter((p) => p.rooms.at(-1) === victim);
    expect(playedThere).toHaveLength(4);
    await until('their connections dropped', () => playedThere.every((p) => p.game!.left !== undefined), 10_000);
    const interrupted = await until('the interrupted round on the dashboard, under the new room', () => matches(teacher).find((m) => m.phase === 'interrupted' && m.roomCode !== victim), 15_000);
    expect(interrupted.summary).toMatch(/server running this room stopped/);
    expect(matches(teacher).map((m) => m.roomCode)).not.toContain(victim);
    await until('a watch ticket for the new room', () => teacher.watches.some((w) => w.roomCode === interrupted.roomCode));
    const survivor = rooms[1]!;
    await until('round 3 over in the other room', () => matches(teacher).find((m) => m.roomCode === survivor)?.phase === 'over', 40_000);

    // Round 4 plays in the new room, on a live process, with the same students.
    await until('round 4 over', () => teacher.state.round === 3 && teacher.state.status === 'ended', 60_000);
    const newHost = (await roomHosts(redis.url)).get(interrupted.roomCode);
    expect(newHost).toBeDefined();
    expect(newHost).not.toBe(where.get(victim));
    for (const p of playedThere) expect(p.rooms.at(-1), p.nickname).toBe(interrupted.roomCode);
    expect(matches(teacher).map((m) => m.outcome).sort()).toEqual(['eavesdropped', 'eavesdropped']);

    // The CSV, from a process that hosted neither the lobby nor the new room: every round, the stopped one as interrupted.
    const rows = await csvRows(anyProcess(), code, teacherSecret);
    expect(rows.every((r) => r[11] === '1'), 'the class’s first match').toBe(true);
    const byRound = (n: number) => rows.filter((r) => r[0] === String(n));
    const outcomes = (n: number) => [...new Set(byRound(n).map((r) => `${r[2]}:${r[3]}`))].sort();
    expect(outcomes(1)).toEqual([`${rooms[0]}:eavesdropped`, `${rooms[1]}:eavesdropped`].sort());
    expect(outcomes(2)).toEqual([`${rooms[0]}:eavesdropped`, `${rooms[1]}:eavesdropped`].sort());
    expect(outcomes(3)).toEqual([`${victim}:interrupted`, `${survivor}:eavesdropped`].sort());
    expect(outcomes(4)).toEqual([`${interrupted.roomCode}:eavesdropped`, `${survivor}:eavesdropped`].sort());
    for (const n of [1, 2, 3, 4]) for (const name of names) expect(byRound(n).map((r) => r[5]), `round ${n}`).toContain(name);
    expect(byRound(3).filter((r) => r[2] === victim).every((r) => r[7] === '0')).toBe(true);

    await Promise.all([...pupils.map((p) => p.leave()), teacher.room.leave(true).catch(() => undefined)]);
  });
});
