/**
 * The level-4 briefing's lesson "a valid certificate for evil.example is still wrong for
 * bank.example" happens in play: Mallory gets an honest certificate for mallory.example (she
 * controls that name, so a strict CA signs it) and presents it as the bank. Issuer and
 * signature pass; only the name check can catch her.
 */
import { describe, expect, it } from 'vitest';
import { levelModule, simulateRound, viewFor, type AttackerView, type CaView, type ClientView } from '@heist/shared';
import { alertsFrom, attack, startRound } from './play.ts';

describe('Mallory presents her own valid certificate, for mallory.example, as the bank', () => {
  for (const level of [4, 6, 5] as const) {
    it(`level ${level}: the careful client's name check flags it — and only the name check`, () => {
      const { round, refused } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'ownNameCertificate' }, `own-name/${level}`);
      expect(refused).toEqual([]);
      expect(round.result?.outcome).toBe('attackDetected');
      const checks = (viewFor(round, 'client') as ClientView).checks.filter((c) => ['issuer', 'signature', 'name'].includes(c.check));
      expect(checks.map((c) => [c.check, c.passed])).toEqual([
        ['issuer', true],
        ['signature', true],
        ['name', false],
      ]);
      expect(checks[2]!.detail).toBe('name mismatch: certificate is for mallory.example, you asked for bank.example');
      expect(alertsFrom(round, 'client')).toContain('bad_certificate');
      const row = round.result!.debrief.checks.find((c) => c.by === 'client' && c.check === 'name');
      expect(row).toMatchObject({ flagged: true, actedOn: true });
      // The CA did nothing wrong: Mallory controls mallory.example, and it scores the signature as genuine.
      const ca = viewFor(round, 'ca') as CaView;
      expect(ca.requests.map((r) => [r.subject, r.decision]).sort()).toEqual([
        ['bank.example', 'signed'],
        ['mallory.example', 'signed'],
      ]);
    });

    it(`level ${level}: a careless client clicks through the name mismatch and is impersonated`, () => {
      const { round } = simulateRound(level, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'ownNameCertificate' }, `own-name/careless/${level}`);
      expect(round.result?.outcome).toBe('impersonated');
      expect((viewFor(round, 'client') as ClientView).connection).toEqual({ kind: 'unverified', failed: ['name'] });
      if (levelModule(level).checks.includes('certificateVerify')) expect(round.client.checks.find((c) => c.check === 'certificateVerify')?.passed).toBe(true);
      // 4e: she signs her key share with her own certificate's key, so that signature checks out.
      if (levelModule(level).checks.includes('serverKeyExchange')) expect(round.client.checks.find((c) => c.check === 'serverKeyExchange')?.passed).toBe(true);
    });
  }

  it('by hand: the persona waits for her certificate, and says why it cannot be taken before', () => {
    const round = startRound(4, 'own-name/hand', { humanSeats: ['attacker'] });
    let asked = false;
    const seen: (string | undefined)[] = [];
    attack(round, (v: AttackerView) => {
      if (v.phase !== 'preparing') return null;
      seen.push(v.substituteProblems.ownNameCertificate);
      if (!asked) {
        asked = true;
        return { type: 'requestCertificate', subject: 'mallory.example' };
      }
      if (!v.certificates.some((c) => c.subject === 'mallory.example')) return null; // waiting for the CA
      if (v.substitute === 'off') return { type: 'substitute', mode: 'ownNameCertificate' };
      return v.allowed.includes('ready') ? { type: 'ready' } : null;
    }, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' });
    expect(seen[0]).toBe('you hold no certificate for mallory.example from the CA: ask the CA for one first');
    expect(seen.at(-1)).toBeUndefined();
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.client.failure).toMatchObject({ reason: 'certificateRejected' });
  });
});
