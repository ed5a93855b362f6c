/**
 * A full round of every level over real websockets: scripted people in some seats, the
 * server's bots in the others. The outcome and the points are the referee's, checked against
 * what the level teaches; the room's scoreboard and the database agree with them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type RoundResult } from '@heist/shared';
import { autoPilot, bootServer, Person, until, type TestServer } from './helpers.ts';
import Database from 'better-sqlite3';
import { SCENARIOS } from './scenarios.ts';

let t: TestServer;
/** The server's database file, read as an operator would (the server's own connection lives on its SQLite thread). */
let db: Database.Database;
beforeAll(async () => {
  t = await bootServer();
  db = new Database(t.dbPath, { readonly: true });
});
afterAll(async () => {
  db.close();
  await t.close();
});

describe('a full round of every level', () => {
  for (const s of SCENARIOS) {
    it(`level ${s.level}: ${s.why} → ${s.expected}`, async () => {
      const people: Person[] = [];
      for (const [i, role] of s.people.entries()) {
        const p = i === 0 ? await Person.create(t.url, `Pat${i}`) : await Person.join(t.url, people[0]!.room.roomId, `Pat${i}`);
        people.push(p);
        p.send('chooseSeat', { role });
      }
      const host = people[0]!;
      const watcher = await Person.join(t.url, host.room.roomId, 'Watcher');
      await until('seated', () => s.people.every((r) => host.state.seats.get(r)?.bot === false));
      for (const role of ROLES) expect(host.state.seats.get(role).bot).toBe(!s.people.includes(role));
      host.send('configure', { level: s.level, bots: s.bots });
      await until('configured', () => host.state.level === s.level);
      const stops = people.map((p, i) => autoPilot(p, s.bots, `level${s.level}-${i}`));
      host.send('start');

      const result: RoundResult = await until('result', () => host.views.find((v) => v.result)?.result, 30_000);
      stops.forEach((stop) => stop());
      expect(result.outcome, result.summary).toBe(s.expected);
      expect(result.summary.length).toBeGreaterThan(0);

      // Every seat and the watcher learn the same result; the room's scoreboard holds the points.
      for (const p of people) {
        const r = await until('result', () => p.views.find((v) => v.result)?.result);
        expect(r.outcome).toBe(s.expected);
        expect(r.points).toEqual(result.points);
        expect(p.view!.role).toBe(s.people[people.indexOf(p)]);
      }
      const seen = await until('spectator result', () => watcher.spectates.find((v) => v.result)?.result);
      expect(seen.outcome).toBe(s.expected);
      await until('scoreboard', () => host.state.phase === 'over' && host.state.lastOutcome === s.expected);
      for (const role of ROLES) expect(host.state.seats.get(role).points, role).toBe(result.points[role]);

      // The round is on record.
      const row = await until('the round on record', () =>
        db.prepare('SELECT outcome, level FROM rounds WHERE room_code = ? ORDER BY id DESC LIMIT 1').get(host.room.roomId) as { outcome: string; level: number } | undefined,
      );
      expect(row).toEqual({ outcome: s.expected, level: s.level });

      // The round is over: actions are refused with a typed error.
      host.send('action', { type: 'abort' });
      expect((await host.nextError()).code).toBe('wrongPhase');
      for (const p of [...people, watcher]) await p.leave();
    });
  }
});

describe('a bot attacker is ready before a quick human client dials', () => {
  it('level 4: a client who connects the moment the round opens still meets the fake certificate', async () => {
    const client = await Person.create(t.url, 'Quick');
    client.send('chooseSeat', { role: 'client' });
    await until('seated', () => client.state.seats.get('client')?.bot === false);
    client.send('configure', { level: 4, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' } });
    await until('configured', () => client.state.level === 4);
    client.send('start');
    await until('round preparing', () => client.view?.phase === 'preparing');
    client.send('action', { type: 'ready' });
    await until('play begins', () => client.view?.phase === 'playing');
    client.send('action', { type: 'connect' }); // no pause to think
    const decision = await until('certificate warning', () => (client.view?.role === 'client' ? client.view.decision : undefined), 30_000);
    expect(decision.checks.find((c) => c.check === 'issuer')).toMatchObject({ passed: false, detail: expect.stringMatching(/Mallory Root CA/) });
    client.send('action', { type: 'abort' });
    const result: RoundResult = await until('result', () => client.views.find((v) => v.result)?.result, 30_000);
    expect(result.outcome).toBe('attackDetected');
    await client.leave();
  });
});
