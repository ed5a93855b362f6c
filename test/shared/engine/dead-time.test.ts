/**
 * No dead time at the end of a round: the result comes as soon as the referee can judge. When
 * the conversation is over and the attacker can no longer change the outcome, at once; while
 * she could still prove what she read, after a short countdown every seat sees — or as soon as
 * she proves it or says she is done.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, DEFAULT_CONFIG, nextEventAt, tick, viewFor, type AttackerView, type BotBehaviours, type ClientView, type Round } from '@heist/shared';
import { honest, play, startRound } from './play.ts';

const GRACE = DEFAULT_CONFIG.graceMs;

/** Round time of the client's "The bank answered" line, and of the referee's verdict. */
function answeredAndJudged(round: Round): { answered: number; judged: number } {
  const answered = round.timeline.find((e) => e.actor === 'client' && e.text.startsWith('The bank answered'))?.at;
  const judged = round.timeline.at(-1);
  expect(answered, 'the bank answered').toBeDefined();
  expect(judged?.actor).toBe('referee');
  return { answered: answered!, judged: judged!.at };
}

/** A human attacker who sets nothing up, says Ready, and then does only what `then` says once the conversation is over. */
function silentAttacker(then: (v: AttackerView) => { type: 'done' } | { type: 'submitSecret'; secret: string } | null) {
  return (v: AttackerView) => {
    if (v.allowed.includes('ready')) return { type: 'ready' } as const;
    return v.closing ? then(v) : null;
  };
}

describe('the result comes as soon as the referee can judge', () => {
  it('level 1 with the practice bots: the scoreboard shows the moment the bank answers, not 10 s later', () => {
    const round = startRound(1, 'dead-time/l1', { graceMs: GRACE, humanSeats: ['client'] });
    const bots: BotBehaviours = { ...honest, attacker: 'tamper' };
    play<ClientView>(round, 'client', (v) => (v.allowed.includes('ready') ? { type: 'ready' } : v.allowed.includes('connect') ? { type: 'connect' } : v.allowed.includes('sendSecret') ? { type: 'sendSecret' } : null), bots);
    expect(round.result?.outcome).toBe('tampered');
    const { answered, judged } = answeredAndJudged(round);
    expect(judged - answered).toBe(0);
  });

  it('level 4: an attacker who can read nothing does not hold the result up', () => {
    const round = startRound(4, 'dead-time/l4', { graceMs: GRACE, humanSeats: ['attacker'] });
    play<AttackerView>(round, 'attacker', silentAttacker(() => null));
    expect(round.result?.outcome).toBe('secure');
    const { answered, judged } = answeredAndJudged(round);
    expect(judged - answered).toBe(0);
  });

  it('level 1: an attacker who can read the PIN gets a countdown every seat sees, and the result comes the moment she proves it', () => {
    const round = startRound(1, 'dead-time/prove', { graceMs: GRACE, humanSeats: ['attacker'] });
    let countdown: AttackerView['closing'];
    let client: ClientView | undefined;
    play<AttackerView>(
      round,
      'attacker',
      silentAttacker((v) => {
        countdown = v.closing;
        client = viewFor(round, 'client') as ClientView;
        return { type: 'submitSecret', secret: round.client.secret };
      }),
    );
    expect(round.result?.outcome).toBe('eavesdropped');
    const { answered, judged } = answeredAndJudged(round);
    expect(countdown).toEqual({ endsAt: answered + GRACE, waitingFor: 'attackerProof' });
    expect(client?.closing).toEqual(countdown);
    expect(client?.endsAt).toBe(answered + GRACE); // the round's clock counts the 15 s down
    expect(client?.timeline.at(-1)?.text).toBe('The conversation is over. Mallory has 15 s to prove what she read.');
    expect((viewFor(round, 'attacker') as AttackerView).timeline.some((e) => e.text === 'The conversation is over. You have 15 s to prove what you read: submit the PIN, or say you are done.')).toBe(true);
    expect(judged).toBe(answered); // she submitted at once: no wait
  });

  it('"I\'m done" ends the countdown at once', () => {
    const round = startRound(1, 'dead-time/done', { graceMs: GRACE, humanSeats: ['attacker'] });
    play<AttackerView>(round, 'attacker', silentAttacker(() => ({ type: 'done' })));
    expect(round.result?.outcome).toBe('unprotected');
    const { answered, judged } = answeredAndJudged(round);
    expect(judged).toBe(answered);
  });

  it('an attacker who stays silent gets exactly the countdown, no more', () => {
    const round = startRound(1, 'dead-time/silent', { graceMs: GRACE, humanSeats: ['attacker'] });
    play<AttackerView>(round, 'attacker', silentAttacker(() => null));
    expect(round.result?.outcome).toBe('unprotected');
    const { answered, judged } = answeredAndJudged(round);
    expect(judged - answered).toBe(GRACE);
  });

  it('"I\'m done" before the conversation is over is refused, in words', () => {
    const round = startRound(1, 'dead-time/early', { humanSeats: ['attacker'] });
    applyAction(round, 'attacker', { type: 'ready' }, 0);
    expect(round.phase).toBe('playing');
    expect(applyAction(round, 'attacker', { type: 'done' }, 0)).toEqual({ code: 'wrongPhase', message: 'the conversation is not over yet: say you are done once it is' });
    expect(viewFor(round, 'attacker').allowed).not.toContain('done');
    const at = nextEventAt(round);
    expect(at).toBe(round.endsAt); // nothing happens until the timer, with nobody connecting
    tick(round, at!);
    expect(round.result?.outcome).toBe('timedOut');
  });
});
