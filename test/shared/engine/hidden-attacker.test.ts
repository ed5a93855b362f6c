/**
 * The hidden-attacker mode's rules (basics/hidden-attacker.ts): which rooms of a round have an
 * attacker, what a seat with no attack in its room may do and see, and how the referee scores and
 * reveals each kind of room — played as students would, with the exact points and words.
 */
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  attackerRooms,
  nextEventAt,
  playBots,
  spectatorView,
  tick,
  HIDDEN_ATTACKER_POINTS,
  HIDDEN_ATTACKER_TEXTS,
  LEVEL_MODULES,
  LEVELS,
  OUTCOME_POINTS,
  simulateRound,
  viewFor,
  type AnyAction,
  type AttackerBehaviour,
  type AttackerView,
  type ClientView,
  type Level,
  type Round,
} from '@heist/shared';
import { honest, play, startRound } from './play.ts';
import { EXPECTED } from './expected-outcomes.ts';

const quiet = { hiddenAttacker: { present: false } } as const;
const attacked = { hiddenAttacker: { present: true } } as const;

describe('which rooms have an attacker', () => {
  it('is drawn from the round’s seed: the same seed, the same rooms; a room added changes no other room', () => {
    expect(attackerRooms('class ABCDE/match 1/round 3', 6)).toEqual(attackerRooms('class ABCDE/match 1/round 3', 6));
    expect(attackerRooms('class ABCDE/match 1/round 3', 9).slice(0, 6)).toEqual(attackerRooms('class ABCDE/match 1/round 3', 6));
    expect(attackerRooms('class ABCDE/match 1/round 4', 6)).not.toEqual(attackerRooms('class ABCDE/match 1/round 3', 6));
  });

  it('tosses a fair coin per room: about half the rooms of many rounds have an attacker, and every mix occurs', () => {
    const rounds = Array.from({ length: 200 }, (_, i) => attackerRooms(`round ${i}`, 3));
    const attackedRooms = rounds.flat().filter(Boolean).length;
    expect(attackedRooms).toBeGreaterThan(0.4 * 600);
    expect(attackedRooms).toBeLessThan(0.6 * 600);
    // Every room's coin is its own: each of the 8 ways three rooms can fall happens.
    expect(new Set(rounds.map((r) => r.map(Number).join(''))).size).toBe(8);
  });
});

/** The client seat played by hand: it connects, then closes the connection at once — an abort on a hunch. */
const abortOnAHunch = (v: ClientView): AnyAction | null => (v.allowed.includes('connect') ? { type: 'connect' } : v.allowed.includes('abort') ? { type: 'abort' } : null);

/** Bots in every seat; the attacker seat is a person (it must say ready, and may call). */
function hiddenRound(level: Level, attacker: AttackerBehaviour, present: boolean, seed: string): Round {
  return simulateRound(level, { ...honest, attacker }, seed, { hiddenAttacker: { present }, humanSeats: ['attacker'] }).round;
}

describe('a room without an attacker', () => {
  it('keeps its attacker seat off the Wi-Fi: no tool, nothing captured, the lane as the projector shows it; it may only call, while the round prepares', () => {
    const round = startRound(1, 'quiet/view', { ...quiet, humanSeats: ['attacker'] });
    let v = viewFor(round, 'attacker') as AttackerView;
    expect(v.sittingOut).toEqual({});
    expect(v.allowed).toEqual(['ready', 'call']);
    expect(v.tools).toEqual([]);
    call(round, 'abort');
    play(round, 'attacker', () => null);
    v = viewFor(round, 'attacker') as AttackerView;
    expect(round.result?.outcome).toBe('unprotected');
    expect(v.sittingOut).toEqual({ call: 'abort' });
    expect(v.captured).toEqual([]);
    expect(v.keys).toEqual({});
    expect(v.downloads).toEqual([]);
    // At level 1 the PIN crosses the Wi-Fi in the clear: an attacker would read it; this seat does not.
    expect(JSON.stringify(v)).not.toContain(`pin=${round.client.secret}`);
    expect(v.parcels.length).toBeGreaterThan(0);
    expect(v.parcels).toEqual(spectatorView(round, 'public').parcels);
  });

  it('refuses every tool of the attacker seat, in words, and a call once play has begun', () => {
    const round = startRound(4, 'quiet/refusals', { ...quiet, humanSeats: ['attacker'] });
    expect((viewFor(round, 'attacker') as AttackerView).unavailable).toEqual({});
    for (const action of [{ type: 'setIntercept', on: true }, { type: 'substitute', mode: 'ownKey' }, { type: 'requestCertificate', subject: 'mallory.example' }] as const)
      expect(applyAction(round, 'attacker', action, round.now)).toEqual({ code: 'notAllowed', message: 'no attack from your room this round: you are off the café Wi-Fi' });
    expect(applyAction(round, 'attacker', { type: 'ready' }, round.now)).toBeNull();
    advance(round, () => round.phase === 'playing');
    const after = viewFor(round, 'attacker') as AttackerView;
    expect(after.allowed).toEqual([]);
    expect(after.unavailable).toEqual({ ready: 'play has already begun', call: 'calls are made before play begins' });
    expect(applyAction(round, 'attacker', { type: 'call', verdict: 'complete' }, round.now)).toEqual({ code: 'wrongPhase', message: 'calls are made before play begins' });
  });

  it('scores an honest session completed, and the call that foresaw it; the debrief says there was no attacker', () => {
    const round = hiddenRound(4, 'fakeCertificate', false, 'quiet/secure');
    expect(round.result?.outcome).toBe('secure');
    expect(round.attacker.call).toBe('complete'); // the person at the seat played as the bot does
    expect(round.result?.points).toEqual({ client: 3, server: 3, ca: 2 + 1, attacker: HIDDEN_ATTACKER_POINTS.rightCall });
    expect(round.result?.hiddenAttacker).toEqual({
      present: false,
      headline: 'No attacker in your room this round. The session was honest, and it was completed. The attacking team sat this round out and called “they will complete the session”: right (+2).',
      call: { verdict: 'complete', right: true },
    });
  });

  it('costs the defenders an abort on a hunch — a false alarm — and scores the call that foresaw it', () => {
    const round = startRound(4, 'quiet/hunch', { ...quiet, humanSeats: ['attacker'] });
    call(round, 'abort');
    play(round, 'client', abortOnAHunch);
    expect(round.result?.outcome).toBe('falseAlarm');
    expect(round.result?.points).toEqual({ client: OUTCOME_POINTS.falseAlarm.client, server: OUTCOME_POINTS.falseAlarm.server, ca: 0 + 1, attacker: 2 });
    expect(round.result?.hiddenAttacker?.headline).toBe(
      'No attacker in your room this round. The abort was a false alarm: nothing was wrong. The attacking team sat this round out and called “they will abort it (a false alarm)”: right (+2).',
    );
  });

  it('scores a wrong call nothing, and no call nothing (a bot seat makes none)', () => {
    const wrong = startRound(4, 'quiet/wrong', { ...quiet, humanSeats: ['attacker'] });
    call(wrong, 'abort');
    play(wrong, 'attacker', () => null); // the careful client completes the session
    expect(wrong.result?.outcome).toBe('secure');
    expect(wrong.result?.points.attacker).toBe(HIDDEN_ATTACKER_POINTS.wrongCall);
    expect(wrong.result?.hiddenAttacker?.call).toEqual({ verdict: 'abort', right: false });

    const bot = simulateRound(4, { ...honest, attacker: 'passive' }, 'quiet/bot', quiet).round;
    expect(bot.result?.outcome).toBe('secure');
    expect(bot.attacker.call).toBeUndefined();
    expect(bot.result?.points.attacker).toBe(0);
    expect(bot.result?.hiddenAttacker?.headline).toBe('No attacker in your room this round. The session was honest, and it was completed. The attacking team sat this round out and made no call.');
  });
});

describe('a room with an attacker', () => {
  it('scores her as usual when she gets through unnoticed; the debrief says she was there', () => {
    const round = hiddenRound(1, 'passive', true, 'attacked/eavesdropped');
    expect(round.result?.outcome).toBe('eavesdropped');
    expect(round.result?.points).toEqual(OUTCOME_POINTS.eavesdropped);
    expect(round.result?.hiddenAttacker).toEqual({ present: true, headline: 'There was an attacker in your room: she only listened on the café Wi-Fi. Nobody noticed her.' });
  });

  it('scores her nothing when the defenders detect her (the usual table gives 1 for trying)', () => {
    const round = hiddenRound(4, 'fakeCertificate', true, 'attacked/detected');
    expect(round.result?.outcome).toBe('attackDetected');
    expect(OUTCOME_POINTS.attackDetected.attacker).toBe(1);
    expect(round.result?.points).toEqual({ client: 4, server: 4, ca: 2 + 1, attacker: HIDDEN_ATTACKER_POINTS.attackDetected });
    expect(round.result?.hiddenAttacker?.headline).toBe('There was an attacker in your room. Your checks caught her: a noticed attacker scores nothing.');
    // The truth on the scoreboard; what she did in the debrief's notes.
    expect(round.result?.debrief.notes.at(-1)).toBe('The attacker put her proxy between client and bank.');
  });

  it('calls an abort that caught nothing she did a false alarm all the same, and scores her for it', () => {
    const round = startRound(4, 'attacked/hunch', { ...attacked, bots: { ...honest, attacker: 'passive' } });
    play(round, 'client', abortOnAHunch, { ...honest, attacker: 'passive' });
    expect(round.result?.outcome).toBe('falseAlarm');
    expect(round.result?.points).toEqual({ ...OUTCOME_POINTS.falseAlarm, ca: 1 });
    expect(round.result?.hiddenAttacker).toEqual({
      present: true,
      headline: 'There was an attacker in your room: she only listened on the café Wi-Fi. Nothing she did showed, so the abort caught nothing: a false alarm all the same.',
    });
  });

  it('scores nothing for a secure session she only listened to', () => {
    const round = hiddenRound(5, 'passive', true, 'attacked/secure');
    expect(round.result?.outcome).toBe('secure');
    expect(round.result?.points).toEqual({ client: 3, server: 3, ca: 3, attacker: 0 });
    expect(round.result?.hiddenAttacker?.headline).toBe('There was an attacker in your room: she only listened on the café Wi-Fi. She got nothing: every check passed, and the session really was secure.');
  });
});

describe('a hidden-attacker round at every level, played by the class’s bots (careful client, strict CA, the level’s attack)', () => {
  for (const level of LEVELS) {
    const attack = LEVEL_MODULES[level].botAttack;
    const expected = EXPECTED[level][attack]('careful', 'strict');
    const honestly = EXPECTED[level].none('careful', 'strict');
    it(`level ${level}: with an attacker, as the scenario matrix says (${expected}), a noticed one scoring nothing; without, ${honestly} and the call right`, () => {
      // The same rounds outside the mode score the defenders the same (the CA's decisions included): only the attacker seat's points differ.
      const usual = (attacker: AttackerBehaviour, seed: string) => simulateRound(level, { ...honest, attacker }, seed, { humanSeats: ['attacker'] }).round.result!.points;
      const withHer = hiddenRound(level, attack, true, `every-level/${level}/present`);
      expect(withHer.result?.outcome).toBe(expected);
      expect(withHer.result?.points).toEqual({ ...usual(attack, `every-level/${level}/present`), attacker: expected === 'attackDetected' ? 0 : OUTCOME_POINTS[expected].attacker });
      expect(withHer.result?.hiddenAttacker?.present).toBe(true);
      const without = hiddenRound(level, attack, false, `every-level/${level}/absent`);
      expect(without.result?.outcome).toBe(honestly);
      expect(without.result?.points).toEqual({ ...usual('none', `every-level/${level}/absent`), attacker: HIDDEN_ATTACKER_POINTS.rightCall });
      expect(without.result?.hiddenAttacker).toMatchObject({ present: false, call: { verdict: 'complete', right: true } });
      expect(without.attacker.interfered).toEqual([]);
    });
  }
});

describe('the briefing', () => {
  it('is at most 80 words with every role’s first step, and says the odds and the stakes', () => {
    const b = HIDDEN_ATTACKER_TEXTS.briefing;
    const words = [b.summary, ...Object.values(b.firstSteps)].join(' ').split(/\s+/).filter(Boolean);
    expect(words.length).toBeLessThanOrEqual(80);
    expect(Object.keys(b.firstSteps).sort()).toEqual(['attacker', 'ca', 'client', 'server']);
    expect(b.summary).toMatch(/or none/);
  });
});

/** The sitting-out seat calls while the round prepares. */
function call(round: Round, verdict: 'complete' | 'abort'): void {
  expect(applyAction(round, 'attacker', { type: 'call', verdict }, round.now)).toBeNull();
}

/** Bots play the defenders' seats, time jumps from event to event, until `done`. */
function advance(round: Round, done: () => boolean): void {
  for (let i = 0; i < 500 && !done() && round.phase !== 'over'; i++) {
    playBots(round, honest, [], ['ca', 'server', 'client']);
    if (done()) return;
    const at = nextEventAt(round);
    if (at === null) return;
    tick(round, at);
  }
}
