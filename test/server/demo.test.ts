/**
 * Demo mode: a room of four bots plays by itself, one level after another, with bots taking
 * human-like pauses (0.6-1.5 s) before each move; whoever opens it watches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, Person, until, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer({ timing: { botDelayMs: [600, 1500], latencyMs: 150, betweenRoundsMs: 300 } });
});
afterAll(async () => {
  await t.close();
});

describe('demo mode', () => {
  it('plays rounds by itself at a human pace, and the watcher sees only the public view', async () => {
    const started = Date.now();
    const watcher = await Person.create(t.url, 'Watcher', { demo: true });
    await until('playing', () => watcher.state.phase === 'playing');
    expect(watcher.state.demo).toBe(true);
    expect([...watcher.state.seats.values()].every((s: any) => s.bot)).toBe(true);
    expect(watcher.state.members.get(watcher.room.sessionId).role).toBe('');

    await until('first result', () => watcher.spectates.find((v) => v.result), 60_000);
    const firstRoundMs = Date.now() - started;
    // At least a few bot moves, each after a pause of 0.6 s or more.
    expect(firstRoundMs).toBeGreaterThan(1800);
    await until('second round', () => watcher.state.round === 2 && watcher.state.phase === 'playing', 10_000);
    expect(watcher.state.level).toBe(2);

    // Nobody in the demo can steer it.
    watcher.send('chooseSeat', { role: 'attacker' });
    expect((await watcher.nextError()).code).toBe('notAllowed');
    watcher.send('start');
    expect((await watcher.nextError()).code).toBe('notAllowed');
    expect(watcher.views).toEqual([]); // a spectator never gets a seat's view
    await watcher.leave();
  });
});
