/**
 * A casual room's seats, as friends use them: one person, one seat per round. A second tab or
 * a leave-and-rejoin must not take a seat mid-round (and read the client's PIN); a person who
 * comes back gets their own seat again; whoever opens a demo can pause it and change its speed.
 * GameSession on a drivable clock, no sockets.
 */
import { describe, expect, it } from 'vitest';
import { seededRng, type GameServerMessages } from '@heist/shared';
import { DEFAULT_TIMING } from '../../server/src/config.ts';
import { GameSession } from '../../server/src/game/session.ts';
import { GameState } from '../../server/src/schema/GameState.ts';
import { ManualScheduler } from '../../server/src/time/manualScheduler.ts';

function casualRoom(options: { demo?: boolean } = {}) {
  const scheduler = new ManualScheduler();
  const inbox = new Map<string, { type: keyof GameServerMessages; payload: unknown }[]>();
  const closed = new Map<string, string>();
  const state = new GameState().assign({ code: 'ROOM1' });
  const session = new GameSession(state, seededRng('seats'), DEFAULT_TIMING, scheduler, {
    send: (id, type, payload) => inbox.set(id, [...(inbox.get(id) ?? []), { type, payload }]),
    disconnect: (id, reason) => closed.set(id, reason),
    roundOver: () => undefined,
    log: () => undefined,
  });
  if (options.demo) session.startDemo();
  const seen = (id: string) => JSON.stringify(inbox.get(id) ?? []);
  return { scheduler, session, state, closed, seen };
}

describe('a casual room: one person, one seat', () => {
  it('does not let a second tab, or someone who left and came back, take the client seat mid-round and read the PIN', () => {
    const { session, state, seen } = casualRoom();
    session.addMember('alice-tab1', { nickname: 'Alice', host: true, key: 'alice-device-key-1' });
    session.addMember('bob', { nickname: 'Bob', key: 'bob-device-key-000' });
    expect(session.chooseSeat('alice-tab1', 'client')).toBeNull();
    expect(session.chooseSeat('bob', 'attacker')).toBeNull();
    expect(session.start('alice-tab1')).toBeNull();
    const pin = session.currentRound!.client.secret;

    // Bob opens a second tab under another nickname (another device key: a private window).
    session.addMember('bob-tab2', { nickname: 'Bobby', key: 'bob-private-window' });
    expect(session.chooseSeat('bob-tab2', 'client')?.code).toBe('wrongPhase');
    // Bob leaves his seat for good and rejoins as a newcomer: still no seat this round.
    session.removeMember('bob');
    session.addMember('bob-again', { nickname: 'Bob', key: 'bob-device-key-000' });
    expect(session.chooseSeat('bob-again', 'client')?.code).toBe('wrongPhase');
    for (const id of ['bob-tab2', 'bob-again']) expect(seen(id)).not.toContain(pin);
    expect([...state.members.values()].filter((m) => m.role === 'client').map((m) => m.nickname)).toEqual(['Alice']);
  });

  it('gives a person who comes back from the same browser their seat again; their other tab is closed', () => {
    const { session, state, closed } = casualRoom();
    session.addMember('tab1', { nickname: 'Alice', host: true, key: 'alice-device-key-1' });
    session.chooseSeat('tab1', 'attacker');
    session.start('tab1');
    session.addMember('tab2', { nickname: 'Alice', key: 'alice-device-key-1' });
    expect(closed.get('tab1')).toMatch(/another tab/);
    expect(state.members.has('tab1')).toBe(false);
    expect(state.members.get('tab2')!.role).toBe('attacker');
    expect(state.members.get('tab2')!.host, 'the host stays host').toBe(true);
    // Left for good, then back: the seat is theirs again.
    session.removeMember('tab2');
    expect(state.seats.get('attacker')!.bot).toBe(true);
    session.addMember('tab3', { nickname: 'Alice', key: 'alice-device-key-1' });
    expect(state.members.get('tab3')!.role).toBe('attacker');
    expect(state.seats.get('attacker')!.bot).toBe(false);
  });

  it('lets whoever opened a demo pause it and change its speed, and nobody else steer it', () => {
    const { session, state, scheduler } = casualRoom({ demo: true });
    session.addMember('opener', { nickname: 'Opener', host: true });
    session.addMember('other', { nickname: 'Other' });
    expect(session.setSpeedBy('other', 0)?.code).toBe('notAllowed');
    expect(session.setSpeedBy('opener', 0)).toBeNull();
    const packets = session.currentRound!.packets.length;
    scheduler.advance(60_000);
    expect(session.currentRound!.packets.length, 'paused: nothing moves').toBe(packets);
    expect(session.setSpeedBy('opener', 2)).toBeNull();
    expect(state.speed).toBe(2);
    expect(session.start('opener')?.code).toBe('notAllowed');
    expect(session.configure('opener', 3, {})?.code).toBe('notAllowed');
    scheduler.advanceUntil(() => state.phase === 'over', 300_000);
  });
});
