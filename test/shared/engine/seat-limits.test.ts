/**
 * One attacker seat cannot grow her room's views without end: what a seat adds per round is
 * bounded (shared/src/round/limits.ts), a move past a limit is refused in words that name the
 * limit, and her panel says what is left. Played as a flooding student would: the moves the
 * room would pass on, one after another.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, ROLES, SEAT_LIMITS, startPlay, viewFor, type AnyAction, type AttackerView, type Round, type ServerView } from '@heist/shared';
import { play, startRound } from './play.ts';

/** The largest seat view, as JSON (what the room sends, before patching). */
function largestView(round: Round): number {
  const size = Math.max(...ROLES.map((role) => JSON.stringify(viewFor(round, role)).length));
  if (process.env.SHOW_SIZES) console.log(`largest view: ${size} bytes`);
  return size;
}

/**
 * The bound we promise: a round's views stay under 256 KB each, whatever one attacker does.
 * (Measured: the flood below, 100 injected 4 KB packets, grew the attacker's view to 0.9 MB and
 * the bank's to 0.45 MB before the limits, without end as she went on; now it stops at 80 KB.)
 */
const VIEW_BOUND = 256 * 1024;

describe('what one seat can add to a round is bounded', () => {
  it('a flood of 4 KB injections is refused at the byte budget, and every view stays under 256 KB', () => {
    const round = startRound(4, 'flood/inject');
    const refusals: string[] = [];
    let accepted = 0;
    play<AttackerView>(round, 'attacker', (v) => {
      if (v.phase !== 'playing' || refusals.length + accepted >= 100) return null;
      const to = (refusals.length + accepted) % 2 === 0 ? 'server' : 'client';
      const error = applyAction(round, 'attacker', { type: 'inject', to, hex: 'ab'.repeat(4096) }, round.now);
      if (error) refusals.push(error.message);
      else accepted++;
      return null;
    });
    expect(accepted).toBe(SEAT_LIMITS.bytes / 4096);
    expect(refusals[0]).toBe('at most 32768 bytes of your own on the wire (injected, replayed or edited) per round');
    expect(round.phase).toBe('over');
    expect(largestView(round)).toBeLessThan(VIEW_BOUND);
  });

  it('small injections stop at 20 per round, and the panel counts them down', () => {
    const round = startRound(1, 'flood/count');
    startPlay(round, 0);
    const left = () => {
      const b = (viewFor(round, 'attacker') as AttackerView).budgets.injections;
      return `${b.limit - b.used} of ${b.limit}`;
    };
    expect(left()).toBe('20 of 20');
    for (let i = 0; i < 17; i++) expect(applyAction(round, 'attacker', { type: 'inject', to: 'server', hex: '00' }, 0)).toBeNull();
    expect(left()).toBe('3 of 20');
    for (let i = 0; i < 3; i++) applyAction(round, 'attacker', { type: 'inject', to: 'server', hex: '00' }, 0);
    expect(applyAction(round, 'attacker', { type: 'inject', to: 'server', hex: '00' }, 0)).toEqual({ code: 'notAllowed', message: 'at most 20 injected packets per round' });
    expect((viewFor(round, 'attacker') as AttackerView).allowed).not.toContain('inject');
  });

  it('replays stop at 20 per round', () => {
    const r = startRound(1, 'flood/replay');
    startPlay(r, 0);
    applyAction(r, 'client', { type: 'connect' }, 0);
    applyAction(r, 'client', { type: 'sendSecret' }, 0);
    const refusals: string[] = [];
    for (let i = 0; i < 30; i++) {
      const e = applyAction(r, 'attacker', { type: 'replay', packetId: 1 }, 0);
      if (e) refusals.push(e.message);
    }
    expect(refusals).toEqual(Array(10).fill('at most 20 replayed packets per round'));
  });

  it('a script clicking without end is stopped at 300 moves a round', () => {
    const round = startRound(2, 'flood/moves');
    const errors = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const e = applyAction(round, 'attacker', { type: 'setIntercept', on: i % 2 === 0 }, 0);
      if (e) errors.add(e.message);
    }
    expect([...errors]).toEqual(['at most 300 moves per round']);
    expect((viewFor(round, 'attacker') as AttackerView).timeline.filter((e) => e.actor === 'attacker')).toHaveLength(300);
    expect(largestView(round)).toBeLessThan(VIEW_BOUND);
  });

  it('every other tool of hers, used as often as the room lets her, keeps every view under 256 KB', () => {
    const round = startRound(4, 'flood/everything');
    const big = 'cd'.repeat(4096);
    let n = 0;
    const flood = (v: AttackerView): AnyAction | null => {
      if (v.phase === 'over' || n++ > 2000) return null;
      const any = v.captured.at(-1)?.id ?? 1;
      const moves: AnyAction[] = [
        { type: 'setIntercept', on: n % 3 !== 0 },
        ...v.held.map((id) => ({ type: 'editBytes' as const, packetId: id, hex: big })),
        { type: 'replay', packetId: any },
        { type: 'inject', to: 'server', hex: big.slice(0, 2000) },
        { type: 'tryKey', packetId: any, keyHex: 'ee'.repeat(32) },
        { type: 'requestCertificate', subject: `n${n}.example` },
        { type: 'submitSecret', secret: String(n).padStart(4, '0') },
        { type: 'forwardAll' },
      ];
      for (const m of moves) applyAction(round, 'attacker', m, round.now);
      return null;
    };
    play<AttackerView>(round, 'attacker', flood);
    const bank = viewFor(round, 'server') as ServerView;
    expect(bank.packets.length).toBeGreaterThan(5);
    expect(largestView(round)).toBeLessThan(VIEW_BOUND);
  });
});
