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

/** Every timeline line the seat's panel shows. */
const lines = (round: ReturnType<typeof startRound>, role: 'client' | 'server' | 'ca' | 'attacker') => viewFor(round, role).timeline.map((e) => e.text);

describe('play that begins without the bank’s certificate says so, and tells the bank what to do', () => {
  it('level 4e: the bank’s student never asked; the preparation time runs out — every seat reads that the bank has no certificate, the bank that it must ask now', () => {
    const round = startRound(6, 'play-begins/no-request', { humanSeats: ['server'], prepareMs: 60_000 });
    waitUntil(round, () => round.phase !== 'preparing');
    expect(round.phase).toBe('playing');
    const told = 'Play begins: time is up, and the bank has no certificate yet — it can still ask the CA; until it has one it cannot answer Alice. Alice may connect now.';
    for (const role of ['client', 'server', 'ca', 'attacker'] as const) {
      expect(lines(round, role)).toContain(told);
      expect(lines(round, role).join('\n')).not.toContain('the bank has prepared');
    }
    expect(lines(round, 'server')).toContain('You have no certificate: ask the CA for one now (choose the name and the key under “Certificate”, then send the CSR). Alice’s ClientHello waits at the bank until you have it.');
    expect(lines(round, 'client')).not.toContain('You have no certificate: ask the CA for one now (choose the name and the key under “Certificate”, then send the CSR). Alice’s ClientHello waits at the bank until you have it.');
    // The bank asks now, and it still may.
    expect(bank(round).allowed).toContain('requestCertificate');
  });

  it('level 4: the bank asked, the CA’s student has not answered when time runs out — every seat reads that its request is still with the CA', () => {
    const round = startRound(4, 'play-begins/pending', { humanSeats: ['server', 'ca'], prepareMs: 60_000 });
    expect(applyAction(round, 'server', { type: 'requestCertificate', subject: 'bank.example', key: 'encryptionKey' }, round.now)).toBeNull();
    waitUntil(round, () => round.phase !== 'preparing');
    expect(round.phase).toBe('playing');
    expect(bank(round).csr).toBe('pending');
    for (const role of ['client', 'server', 'ca', 'attacker'] as const) {
      expect(lines(round, role)).toContain('Play begins: time is up, and the bank has no certificate yet — its request is still with the CA; until the CA signs, the bank cannot answer Alice. Alice may connect now.');
    }
    expect(lines(round, 'server')).toContain('Your request is still with the CA. Once it signs, your server answers: Alice’s ClientHello waits at the bank until then.');
  });

  it('a bank that holds its certificate as play begins: “the bank has prepared”', () => {
    const round = startRound(4, 'play-begins/prepared', { humanSeats: ['server'] });
    expect(applyAction(round, 'server', { type: 'requestCertificate', subject: 'bank.example', key: 'encryptionKey' }, round.now)).toBeNull();
    waitUntil(round, () => bank(round).csr === 'issued');
    expect(applyAction(round, 'server', { type: 'ready' }, round.now)).toBeNull();
    expect(lines(round, 'client')).toContain('Play begins: the bank has prepared, and Alice may connect now.');
  });
});
