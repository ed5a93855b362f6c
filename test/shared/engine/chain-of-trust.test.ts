/**
 * Level 6, the chain of trust (id 7), as each seat plays it: root → intermediate → bank. The CA
 * seat runs the intermediate; the bank receives its certificate with the intermediate's and
 * must send both; Alice's browser builds the path to the root it trusts and shows it; Mallory's
 * genuine mallory.example certificate, used as a CA, gives a path whose every signature verifies
 * and which only the rules for issuers refuse. Played from the seats' own views, bots elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, simulateRound, viewFor, type AttackerView, type CaView, type ClientView, type FieldNode, type ServerView } from '@heist/shared';
import { alertsFrom, attack, certificateAlone, honest, play, startRound } from './play.ts';

const CHAIN = 7;

/** The value the inspector shows for the field at `path`, wherever it sits in the tree. */
function shown(nodes: FieldNode[], path: string): string | undefined {
  for (const n of nodes) {
    if (n.path === path) return n.value;
    const inner = shown(n.children ?? [], path);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

const clientPath = (round: ReturnType<typeof startRound>) => (viewFor(round, 'client') as ClientView).packets.find((p) => p.path)?.path;

describe('level 6: root → intermediate → bank', () => {
  it('the CA seat runs Heist Issuing CA, whose certificate the root signed; the bank gets both certificates and its bot sends both', () => {
    const { round, refused } = simulateRound(CHAIN, honest, 'chain/honest');
    expect(refused).toEqual([]);
    expect(round.result?.outcome).toBe('secure');
    const ca = viewFor(round, 'ca') as CaView;
    expect(ca.name).toBe('Heist Issuing CA');
    expect(ca.intermediate?.root).toBe('Heist Root CA');
    expect(shown(ca.intermediate?.certificate ?? [], 'ca')).toBe('cA TRUE, pathLen 0');
    const bank = viewFor(round, 'server') as ServerView;
    expect(bank.chain).toEqual({ certificates: [{ subject: 'Heist Issuing CA', issuer: 'Heist Root CA' }], fullChain: true });
    expect(bank.timeline.map((e) => e.text)).toContain('Our server sends the full chain: bank.example, then Heist Issuing CA (fullchain.pem).');
  });

  it('Alice’s inspector shows the path her browser built, link by link, up to the root in her trust store', () => {
    const { round } = simulateRound(CHAIN, honest, 'chain/path');
    expect(clientPath(round)).toEqual({
      steps: [
        { role: 'leaf', subject: 'bank.example', issuer: 'Heist Issuing CA', ca: false, failed: [] },
        { role: 'intermediate', subject: 'Heist Issuing CA', issuer: 'Heist Root CA', ca: true, failed: [] },
      ],
      anchor: 'Heist Root CA',
      unused: [],
      accepted: true,
    });
    const checks = (viewFor(round, 'client') as ClientView).checks;
    expect(checks.find((c) => c.check === 'issuer')?.detail).toBe('the chain leads to "Heist Root CA", a CA in your trust store: "bank.example" ← "Heist Issuing CA" ← "Heist Root CA"');
    expect(checks.find((c) => c.check === 'caFlag')).toEqual({ check: 'caFlag', passed: true, detail: 'every issuer on the chain is a CA (basicConstraints cA TRUE): "Heist Issuing CA"' });
    // Only the packet whose certificates were validated carries the path; other seats never see it.
    expect((viewFor(round, 'client') as ClientView).packets.filter((p) => p.path).map((p) => p.label)).toEqual(['Certificate']);
    expect((viewFor(round, 'attacker') as AttackerView).captured.some((p) => p.path)).toBe(false);
  });

  it('the chain crosses the Wi-Fi in the clear: Mallory’s capture of the Certificate shows both certificates', () => {
    const { round } = simulateRound(CHAIN, { ...honest, attacker: 'passive' }, 'chain/wire');
    const certificate = (viewFor(round, 'attacker') as AttackerView).captured.find((p) => p.label === 'Certificate')!;
    expect(shown(certificate.fields, 'certificate')).toBe('bank.example, issued by Heist Issuing CA');
    expect(shown(certificate.fields, 'chain.0')).toBe('Heist Issuing CA, issued by Heist Root CA');
  });

  it('the bank says it is ready only once it has chosen what its server sends, and the view says why', () => {
    const round = startRound(CHAIN, 'chain/ready', { humanSeats: ['server'] });
    const bank = () => viewFor(round, 'server') as ServerView;
    expect(bank().unavailable.chooseChain).toBe('no certificate yet: once the CA has signed one, choose what your server sends with it');
    let chose = false;
    play<ServerView>(round, 'server', (v) => {
      if (v.csr === 'none') return { type: 'requestCertificate', subject: 'bank.example', key: 'signingKey' };
      if (v.csr !== 'issued' || chose) return null;
      expect(v.allowed).not.toContain('ready');
      expect(v.unavailable.ready).toBe('choose what your server sends: your certificate alone, or with Heist Issuing CA’s after it');
      chose = true;
      return { type: 'chooseChain', fullChain: true };
    });
    expect(chose).toBe(true);
    expect(round.result?.outcome).toBe('secure');
  });

  it('a bank that sends its certificate alone (cert.pem): careful Alice finds no path to her root — Wrong certificate, the bank’s fault', () => {
    const round = startRound(CHAIN, 'chain/cert-only');
    play<ServerView>(round, 'server', certificateAlone);
    expect(round.result?.outcome).toBe('misconfigured');
    expect(round.result?.summary).toBe(
      'Wrong certificate: the bank sent its certificate without Heist Issuing CA\'s, so Alice\'s browser could build no path to a CA it trusts (unknown issuer "Heist Issuing CA" not in your trust store) — no attacker needed. Her browser was right to stop; the bank must send the full chain (fullchain.pem).',
    );
    expect(round.result?.points).toEqual({ client: 2, server: -2, ca: 1, attacker: 0 });
    expect(alertsFrom(round, 'client')).toEqual(['unknown_ca']);
    expect(clientPath(round)).toEqual({ steps: [{ role: 'leaf', subject: 'bank.example', issuer: 'Heist Issuing CA', ca: false, failed: expect.arrayContaining([{ check: 'issuer', passed: false, detail: 'unknown issuer "Heist Issuing CA" not in your trust store' }]) }], unused: [], accepted: false });
    expect((viewFor(round, 'server') as ServerView).timeline.map((e) => e.text)).toContain('Our server sends our certificate alone (cert.pem), without Heist Issuing CA.');
  });

  it('the same bank with a careless Alice: she clicks through the unknown issuer — unharmed, not secure', () => {
    const round = startRound(CHAIN, 'chain/cert-only/careless', { bots: { ...honest, client: 'careless' } });
    play<ServerView>(round, 'server', certificateAlone, { ...honest, client: 'careless' });
    expect(round.result?.outcome).toBe('unprotected');
    expect(round.result?.summary).toBe('Unharmed, not secure: the transfer went through, but the client clicked through 1 failed certificate check(s): nothing proved the other end was the bank.');
  });

  it('the choice is the bank’s only where an intermediate signs, and only until a connection reaches it', () => {
    // Level 5: the root signs the bank itself, so there is no chain to choose, and Ready needs no choice.
    const root = startRound(5, 'chain/none-at-5', { humanSeats: ['server'] });
    const refusals: (string | undefined)[] = [];
    play<ServerView>(root, 'server', (v) => {
      if (v.csr === 'none') return { type: 'requestCertificate', subject: 'bank.example', key: 'signingKey' };
      if (v.phase !== 'preparing' || v.csr !== 'issued') return null;
      refusals.push(v.unavailable.chooseChain);
      expect(v.chain).toBeUndefined();
      return { type: 'ready' };
    });
    expect(refusals).toEqual(['no chain to send: the root CA signed your certificate itself, and every browser has the root']);
    expect(root.result?.outcome).toBe('secure');

    const chain = startRound(CHAIN, 'chain/too-late');
    let answered = false;
    play<ServerView>(chain, 'server', (v) => {
      if (v.csr === 'none') return { type: 'requestCertificate', subject: 'bank.example', key: 'signingKey' };
      if (v.chain?.fullChain === undefined && v.allowed.includes('chooseChain')) return { type: 'chooseChain', fullChain: true };
      if (!answered && v.connection.kind === 'handshaking') {
        answered = true;
        expect(v.unavailable.chooseChain).toBe('a connection has begun: your server sends what you chose');
      }
      return null;
    });
    expect(answered).toBe(true);
  });
});

describe('level 6: Mallory signs a bank.example certificate with her genuine mallory.example certificate’s key', () => {
  it('careful Alice: every signature verifies, and the path’s rules for issuers refuse it (bad_certificate)', () => {
    const { round, refused } = simulateRound(CHAIN, { ...honest, attacker: 'ownCertificateAsCa' }, 'chain/forged');
    expect(refused).toEqual([]);
    expect(round.result?.outcome).toBe('attackDetected');
    const checks = (viewFor(round, 'client') as ClientView).checks;
    expect(checks.filter((c) => ['issuer', 'signature', 'caFlag', 'caKeyUsage', 'pathLength', 'name'].includes(c.check)).map((c) => [c.check, c.passed, c.detail])).toEqual([
      ['issuer', true, 'the chain leads to "Heist Root CA", a CA in your trust store: "bank.example" ← "mallory.example" ← "Heist Issuing CA" ← "Heist Root CA"'],
      ['signature', true, 'good signatures all the way: "bank.example" ← "mallory.example" ← "Heist Issuing CA" ← "Heist Root CA", each checked with the public key of the one after it'],
      ['caFlag', false, '"mallory.example" signed a certificate but is no CA: its basicConstraints say cA FALSE — a site\'s certificate cannot vouch for another'],
      ['caKeyUsage', false, '"mallory.example"\'s key may not sign certificates: its keyUsage is digitalSignature, without keyCertSign'],
      ['pathLength', false, '"Heist Issuing CA" may have at most 0 intermediate CAs under it (pathLenConstraint), and has 1'],
      ['name', true, 'the certificate is for bank.example (its subjectAltName), the site you asked for'],
    ]);
    expect(alertsFrom(round, 'client')).toEqual(['bad_certificate']);
    expect(clientPath(round)?.steps.map((s) => [s.subject, s.issuer, s.ca, s.failed.map((f) => f.check)])).toEqual([
      ['bank.example', 'mallory.example', false, []],
      ['mallory.example', 'Heist Issuing CA', false, ['caFlag', 'caKeyUsage']],
      ['Heist Issuing CA', 'Heist Root CA', true, ['pathLength']],
    ]);
    const debrief = round.result!.debrief.checks.filter((c) => c.by === 'client' && ['caFlag', 'caKeyUsage', 'pathLength'].includes(c.check));
    expect(debrief.map((c) => [c.check, c.flagged, c.actedOn])).toEqual([
      ['caFlag', true, true],
      ['caKeyUsage', true, true],
      ['pathLength', true, true],
    ]);
    // The CA did nothing wrong: Mallory controls mallory.example, and a strict CA signs it.
    expect((viewFor(round, 'ca') as CaView).requests.map((r) => [r.subject, r.decision]).sort()).toEqual([
      ['bank.example', 'signed'],
      ['mallory.example', 'signed'],
    ]);
  });

  it('careless Alice clicks through the three warnings: Impersonated — her key share was signed by the forged certificate’s key', () => {
    const { round } = simulateRound(CHAIN, { ...honest, client: 'careless', attacker: 'ownCertificateAsCa' }, 'chain/forged/careless');
    expect(round.result?.outcome).toBe('impersonated');
    expect(round.result?.summary).toBe('Impersonated: the client completed its handshake with the attacker, who showed a bank.example certificate she signed as mallory.example, and took her for the bank.');
    expect((viewFor(round, 'client') as ClientView).connection).toEqual({ kind: 'unverified', failed: ['caFlag', 'caKeyUsage', 'pathLength'] });
    expect(round.client.checks.find((c) => c.check === 'serverKeyExchange')?.passed).toBe(true);
  });

  it('by hand: the persona waits for her mallory.example certificate, and exists only at this level', () => {
    const round = startRound(CHAIN, 'chain/forged/hand', { humanSeats: ['attacker'] });
    const seen: (string | undefined)[] = [];
    let asked = false;
    attack(round, (v: AttackerView) => {
      if (v.phase !== 'preparing') return null;
      seen.push(v.substituteProblems.signedWithOwnCertificate);
      if (!asked) {
        asked = true;
        return { type: 'requestCertificate', subject: 'mallory.example' };
      }
      if (!v.certificates.some((c) => c.subject === 'mallory.example')) return null;
      if (v.substitute === 'off') return { type: 'substitute', mode: 'signedWithOwnCertificate' };
      return v.allowed.includes('ready') ? { type: 'ready' } : null;
    });
    expect(seen[0]).toBe('you hold no certificate for mallory.example from the CA: ask the CA for one first');
    expect(seen.at(-1)).toBeUndefined();
    expect(round.result?.outcome).toBe('attackDetected');

    const five = startRound(5, 'chain/forged/at-5', { humanSeats: ['attacker'] });
    expect((viewFor(five, 'attacker') as AttackerView).substitutes).not.toContain('signedWithOwnCertificate');
    expect(applyAction(five, 'attacker', { type: 'substitute', mode: 'signedWithOwnCertificate' }, five.now)).toEqual({
      code: 'notAllowed',
      message: 'not at this level: a bank.example certificate she signed as mallory.example is the chain-of-trust level’s attack',
    });
  });
});
