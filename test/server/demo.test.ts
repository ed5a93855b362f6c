/**
 * Demo mode: a room of four bots plays by itself, one level after another, with bots taking
 * human-like pauses (0.6-1.5 s) before each move; whoever opens it watches. GameSession on a
 * drivable clock (as GameRoom runs it, without sockets): a round at a human pace takes
 * milliseconds of test time, and every pause is measured on the clock that made it.
 */
import { describe, expect, it } from 'vitest';
import { ROLES, seededRng, type GameServerMessages } from '@heist/shared';
import { DEFAULT_TIMING } from '../../server/src/config.ts';
import { GameSession } from '../../server/src/game/session.ts';
import { GameState } from '../../server/src/schema/GameState.ts';
import { ManualScheduler } from '../../server/src/time/manualScheduler.ts';

function demoRoom() {
  const scheduler = new ManualScheduler();
  // Every pause a bot takes before a move, in the scheduler's milliseconds.
  const botPauses: number[] = [];
  const after = scheduler.after.bind(scheduler);
  scheduler.after = (ms, what, fn) => {
    if (what.endsWith(': bot')) botPauses.push(ms);
    return after(ms, what, fn);
  };
  const inbox = new Map<string, (keyof GameServerMessages)[]>();
  const state = new GameState().assign({ code: 'DEMO1' });
  const timing = { ...DEFAULT_TIMING, botDelayMs: [600, 1500] as const, latencyMs: 150, betweenRoundsMs: 300 };
  const session = new GameSession(state, seededRng('demo'), timing, scheduler, {
    send: (id, type) => inbox.set(id, [...(inbox.get(id) ?? []), type]),
    disconnect: () => undefined,
    roundOver: () => undefined,
    log: () => undefined,
  });
  // GameRoom: a room created with { demo: true } starts its demo, then its creator joins.
  session.startDemo();
  return { scheduler, session, state, botPauses, inbox };
}

describe('demo mode', () => {
  it('plays rounds by itself at a human pace, and the watcher sees only the public view', () => {
    const { scheduler, session, state, botPauses, inbox } = demoRoom();
    const started = scheduler.now();
    session.addMember('watcher', { nickname: 'Watcher', host: true });
    expect(state.phase).toBe('playing');
    expect(state.demo).toBe(true);
    expect(ROLES.every((role) => state.seats.get(role)!.bot)).toBe(true);
    expect(state.members.get('watcher')!.role).toBe('');

    scheduler.advanceUntil(() => session.currentRound?.result !== undefined, 120_000, 10);
    const firstRoundMs = scheduler.now() - started;
    // At least a few bot moves, each after a pause of 0.6 s or more (and at most 1.5 s).
    expect(botPauses.length).toBeGreaterThanOrEqual(3);
    expect(botPauses.every((ms) => ms >= 600 && ms <= 1500), `pauses: ${botPauses.join(', ')}`).toBe(true);
    expect(firstRoundMs).toBeGreaterThan(1800);
    scheduler.advanceUntil(() => state.round === 2 && state.phase === 'playing', 10_000, 10);
    expect(state.level).toBe(2);

    // Nobody in the demo can steer it.
    expect(session.chooseSeat('watcher', 'attacker')?.code).toBe('notAllowed');
    expect(session.start('watcher')?.code).toBe('notAllowed');
    // A spectator never gets a seat's view: only the public one.
    const got = new Set(inbox.get('watcher'));
    expect(got.has('spectate')).toBe(true);
    expect([...got].filter((type) => type === 'view' || type === 'viewPatch')).toEqual([]);
    expect(scheduler.errors).toEqual([]);
  });
});
