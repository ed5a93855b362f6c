/**
 * Names and dates (issue 16, item 8), the two events a host can switch on at the certified
 * levels, played as the players would:
 * - a look-alike name: Alice's browser asks for bank-examp1e.example, Mallory's, and every
 *   check passes there; only reading the name (and closing before the PIN) saves her;
 * - an expired certificate: the careful client refuses the bank's own certificate, the referee
 *   calls it the bank's error; a careless one clicks through; a bank that renews while preparing
 *   gets a secure round.
 */
import { describe, expect, it } from 'vitest';
import {
  EVENT_TEXTS,
  LEVEL_EVENTS,
  LOOKALIKE_NAME,
  levelModule,
  OUTCOME_POINTS,
  simulateRound,
  viewFor,
  type AttackerView,
  type FieldNode,
  type ClientView,
  type ServerView,
} from '@heist/shared';
import { EVENT_LEVELS } from './expected-outcomes.ts';
import { alertsFrom, play, startRound } from './play.ts';

const LOOKALIKE_SUMMARY =
  "Impersonated: Alice followed a link to bank-examp1e.example, not bank.example: Mallory's site there showed a valid certificate for that very name, so every check passed, and Alice sent her PIN to it (it relayed the order to the bank). TLS did its job — it protected the connection to the name Alice asked for, which was the wrong one.";

describe('a look-alike name: every check passes, for the wrong name', () => {
  for (const level of EVENT_LEVELS) {
    it(`level ${level}: the careful client asks for ${LOOKALIKE_NAME}, every check passes, and her PIN goes through Mallory's site to the bank`, () => {
      const { round, refused } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, `lookalike/${level}`, { event: 'lookalikeDomain' });
      expect(refused).toEqual([]);
      const alice = viewFor(round, 'client') as ClientView;
      expect(alice.event).toBe('lookalikeDomain');
      expect(alice.target).toBe(LOOKALIKE_NAME);
      expect(alice.connection).toEqual({ kind: 'secure' });
      expect(alice.checks.filter((c) => !c.passed)).toEqual([]);
      expect(alice.checks.find((c) => c.check === 'name')?.detail).toContain(LOOKALIKE_NAME);
      // HSTS for bank.example does not cover another name: even the returning visitor asks http:// first, and her site redirects.
      expect(alice.checks.some((c) => c.check === 'hsts')).toBe(false);
      expect(round.result?.outcome).toBe('impersonated');
      expect(round.result?.summary).toBe(LOOKALIKE_SUMMARY);
      expect(round.result?.points).toEqual({ ...OUTCOME_POINTS.impersonated, ca: OUTCOME_POINTS.impersonated.ca + 1 });
      expect(round.result?.debrief.notes).toContain(EVENT_TEXTS.lookalikeDomain.debriefNote);
      // Her site relayed the order: the bank carried it out, and she read it on the way.
      expect(round.server.receivedText).toEqual([`PIN ${round.client.secret} (correct), pay ${round.client.order.amount} to ${round.client.order.to}`]);
      const mallory = viewFor(round, 'attacker') as AttackerView;
      expect(mallory.certificates.map((c) => [c.subject, c.issuer])).toEqual([[LOOKALIKE_NAME, levelModule(level).pki?.issuer === 'intermediate' ? 'Heist Issuing CA' : 'Heist Root CA']]);
      expect(mallory.findings).toContain(`Read through your proxy: POST /transfer "pin=${round.client.secret}&to=${round.client.order.to}&amount=${round.client.order.amount}"`);
      expect(mallory.submissions).toEqual([{ secret: round.client.secret, correct: true }]);
    });
  }

  it('level 4, by hand: Alice reads the name in her address bar and closes before sending her PIN — Attack detected', () => {
    const round = startRound(4, 'lookalike/spotted', { event: 'lookalikeDomain', humanSeats: ['client'] });
    play(round, 'client', (v: ClientView) => {
      if (v.allowed.includes('ready')) return { type: 'ready' };
      if (v.allowed.includes('connect')) return { type: 'connect' };
      if (v.connection.kind === 'secure' && v.target !== 'bank.example') return { type: 'abort' };
      return null;
    });
    expect(round.client.orderSent).toBe(false);
    expect(round.server.received).toEqual([]);
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.result?.summary).toBe(
      "Attack detected: Alice's browser reached bank-examp1e.example and every check passed, but she read the name in the address bar and closed the connection before sending her PIN: the name was the attack, and she caught it.",
    );
  });

  it('the CA, asked for a certificate for the look-alike by Mallory, finds her token there: she controls the name', () => {
    const round = startRound(4, 'lookalike/ca', { event: 'lookalikeDomain', humanSeats: ['attacker'] });
    let asked = false;
    play(round, 'attacker', (v: AttackerView) => {
      if (!asked && v.allowed.includes('requestCertificate')) {
        asked = true;
        return { type: 'requestCertificate', subject: LOOKALIKE_NAME };
      }
      return v.allowed.includes('ready') && v.certificates.length === 2 ? { type: 'ready' } : null;
    });
    const request = round.ca.requests.find((r) => r.csr.subject === LOOKALIKE_NAME);
    expect(request?.domainControl.passed).toBe(true);
    expect(request?.decision).toBe('signed');
  });
});

describe('an expired certificate: the bank forgot to renew', () => {
  for (const level of EVENT_LEVELS) {
    it(`level ${level}: the careful client refuses it (certificate_expired) and the referee calls it the bank's error`, () => {
      const { round, refused } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, `expired/${level}`, { event: 'expiredCertificate' });
      expect(refused).toEqual([]);
      const bank = viewFor(round, 'server') as ServerView;
      expect(bank.csr).toBe('issued');
      expect(round.ca.requests).toEqual([]); // the bank never asked: it forgot
      const failed = round.client.checks.filter((c) => !c.passed && !c.blockedBy);
      expect(failed.map((c) => [c.check, c.detail])).toEqual([['notExpired', 'expired: valid until 2027-01-12 08:00 UTC, it is now 2027-01-15 08:00 UTC']]);
      expect(round.client.failure?.reason).toBe('certificateRejected');
      expect(alertsFrom(round, 'client')).toEqual(['certificate_expired']);
      expect(round.result?.outcome).toBe('misconfigured');
      expect(round.result?.summary).toBe(
        "Wrong certificate: the bank's own certificate had expired (expired: valid until 2027-01-12 08:00 UTC, it is now 2027-01-15 08:00 UTC): the bank forgot to renew it — an operator's error, not an attack, and no false alarm. Her browser was right to stop; the bank must renew before the old certificate runs out.",
      );
      expect(round.result?.points).toEqual(OUTCOME_POINTS.misconfigured);
      expect(round.result?.debrief.checks.find((c) => c.by === 'client' && c.check === 'notExpired')).toMatchObject({ flagged: true, actedOn: true });
      expect(round.result?.debrief.notes).toContain(EVENT_TEXTS.expiredCertificate.debriefNote);
    });

    it(`level ${level}: a careless client clicks through and connects — Unharmed, not secure, and the debrief says what that teaches`, () => {
      const { round } = simulateRound(level, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'none' }, `expired/careless/${level}`, { event: 'expiredCertificate' });
      expect((viewFor(round, 'client') as ClientView).connection).toEqual({ kind: 'unverified', failed: ['notExpired'] });
      expect(round.client.response).toMatch(/^200 Transfer of \d+ to \w+ done$/);
      expect(round.result?.outcome).toBe('unprotected');
      expect(round.result?.summary).toBe(
        'Unharmed, not secure: the transfer went through, but only after Alice clicked through the expired certificate: nothing proved the other end was the bank. This time only the bank’s forgetfulness was behind the warning — the same click would let a forged certificate through.',
      );
    });
  }

  it('level 5, by hand: a bank that reads its dates and renews while preparing gets a secure round', () => {
    const round = startRound(5, 'expired/renewed', { event: 'expiredCertificate', humanSeats: ['server'] });
    const first = viewFor(round, 'server') as ServerView;
    const field = (nodes: FieldNode[] | undefined, name: string): FieldNode | undefined => {
      for (const n of nodes ?? []) {
        const hit = n.name === name ? n : field(n.children, name);
        if (hit) return hit;
      }
      return undefined;
    };
    // What the bank's panel shows it: its certificate ran out three days before the round.
    expect(field(first.certificate, 'notAfter')?.value).toBe('1799740800 (2027-01-12 08:00 UTC)');
    let renewed = false;
    play(round, 'server', (v: ServerView) => {
      if (!renewed && v.allowed.includes('requestCertificate')) {
        renewed = true;
        return { type: 'requestCertificate', subject: 'bank.example', key: 'signingKey' };
      }
      return v.allowed.includes('ready') && v.csr === 'issued' && renewed ? { type: 'ready' } : null;
    });
    expect(round.server.config.certificate!.notAfter).toBeGreaterThan(1_800_000_000);
    expect(round.client.checks.find((c) => c.check === 'notExpired')?.passed).toBe(true);
    expect(round.result?.outcome).toBe('secure');
  });

  it('each event’s briefing is at most 80 words and names every role’s first step', () => {
    for (const event of LEVEL_EVENTS) {
      const b = EVENT_TEXTS[event].briefing;
      const words = [b.summary, ...Object.values(b.firstSteps)].join(' ').split(/\s+/).filter(Boolean);
      expect(words.length, event).toBeLessThanOrEqual(80);
      expect(Object.keys(b.firstSteps).sort()).toEqual(['attacker', 'ca', 'client', 'server']);
    }
  });
});
