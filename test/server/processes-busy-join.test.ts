/**
 * A join that reaches one process for a room on another whose event loop is stalled (a busy
 * machine, a long garbage collection): the seat is reserved over Redis, and Colyseus waits
 * COLYSEUS_PRESENCE_SHORT_TIMEOUT for the answer. At its default of 2 s, joins under load failed
 * with "<room> is already full." in a room with free seats. Three processes over a real
 * redis-server and PostgreSQL: two as deployed (the server's own timeout, cluster/presenceTimeout.ts)
 * and one whose operator set COLYSEUS_PRESENCE_SHORT_TIMEOUT=1500. The room's process is stopped
 * (SIGSTOP) for 2.5 s while a student joins through each of the others:
 * - through a process as deployed, the join gets its seat once the room's process answers;
 * - through the one that waits only 1.5 s, it is refused in words that say what happened (the
 *   room's server did not answer in time), not that the room is full; the room's process, which
 *   answered the health check that follows, keeps its rooms;
 * and a room that is really full is refused as full.
 *
 * Skipped, saying why, without redis-server or PostgreSQL.
 */
import { Client } from 'colyseus.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOIN_ERRORS } from '../../server/src/validation/joinErrors.ts';
import { Person, until } from './helpers.ts';
import { spawnServer, type ServerProcess } from './process.ts';
import { FAST_PROCESS_ENV, freePort, freshDatabase, servicesMissing, startPostgres, startRedis, type Service } from './support/services.ts';

const missing = servicesMissing();
if (missing) console.warn(`processes-busy-join.test.ts skipped: ${missing}`);

const STALL_MS = 2500;
const SHORT_TIMEOUT_MS = 1500;
const services: Service[] = [];
/** Two processes as deployed, then the one with the operator's short timeout. */
let deployed: ServerProcess[] = [];
let short: ServerProcess;
const url = (s: ServerProcess) => `ws://127.0.0.1:${s.port}`;

beforeAll(async () => {
  if (missing) return;
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  if ('skipped' in redis || 'skipped' in postgres) throw new Error('services went missing');
  services.push(redis, postgres);
  const databaseUrl = await freshDatabase(postgres.url, 'busyjoin');
  const start = async (env: Record<string, string> = {}) => {
    const port = await freePort();
    return spawnServer({ ...FAST_PROCESS_ENV, PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}`, REDIS_URL: redis.url, DATABASE_URL: databaseUrl, DB_PATH: '/nonexistent/unused.db', ...env });
  };
  // Not inherited from this process either way: the deployed ones must use the server's own setting.
  delete process.env.COLYSEUS_PRESENCE_SHORT_TIMEOUT;
  [deployed[0], deployed[1], short] = await Promise.all([start(), start(), start({ COLYSEUS_PRESENCE_SHORT_TIMEOUT: String(SHORT_TIMEOUT_MS) })]);
}, 120_000);

afterAll(async () => {
  for (const s of [...deployed, short]) if (s) await s.stop().catch(() => undefined);
  for (const s of services) await s.stop();
});

/** The port of the process a player's websocket went to: the room's process. */
const portOf = (p: Person) => Number(new URL((p.room.connection.transport as unknown as { ws: { url: string } }).ws.url).port);

/** SIGSTOP `server` for `ms` (as a starved or collecting process: alive, answering nothing), then SIGCONT. */
function stall(server: ServerProcess, ms: number): Promise<void> {
  server.signal('SIGSTOP');
  return new Promise((resolve) =>
    setTimeout(() => {
      server.signal('SIGCONT');
      resolve();
    }, ms),
  );
}

describe.skipIf(missing)(`a join through another process while the room's process is stalled${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('gets its seat through a process as deployed, and is told the truth (not "already full") through one that waits only 1.5 s', async () => {
    // A room on the second deployed process, opened through the first (placement spreads rooms; try until one lands there).
    let host: Person | undefined;
    for (let i = 0; i < 12 && !host; i++) {
      const p = await Person.create(url(deployed[0]!), `Host${i}`);
      if (portOf(p) === deployed[1]!.port) host = p;
      else await p.leave();
    }
    expect(host, 'a room on the second process').toBeDefined();
    const code = host!.room.roomId;

    const stalled = stall(deployed[1]!, STALL_MS);
    const started = performance.now();
    const [patient, hurried] = await Promise.allSettled([Person.join(url(deployed[0]!), code, 'Bea'), Person.join(url(short), code, 'Cyd')]);
    await stalled;

    expect(patient.status, patient.status === 'rejected' ? String(patient.reason) : '').toBe('fulfilled');
    expect(performance.now() - started).toBeGreaterThan(STALL_MS - 300); // it did wait for the stalled process
    const bea = (patient as PromiseFulfilledResult<Person>).value;
    expect(portOf(bea)).toBe(deployed[1]!.port);
    await until('Bea in the room', () => [...host!.state.members.values()].some((m: { nickname: string }) => m.nickname === 'Bea'));

    expect(hurried.status).toBe('rejected');
    const refusal = String((hurried as PromiseRejectedResult).reason);
    expect(refusal).toContain(JOIN_ERRORS.roomBusy.message);
    expect(refusal).not.toMatch(/full/);

    // The stalled process answered the health check, so it kept its rooms: the room is still joinable from anywhere.
    const dan = await Person.join(url(short), code, 'Dan');
    expect(portOf(dan)).toBe(deployed[1]!.port);
    for (const p of [dan, bea, host!]) await p.leave();
  });

  it('a room that is full is refused as full', async () => {
    const host = await Person.create(url(deployed[0]!), 'Full0');
    const joined: Person[] = [host];
    // A game room seats 40 connections (GameRoom.maxClients); they may come through any process.
    for (let i = 1; i < 40; i++) joined.push(await Person.join(url([...deployed, short][i % 3]!), host.room.roomId, `Full${i}`));
    await expect(new Client(url(deployed[1]!)).joinById(host.room.roomId, { nickname: 'Late' })).rejects.toThrow(JOIN_ERRORS.roomFull.message);
    for (const p of joined) await p.leave();
  });
});
