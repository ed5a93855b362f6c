/**
 * No seat's view holds a secret its role does not legitimately know — checked as raw text,
 * hex and base64 in the JSON a server would send, for every attacker behaviour at every
 * level, once the round is over (when the views hold the most). And in a hidden-attacker
 * match, nothing the defenders' views (or the projector's) hold before the result tells whether
 * their room has an attacker.
 */
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  ATTACKER_BEHAVIOURS,
  botAction,
  createRound,
  DEFAULT_CONFIG,
  LEVELS,
  nextEventAt,
  playBots,
  ROLES,
  secretsHiddenFrom,
  seededRng,
  simulateRound,
  spectatorView,
  tick,
  toBase64,
  toHex,
  viewFor,
  fromUtf8,
  type AnyAction,
  type AttackerView,
  type BotBehaviours,
  type Level,
  type Round,
} from '@heist/shared';

function leaks(round: Round): string[] {
  const found: string[] = [];
  for (const role of ROLES) {
    const json = JSON.stringify(viewFor(round, role));
    for (const secret of secretsHiddenFrom(round, role)) {
      const forms = [toHex(secret.value), toBase64(secret.value)];
      try {
        forms.push(fromUtf8(secret.value));
      } catch {
        /* not text */
      }
      if (forms.some((f) => json.toLowerCase().includes(f.toLowerCase()))) found.push(`${role} sees ${secret.label}`);
    }
  }
  return found;
}

describe('views reveal nothing a role must not know', () => {
  for (const level of LEVELS) {
    for (const attacker of ATTACKER_BEHAVIOURS) {
      it(`level ${level}, ${attacker}`, () => {
        const { round } = simulateRound(level, { client: 'careless', server: 'standard', ca: 'sloppy', attacker }, `privacy/${level}/${attacker}`);
        expect(leaks(round)).toEqual([]);
      });
    }
  }

  it('the attacker never learns the PIN at levels 3-5 by listening', () => {
    for (const level of [3, 4, 5] as const) {
      const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, `pin/${level}`);
      const hidden = secretsHiddenFrom(round, 'attacker').map((s) => s.label);
      expect(hidden).toContain("client's PIN");
      expect(JSON.stringify(viewFor(round, 'attacker'))).not.toContain(`pin=${round.client.secret}`);
    }
  });

  it('the check can fail: at level 1 the PIN is on the wire for all to see', () => {
    const { round } = simulateRound(1, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, 'pin/1');
    expect(JSON.stringify(viewFor(round, 'attacker'))).toContain(`pin=${round.client.secret}`);
    expect(secretsHiddenFrom(round, 'attacker').map((s) => s.label)).not.toContain("client's PIN");
    expect(secretsHiddenFrom(round, 'ca').map((s) => s.label)).toContain("client's PIN");
  });
});

describe('a hidden attacker: the defenders cannot tell whether their room has one', () => {
  const defenders: BotBehaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' };
  /** What changes with time alone: the clock, when each parcel left and is due, when each line was written, when the countdown ends. */
  const TIMING = new Set(['now', 'endsAt', 'sentAt', 'arriveAt', 'at']);

  /**
   * A round played to its result, the defenders and the attacker seat moving as `attacker` says
   * (a person at the seat: she says ready); every distinct state of what the client, the bank, the
   * CA and the projector are shown, until the result (the debrief, which tells the truth).
   */
  function defendersSee(level: Level, present: boolean, attacker: (v: AttackerView) => AnyAction | AnyAction[] | null, timingFree: boolean): string[] {
    const round = createRound({ ...DEFAULT_CONFIG, latencyMs: 100, graceMs: 15_000, level, bots: defenders, humanSeats: ['attacker'], hiddenAttacker: { present } }, seededRng(`hidden/${level}`), 0);
    const seen: string[] = [];
    const look = () => {
      if (round.phase === 'over') return;
      const views = [viewFor(round, 'client'), viewFor(round, 'server'), viewFor(round, 'ca'), spectatorView(round, 'public')];
      const shown = JSON.stringify(views, (key, value) => (timingFree && TIMING.has(key) ? undefined : value));
      if (seen.at(-1) !== shown) seen.push(shown);
    };
    for (let i = 0; i < 1_000 && round.phase !== 'over'; i++) {
      for (let j = 0; j < 50; j++) {
        look();
        const move = attacker(viewFor(round, 'attacker') as AttackerView);
        for (const action of [move ?? []].flat()) expect(applyAction(round, 'attacker', action, round.now), JSON.stringify(action)).toBeNull();
        const before = round.timeline.length + round.packets.length;
        playBots(round, defenders, [], ['ca', 'server', 'client']);
        look();
        if (!move && round.timeline.length + round.packets.length === before) break;
      }
      const at = nextEventAt(round);
      if (at === null) break;
      tick(round, at);
      look();
    }
    expect(round.phase).toBe('over');
    return seen;
  }

  /** A room without an attacker: its seat calls, as a person would. */
  const sittingOut = (v: AttackerView): AnyAction | null => (v.allowed.includes('call') ? { type: 'call', verdict: 'complete' } : null);
  /** An attacker who listens, as the passive bot does: says ready, reads what is readable, proves the PIN when she can. */
  const listens = (v: AttackerView): AnyAction | null => botAction(v, defenders) as AnyAction | null;
  /** An attacker who holds every packet at her tap and lets it go unchanged, one at a time: the defenders see only delays. */
  const holdsAndForwards = (forwarded: number[]) => (v: AttackerView): AnyAction[] | null => {
    if (v.phase === 'preparing') return v.ready ? null : [{ type: 'setIntercept', on: true }, { type: 'ready' }];
    if (v.phase !== 'playing' || v.held.length === 0) return null;
    forwarded.push(v.held[0]!);
    return [{ type: 'forward', packetId: v.held[0]! }];
  };

  /** The first state the two rounds' defenders were shown differently, seat by seat, as the lines that differ (readable on failure). */
  function firstDifference(a: string[], b: string[]): string[] {
    const i = a.findIndex((s, k) => s !== b[k]);
    if (i < 0) return a.length === b.length ? [] : [`${a.length} states against ${b.length}`];
    const [x, y] = [JSON.parse(a[i]!) as unknown[], JSON.parse(b[i] ?? '[]') as unknown[]];
    const seats = ['client', 'server', 'ca', 'projector'];
    const flat = (v: unknown, at: string, out: Map<string, string>) => {
      if (v && typeof v === 'object') for (const [k, w] of Object.entries(v)) flat(w, `${at}.${k}`, out);
      else out.set(at, JSON.stringify(v));
      return out;
    };
    return seats.flatMap((seat, k) => {
      const [p, q] = [flat(x[k], seat, new Map()), flat(y[k], seat, new Map())];
      return [...new Set([...p.keys(), ...q.keys()])].filter((key) => p.get(key) !== q.get(key)).map((key) => `state ${i}: ${key}: ${p.get(key)} / ${q.get(key)}`);
    });
  }

  for (const level of LEVELS) {
    it(`level ${level}: an attacker who listens changes nothing they are shown, the countdown included`, () => {
      const none = defendersSee(level, false, sittingOut, false);
      expect(none.length).toBeGreaterThanOrEqual(3);
      expect(firstDifference(defendersSee(level, true, listens, false), none)).toEqual([]);
    });

    it(`level ${level}: an attacker who holds packets at her tap changes only when they arrive (the map draws them in flight)`, () => {
      const none = defendersSee(level, false, sittingOut, true);
      const forwarded: number[] = [];
      expect(firstDifference(defendersSee(level, true, holdsAndForwards(forwarded), true), none)).toEqual([]);
      expect(forwarded.length, 'packets she held, then let go').toBeGreaterThanOrEqual(2);
    });
  }

  it('the comparison can fail: without the mode, the countdown names Mallory, and held parcels wait at the tap', () => {
    const round = simulateRound(1, { ...defenders, attacker: 'none' }, 'hidden/normal', { graceMs: 15_000 }).round;
    expect(spectatorView(round, 'public').hiddenAttacker).toBeUndefined();
    expect(viewFor(round, 'client').timeline.map((e) => e.text)).toContain('The conversation is over. Mallory has 15 s to prove what she read.');
    const held = createRound({ ...DEFAULT_CONFIG, latencyMs: 100, level: 1, bots: defenders }, seededRng('hidden/held'), 0);
    expect(applyAction(held, 'attacker', { type: 'setIntercept', on: true }, 0)).toBeNull();
    playBots(held, { ...defenders, attacker: 'none' }, [], ['ca', 'server', 'client']);
    tick(held, nextEventAt(held)!);
    playBots(held, { ...defenders, attacker: 'none' }, [], ['ca', 'server', 'client']);
    const parcel = viewFor(held, 'client').parcels[0]!;
    expect(held.packets[0]!.status).toBe('held');
    expect(parcel).toMatchObject({ status: 'inFlight', arriveAt: parcel.sentAt + 100 });
    expect((viewFor(held, 'attacker') as AttackerView).parcels[0]).toMatchObject({ status: 'held', arriveAt: -1 });
  });
});
