/**
 * Outages under a class: three server processes sharing a real redis-server and a real
 * PostgreSQL, a teacher and eight students in four teams (two game rooms a round), and in
 * round 2 something fails. After each, every round is in the CSV exactly once — its match,
 * round, room and result — the dashboard said "ended" only once it was, and the match went on.
 *
 * - The lobby's process killed mid-round: a live process opens the class again within seconds
 *   (joinable by its code, students rejoin with their tokens); the rooms finish round 2, record
 *   it and close (no room left behind); the reopened dashboard says "ended" once they have.
 * - Redis down 5 s (stopped, then started again empty; longer if round 2 takes longer to end in
 *   both rooms) while both rooms finish round 2: their
 *   reports reach the lobby once Redis is back; the match plays on to its end; nothing is
 *   recorded as interrupted.
 * - PostgreSQL stopped while the match's last round ends: the results wait in each process's
 *   journal; the dashboard counts them and keeps saying "playing"; a room can still be opened,
 *   a class cannot (a clear 503), nor can a new student join (told why); PostgreSQL back, the
 *   rows are written once, then "ended".
 * - Redis down 12 s, six times the time after which a silent process counts as dead and longer
 *   than a Redis client keeps commands waiting (ioredis' default gives them up after ~10 s: then
 *   Colyseus' requestFromIPC never settled, and a room's report chain waited for good): no live
 *   process is declared dead, no room is replaced, the match plays to its end; then a room's
 *   process stops on SIGTERM within its deadline (nothing in it waits on Redis for good).
 *
 * The processes beat every 250 ms and count as dead after 2 s, and give a cross-process call
 * 2 s (HEARTBEAT_MS, DEAD_AFTER_MS, REMOTE_CALL_MS; the defaults are 1 s, 3 s, 3 s), so that a
 * 12 s outage here is as long, in heartbeats, as the issue's 20 s one (a process too starved to
 * beat for 2 s is still not given up for dead: it must also leave a health check unanswered for 2 s).
 *
 * Without redis-server or PostgreSQL on the machine, the tests are skipped and say why.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@heist/shared';
import { Lobbyist, Person, sleep, until } from './helpers.ts';
import type { ServerProcess } from './process.ts';
import { startCluster, type Cluster } from './support/cluster.ts';
import { classOfEight, csvRows, leaveRoom, matchesOf, roomHosts, type ClassOfEight } from './support/pupils.ts';
import { servicesMissing } from './support/services.ts';

const missing = servicesMissing();
if (missing) console.warn(`outages.test.ts skipped: ${missing}`);

const ENV = { HEARTBEAT_MS: '250', DEAD_AFTER_MS: '2000', REMOTE_CALL_MS: '2000', SHUTDOWN_WAIT_MS: '2000' };

let cluster: Cluster;

beforeAll(async () => {
  if (missing) return;
  cluster = await startCluster({ processes: 3, database: 'outages', env: ENV });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

// A failure is read with the processes' own words: their logs go with it.
afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const s of cluster?.servers ?? []) {
    const lines = s.output.join('').split('\n').filter((l) => !l.startsWith('colyseus: '));
    console.log(`── process on port ${s.port} (last 80 lines) ──\n${lines.slice(-80).join('\n')}`);
  }
});

const address = (s: ServerProcess) => `127.0.0.1:${s.port}`;
const live = () => cluster.servers.filter((s) => s.running());
let turn = 0;
/** Each request goes to the next live process, as a load balancer would send it. */
const anyProcess = () => {
  const up = live();
  return `http://${address(up[turn++ % up.length]!)}`;
};

/**
 * Starts the match and waits until round 2 is under way in both rooms, its students holding
 * their moves there until `play` (the fault lands mid-round on any machine, however fast the
 * rounds or slow the test: unheld, a whole match once played out between two looks); the rooms'
 * codes and where each runs.
 */
async function roundTwoUnderWay(c: ClassOfEight): Promise<{ rooms: string[]; hosts: Map<string, string>; play: () => void }> {
  for (const p of c.pupils) p.holdIn = 2;
  const play = () => {
    for (const p of c.pupils) p.holdIn = undefined;
  };
  c.teacher.send('startMatch');
  await until('two rooms playing', () => matchesOf(c.teacher).length === 2 && matchesOf(c.teacher).every((m) => m.phase === 'playing'), 20_000);
  const rooms = matchesOf(c.teacher).map((m) => m.roomCode);
  const hosts = await roomHosts(cluster.redis.url);
  await until('round 1 over', () => c.teacher.state.round >= 1 || (c.teacher.state.round === 0 && matchesOf(c.teacher).every((m) => m.phase === 'over')), 40_000).catch(explain(c));
  // Both rooms in round 2, every student in it (the rooms run apart: one may be further on than the other).
  await until('round 2 under way in both rooms', () => c.teacher.state.round === 1 && matchesOf(c.teacher).every((m) => m.phase === 'playing') && c.pupils.every((p) => p.game?.state.round === 2 && p.game.view?.phase === 'playing'), 30_000).catch(explain(c));
  return { rooms, hosts, play };
}

/** A wait that failed, with where the class stood. */
const explain = (c: ClassOfEight) => (e: unknown) => {
  const pupils = c.pupils.map((p) => `${p.nickname} in ${p.game?.room.roomId ?? '-'} round ${p.game?.state.round ?? '-'} ${p.game?.view?.phase ?? '-'}${p.game?.left !== undefined ? ` left ${p.game.left}` : ''}`);
  throw new Error(`${(e as Error).message}; dashboard: ${c.teacher.state.status} round ${c.teacher.state.round + 1}, ${JSON.stringify(matchesOf(c.teacher).map((m) => `${m.roomCode} ${m.phase} ${m.outcome}`))}; ${pupils.join(', ')}`);
};

/** Round 2 has ended in both rooms, as the students see it. */
const roundTwoOverForStudents = (c: ClassOfEight) => c.pupils.every((p) => p.game?.view?.phase === 'over' && p.game.view.result !== undefined && p.game.state.round === 2);

/**
 * The CSV, each round of each room once: `match,round,room,outcome` with how many rows (one per
 * seat, and one per student sharing it: client, server, a bot CA, two attackers = 5).
 */
async function roundsInCsv(c: ClassOfEight): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const r of await csvRows(anyProcess(), c.code, c.teacherSecret)) {
    const key = `${r[11]},${r[0]},${r[2]},${r[3]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} ×${n}`).sort();
}

const every = (rooms: string[], rounds: number[], outcome = 'eavesdropped') => rounds.flatMap((n) => rooms.map((room) => `1,${n},${room},${outcome} ×5`)).sort();

/** Everything the dashboard's status says, in order, from now on. */
function statusWords(teacher: Lobbyist): string[] {
  const seen = [teacher.state.status as string];
  teacher.room.onStateChange(() => {
    if (seen.at(-1) !== teacher.state.status) seen.push(teacher.state.status);
  });
  return seen;
}

async function leave(c: ClassOfEight): Promise<void> {
  await Promise.all([...c.pupils.map((p) => p.leave()), leaveRoom(c.teacher)]);
}

describe.skipIf(missing)(`a class over three processes, when Redis or PostgreSQL fails${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('the lobby’s process killed mid-round: a live process opens the class again, the rooms record round 2 and close, nothing is lost or left open', async () => {
    const c = await classOfEight(anyProcess, [1, 2]);
    const { rooms, hosts, play } = await roundTwoUnderWay(c);
    const lobbyProcess = live().find((s) => address(s) === (hosts.get(c.code) ?? ''))!;
    expect(lobbyProcess, 'the lobby is listed').toBeDefined();
    // First in this file: with every process empty, the lobby takes one and its rooms the other two.
    expect(rooms.map((r) => hosts.get(r)).filter((h) => h === address(lobbyProcess)), 'both rooms on other processes').toEqual([]);

    await lobbyProcess.crash();
    play();
    const killedAt = Date.now();
    // The class answers again, on a live process, within seconds.
    let teacher: Lobbyist | undefined;
    for (const deadline = Date.now() + 20_000; !teacher; await sleep(250)) {
      teacher = await Lobbyist.join(anyProcess().replace('http', 'ws'), c.code, { teacherSecret: c.teacherSecret }).catch(() => undefined);
      if (!teacher && Date.now() > deadline) throw new Error('the class was not opened again');
    }
    const reopenedIn = Date.now() - killedAt;
    expect(reopenedIn).toBeLessThan(10_000);
    // Its students come back with their tokens.
    const kofi = c.pupils[1]!;
    const back = await Lobbyist.join(anyProcess().replace('http', 'ws'), c.code, { playerToken: kofi.lobby.welcome!.playerToken });
    await until('Kofi welcomed back', () => back.welcome?.playerId === kofi.lobby.welcome!.playerId);
    // Three processes again for what follows, started while the rooms finish (only now: a process
    // starting opens the lobbies open nowhere, and the class must have been reopened by a live one).
    const respawned = cluster.spawn();
    respawned.catch(() => undefined); // awaited below; a failure before then is the test's own

    // The rooms finish round 2, record it, and close.
    await until('round 2 over for the students', () => roundTwoOverForStudents(c), 20_000).catch(explain(c));
    await until('both rooms closed, their students told', () => c.pupils.every((p) => p.game?.left === CLOSE_CODES.closed), 15_000);
    for (const deadline = Date.now() + 15_000; ; await sleep(200)) {
      const listed = await roomHosts(cluster.redis.url);
      if (rooms.every((r) => !listed.has(r))) break;
      if (Date.now() > deadline) throw new Error(`rooms left open: ${rooms.filter((r) => listed.has(r)).join(', ')}`);
    }
    await until('the match shown as ended', () => teacher.state.status === 'ended', 20_000);
    expect(await roundsInCsv(c)).toEqual(every(rooms, [1, 2]));
    for (const r of rooms) {
      const host = live().find((s) => address(s) === hosts.get(r))!;
      expect(host.output.join('')).toMatch(new RegExp(`room ${r}: class ${c.code} is gone`));
    }
    await Promise.all([leave(c), leaveRoom(teacher), leaveRoom(back)]);
    await respawned;
  }, 150_000);

  it('Redis down 5 s while round 2 ends: the reports arrive when it is back, no round is lost or recorded twice, the match plays on', async () => {
    const c = await classOfEight(anyProcess, [1, 2]);
    const { rooms, hosts, play } = await roundTwoUnderWay(c);
    const lobbyHost = (await roomHosts(cluster.redis.url)).get(c.code);
    expect(rooms.some((r) => hosts.get(r) !== lobbyHost), `a room on another process than the lobby (${[...hosts]})`).toBe(true);
    const words = statusWords(c.teacher);

    const down = Date.now();
    await cluster.redis.halt();
    play();
    try {
      await until('round 2 over in both rooms, for their students', () => roundTwoOverForStudents(c), 15_000).catch(explain(c));
      await sleep(Math.max(0, 5_000 - (Date.now() - down)));
    } finally {
      await cluster.redis.restart();
    }

    // Both reports arrive; the match goes on by itself, to its end.
    await until('round 2 over on the dashboard', () => c.teacher.state.round >= 1 && (c.teacher.state.round > 1 || matchesOf(c.teacher).every((m) => m.phase === 'over')), 20_000);
    await until('the match over', () => c.teacher.state.status === 'ended', 60_000);
    expect(await roundsInCsv(c)).toEqual(every(rooms, [1, 2, 3, 4]));
    expect(matchesOf(c.teacher).map((m) => m.roomCode).sort()).toEqual([...rooms].sort());
    expect(words).toEqual(['playing', 'ended']);
    await leave(c);
  }, 150_000);

  it('PostgreSQL stopped while the last round ends: results wait in the journals, the dashboard says so and not "ended"; rooms open, classes get a clear 503; back, each round is written once', async () => {
    const c = await classOfEight(anyProcess, [1]);
    const { rooms, play } = await roundTwoUnderWay(c);
    const words = statusWords(c.teacher);

    await cluster.postgres.halt();
    play();
    try {
      await until('round 2 over in both rooms, for their students', () => roundTwoOverForStudents(c), 15_000).catch(explain(c));
      // Both results wait; the teacher is told, and the match is not shown as ended.
      await until('two results waiting on the dashboard', () => c.teacher.state.unsaved === 2, 10_000);
      expect(matchesOf(c.teacher).map((m) => m.phase)).toEqual(['over', 'over']);
      expect(c.teacher.state.status).toBe('playing');
      // A room opens without the database; a class cannot, and says why.
      const visitor = await Person.create(anyProcess().replace('http', 'ws'), 'Visitor');
      expect(visitor.room.roomId).toMatch(/^[A-Z2-9]{5}$/);
      await visitor.leave();
      const refused = await fetch(`${anyProcess()}/api/classes`, { method: 'POST' });
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({ error: 'Classes cannot be created right now: the class database is not reachable. Try again in a minute.' });
      // A student already in the class is; a new one cannot join (they must be written first), and is told why.
      await expect(Lobbyist.join(anyProcess().replace('http', 'ws'), c.code, { nickname: 'Latecomer' })).rejects.toMatchObject({
        code: 4212,
        message: 'The class cannot take new students right now: its database is not reachable. Try again in a minute.',
      });
      await sleep(3_000);
      expect(c.teacher.state.status).toBe('playing');
      expect(c.teacher.state.unsaved).toBe(2);
    } finally {
      await cluster.postgres.restart();
    }

    await until('the match shown as ended', () => c.teacher.state.status === 'ended', 30_000);
    // Shown as ended: the rows are there.
    expect(await roundsInCsv(c)).toEqual(every(rooms, [1, 2]));
    expect(c.teacher.state.unsaved).toBe(0);
    expect(words).toEqual(['playing', 'ended']);
    await leave(c);
  }, 150_000);

  it('Redis down 12 s: no live process is declared dead, no room replaced, the match plays to its end; SIGTERM is obeyed in time', async () => {
    const c = await classOfEight(anyProcess, [1, 2]);
    const { rooms, hosts, play } = await roundTwoUnderWay(c);
    const seen = new Set<string>(rooms);
    const watch = setInterval(() => matchesOf(c.teacher).forEach((m) => seen.add(m.roomCode)), 50);
    const words = statusWords(c.teacher);
    const logged = live().map((s) => s.output.length);

    await cluster.redis.halt();
    play();
    try {
      await sleep(12_000);
    } finally {
      await cluster.redis.restart();
    }

    await until('the match over', () => c.teacher.state.status === 'ended', 90_000);
    clearInterval(watch);
    expect([...seen].sort(), 'the same two rooms all match long').toEqual([...rooms].sort());
    expect(await roundsInCsv(c)).toEqual(every(rooms, [1, 2, 3, 4]));
    expect(words).toEqual(['playing', 'ended']);
    const since = live().map((s, i) => s.output.slice(logged[i]).join(''));
    for (const text of since) expect(text).not.toMatch(/is gone \(stopped\); opening another|its lobby's process .* is gone/);

    // A room's process, asked to stop, stops within its deadline (SHUTDOWN_WAIT_MS 2 s, then 5 s at most).
    const leaving = live().find((s) => address(s) === hosts.get(rooms[0]!))!;
    const t0 = Date.now();
    leaving.signal('SIGTERM');
    expect(await leaving.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(7_000);
    await leave(c);
  }, 150_000);
});

