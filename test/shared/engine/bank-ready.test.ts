/**
 * A human bank cannot say "I am ready" without its certificate where a CA plays: a bank that
 * did would answer Alice with nothing, and the whole room would wait out the round's timer
 * ("Timed out"). The view says why, in the bank's own words, until the CA has signed. Played as
 * the bank's student would, from the bank's own view; bots in the other seats.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, levelLabel, levelModule, nextEventAt, playBots, SEAT_LIMITS, tick, viewFor, type ServerView } from '@heist/shared';
import { honest, startRound } from './play.ts';

const bank = (round: ReturnType<typeof startRound>) => viewFor(round, 'server') as ServerView;

/** Bots in the other seats take their turns, and time moves to the next event, until `done`. */
function waitUntil(round: ReturnType<typeof startRound>, done: () => boolean): void {
  for (let i = 0; i < 50 && !done(); i++) {
    playBots(round, honest, [], ['attacker', 'client', ...(round.config.humanSeats?.includes('ca') ? [] : (['ca'] as const))]);
    const at = nextEventAt(round);
    if (at !== null) tick(round, at);
  }
}

describe('the bank says it is ready only with a certificate, where a CA plays', () => {
  for (const level of [4, 6, 5] as const) {
    it(`level ${levelLabel(level)}: no "I am ready" before the CA has signed, and the view says why`, () => {
      const round = startRound(level, `bank-ready/${level}`, { humanSeats: ['server'] });
      expect(bank(round).allowed).not.toContain('ready');
      expect(bank(round).unavailable.ready).toBe('ask the CA for a certificate first: without one the bank cannot answer Alice');
      expect(applyAction(round, 'server', { type: 'ready' }, round.now)).toEqual({ code: 'outOfTurn', message: 'ask the CA for a certificate first: without one the bank cannot answer Alice' });

      expect(applyAction(round, 'server', { type: 'requestCertificate', subject: 'bank.example', key: levelModule(level).pki!.certificateKey.of }, round.now)).toBeNull();
      expect(bank(round).unavailable.ready).toBe('wait for the CA’s answer to your request first: without a certificate the bank cannot answer Alice');

      waitUntil(round, () => bank(round).csr === 'issued');
      expect(bank(round).csr).toBe('issued');
      expect(round.phase).toBe('preparing');
      expect(bank(round).allowed).toContain('ready');
      expect(applyAction(round, 'server', { type: 'ready' }, round.now)).toBeNull();
      expect(round.phase).toBe('playing');
    });
  }

  it('a bank the CA refused asks again; with no request left it may say it is ready as it is (it cannot stall the room)', () => {
    const round = startRound(4, 'bank-ready/refused', { humanSeats: ['server', 'ca'] });
    for (let asked = 1; asked <= SEAT_LIMITS.certificateRequests; asked++) {
      expect(applyAction(round, 'server', { type: 'requestCertificate', subject: 'bank.example', key: 'encryptionKey' }, round.now)).toBeNull();
      // The CA's student refuses every request (a wrong decision, but hers to make).
      waitUntil(round, () => viewFor(round, 'ca').allowed.includes('refuse'));
      expect(applyAction(round, 'ca', { type: 'refuse', csrId: asked }, round.now)).toBeNull();
      waitUntil(round, () => bank(round).csr === 'refused');
      expect(bank(round).csr).toBe('refused');
      if (asked < SEAT_LIMITS.certificateRequests) expect(bank(round).unavailable.ready).toBe('the CA refused your request: ask again (check the name and the key) before you say you are ready');
    }
    expect(bank(round).certificateRequestsLeft).toBe(0);
    expect(bank(round).allowed).toContain('ready');
  });

  it('where no CA plays (levels 1–3), the bank is ready at once', () => {
    for (const level of [1, 2, 3] as const) expect(bank(startRound(level, `bank-ready/no-ca/${level}`, { humanSeats: ['server'] })).allowed).toContain('ready');
  });
});
