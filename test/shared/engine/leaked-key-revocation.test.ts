/**
 * A leaked key, revoked (leakedKeyRevocation, issue 16 item 2): the bank's old certificate and
 * its key in Mallory's hands; the CA seat's answer to the bank's request to revoke it; the OCSP
 * answer stapled in TLS 1.3's certificate entry (RFC 8446 §4.4.2.1, RFC 6960); a hard-fail and a
 * soft-fail browser. The matrix row is in expected-outcomes.ts; here, the words, points and bytes.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, CA_DECISION_POINTS, nextEventAt, tick, encodeMessage, inspectMessage, judgeStaple, OUTCOME_POINTS, parseAction, simulateRound, viewFor, type AttackerView, type CaView, type ClientView, type FieldNode, type ServerView } from '@heist/shared';
import { play, startRound } from './play.ts';

const findField = (fields: FieldNode[], name: string): FieldNode | undefined => {
  for (const f of fields) {
    if (f.name === name) return f;
    const inner = f.children && findField(f.children, name);
    if (inner) return inner;
  }
  return undefined;
};

describe('a leaked key, revoked', () => {
  it('careful Alice (hard-fail), fake-certificate bot: the CA revoked, Mallory staples nothing, the browser refuses — Attack detected, no way through', () => {
    const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' }, 'leaked/hard-fail', { event: 'leakedKeyRevocation' });
    const serial = String(round.ca.revocation!.certificate.serial);
    expect(round.ca.revocation?.decision).toBe('revoked');
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.result?.summary).toBe(
      `Attack detected: Mallory showed Alice the bank’s own certificate (serial ${serial}), whose key leaked to her. The CA had revoked it, and Alice’s browser checked: no OCSP answer stapled, and this browser requires one (hard-fail): it refuses the certificate. She went back. The stolen key and its certificate were worth nothing to Mallory.`,
    );
    // Every other certificate check passed: the certificate is the bank's, in date, for bank.example.
    expect(round.client.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['revocation']);
    expect(round.result?.points.ca).toBe(OUTCOME_POINTS.attackDetected.ca + CA_DECISION_POINTS.revokedLeakedKey);
    expect((viewFor(round, 'attacker') as AttackerView).timeline.map((e) => e.text)).toContain(
      `The CA's OCSP responder says certificate ${serial} is revoked: your gateway staples no answer, and hopes Alice's browser does not insist on one.`,
    );
  });

  it('careless Alice (soft-fail), the same attack: no answer, and her browser goes on — Impersonated, in words that say soft-fail', () => {
    const { round } = simulateRound(5, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' }, 'leaked/soft-fail', { event: 'leakedKeyRevocation' });
    const serial = String(round.ca.revocation!.certificate.serial);
    expect(round.result?.outcome).toBe('impersonated');
    expect(round.result?.summary).toBe(
      `Impersonated: Mallory showed Alice the bank’s own certificate (serial ${serial}) and proved she holds its key — the key that leaked. The CA had revoked it, so her gateway stapled no OCSP answer; Alice’s browser asked the CA itself, Mallory’s Wi-Fi dropped the question, and the browser went on without an answer: soft-fail. A hard-fail browser (or a must-staple certificate) would have refused.`,
    );
    // The debrief says what a short-lived certificate would change, on this round's dates.
    expect(round.result?.debrief.notes).toContain(
      'Short-lived certificates: the certificate for the leaked key is a 90-day one, valid until 2027-03-26 08:00 UTC — 70 more days for whoever holds the key, against any browser that does not hear of its revocation. Had the bank used 6-day certificates (Let’s Encrypt offers them), a stolen key’s certificate would run out within 6 days of its issue and fail every browser’s date check: no OCSP answer to block, no CA to ask.',
    );
    expect(round.client.checks.find((c) => c.check === 'revocation')).toEqual({
      check: 'revocation',
      passed: true,
      detail: 'no OCSP answer stapled: the browser asked the CA’s responder itself, heard nothing back over this network, and went on anyway (soft-fail)',
    });
  });

  it('a CA that refuses the bank: the stolen certificate’s answer stays good, Mallory staples it, and even hard-fail Alice is Impersonated; the CA loses 4', () => {
    const bots = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' } as const;
    const round = startRound(5, 'leaked/ca-refuses', { bots, event: 'leakedKeyRevocation', humanSeats: ['ca'] });
    let answered = false;
    play(round, 'ca', (v: CaView) => {
      if (v.revocation?.decision === 'pending') {
        expect(v.allowed).not.toContain('ready');
        expect(v.unavailable.ready).toBe('answer the bank’s request to revoke its old certificate first');
        answered = true;
        return { type: 'answerRevocation', revoke: false };
      }
      return v.allowed.includes('ready') ? { type: 'ready' } : null;
    }, bots);
    expect(answered).toBe(true);
    const serial = String(round.ca.revocation!.certificate.serial);
    expect(round.result?.outcome).toBe('impersonated');
    expect(round.result?.summary).toBe(
      `Impersonated: Mallory showed Alice the bank’s own certificate (serial ${serial}) and proved she holds its key — the key that leaked. The CA refused the bank’s request to revoke it, so the CA’s OCSP answer still said “good”: her gateway stapled it, and every check passed, revocation included.`,
    );
    expect(round.client.checks.find((c) => c.check === 'revocation')?.detail).toMatch(/^Heist Root CA's OCSP answer, stapled: good \(signed /);
    expect(round.result?.points.ca).toBe(OUTCOME_POINTS.impersonated.ca + CA_DECISION_POINTS.refusedRevocation);
    const mallory = viewFor(round, 'attacker') as AttackerView;
    expect(mallory.leakedKey).toEqual({ subject: 'bank.example', serial, revoked: false, validity: { kind: 'valid', daysLeft: 70 } });
    // The key the stolen certificate carries is named for what it is: the bank's.
    expect(Object.keys(mallory.keys).slice(0, 2)).toEqual(['your RSA-2048 private key', 'the bank’s leaked ECDSA P-256 signing key']);
    expect((viewFor(round, 'server') as ServerView).revocation).toEqual({ subject: 'bank.example', serial, decision: 'refused', stapling: true });
  });

  it('nobody attacks: the bank staples the CA’s good answer on its new certificate, and both browsers find it — Secure', () => {
    for (const client of ['careful', 'careless'] as const) {
      const { round } = simulateRound(5, { client, server: 'standard', ca: 'strict', attacker: 'passive' }, `leaked/clean/${client}`, { event: 'leakedKeyRevocation' });
      expect(round.result?.outcome, client).toBe('secure');
      const check = round.client.checks.find((c) => c.check === 'revocation');
      expect(check?.passed).toBe(true);
      expect(check?.detail).toMatch(/^Heist Root CA's OCSP answer, stapled: good \(signed 2027-01-15 08:00 UTC\)$/);
      expect((viewFor(round, 'client') as ClientView).browser?.revocation).toEqual({ hardFail: client === 'careful' });
    }
  });

  it('a bank that asks the CA again while preparing staples the CA’s answer on its newest certificate: careful Alice still finds a good one — Secure', () => {
    const bots = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' } as const;
    const round = startRound(5, 'leaked/renewed-again', { bots, event: 'leakedKeyRevocation', humanSeats: ['server'] });
    const first = round.server.config.certificate!;
    play(round, 'server', (v: ServerView) => {
      if (v.phase !== 'preparing') return null;
      if (round.server.csrsSent === 0) return { type: 'requestCertificate', subject: 'bank.example', key: 'signingKey' };
      return v.csr === 'issued' && v.allowed.includes('ready') ? { type: 'ready' } : null;
    }, bots);
    expect(round.server.config.certificate!.serial).not.toBe(first.serial);
    expect(round.result?.outcome).toBe('secure');
    expect(round.client.checks.find((c) => c.check === 'revocation')?.passed).toBe(true);
  });

  it('real bytes: status_request in Alice’s ClientHello, the CA’s DER answer in the bank’s certificate entry, verified against the root', () => {
    const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, 'leaked/bytes', { event: 'leakedKeyRevocation' });
    const alice = viewFor(round, 'client') as ClientView;
    const hello = alice.packets.find((p) => p.label === 'ClientHello')!;
    expect(findField(hello.fields, 'extensions')?.value).toContain('status_request');
    // The bank's Certificate, as its server writes it for a client that asked, read back as the inspector reads it.
    const staple = round.server.config.ocspStaple!;
    const bytes = encodeMessage({ type: 'Certificate', context: new Uint8Array(0), certificate: round.server.config.certificate!, chain: [], ocspStaple: staple });
    const inspected = inspectMessage(bytes, { tls13: true });
    expect(inspected.message).toMatchObject({ type: 'Certificate', ocspStaple: staple });
    expect(findField(inspected.fields, 'ocspStaple')?.explain).toMatch(/^OCSP staple \(status_request: RFC 8446 §4\.4\.2\.1 in TLS 1\.3, RFC 6066 §8’s CertificateStatus in TLS 1\.2\): the CA’s signed answer/);
    // Alice's browser read the one on the wire: her check quotes its date.
    expect(round.client.checks.find((c) => c.check === 'revocation')?.detail).toBe("Heist Root CA's OCSP answer, stapled: good (signed 2027-01-15 08:00 UTC)");
    const verdict = judgeStaple(staple, round.server.config.certificate!, { name: round.ca.name, publicKey: round.ca.keys.publicKey }, round.config.gameClock);
    expect(verdict.kind).toBe('good');
    // Not about the stolen certificate: another serial.
    expect(judgeStaple(staple, round.ca.revocation!.certificate, { name: round.ca.name, publicKey: round.ca.keys.publicKey }, round.config.gameClock).kind).toBe('unusable');
  });

  it('TLS 1.2 (level 4, RSA key transport): the bank’s answer is a CertificateStatus message after its Certificate; Mallory, who opens the pre-master with the stolen key, sends none — careful Alice refuses', () => {
    const clean = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, 'leaked/tls12-clean', { event: 'leakedKeyRevocation' }).round;
    expect(clean.result?.outcome).toBe('secure');
    const labels = (viewFor(clean, 'client') as ClientView).packets.map((p) => p.label);
    expect(labels.slice(0, 5)).toEqual(['ClientHello', 'ServerHello', 'Certificate', 'CertificateStatus', 'ServerHelloDone']);
    const serverHello = (viewFor(clean, 'client') as ClientView).packets.find((p) => p.label === 'ServerHello')!;
    expect(findField(serverHello.fields, 'extensions')?.value).toContain('status_request');
    const attacked = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' }, 'leaked/tls12-attacked', { event: 'leakedKeyRevocation' }).round;
    expect(attacked.result?.outcome).toBe('attackDetected');
    expect((viewFor(attacked, 'client') as ClientView).packets.map((p) => p.label)).not.toContain('CertificateStatus');
    expect(attacked.result?.summary).toContain('no OCSP answer stapled, and this browser requires one (hard-fail): it refuses the certificate. She went back.');
  });

  it('level 6: the intermediate that signed the bank’s certificate signs its OCSP answers, and the browser checks them with the intermediate’s key', () => {
    const { round } = simulateRound(7, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, 'leaked/chain', { event: 'leakedKeyRevocation' });
    expect(round.result?.outcome).toBe('secure');
    expect(round.client.checks.find((c) => c.check === 'revocation')?.detail).toBe("Heist Issuing CA's OCSP answer, stapled: good (signed 2027-01-15 08:00 UTC)");
  });

  it('the CA seat sees the request, who sends it and its proof; a bad payload and a second answer are refused in words', () => {
    const round = startRound(5, 'leaked/ca-view', { event: 'leakedKeyRevocation', humanSeats: ['ca'] });
    const ca = viewFor(round, 'ca') as CaView;
    expect(ca.revocation).toMatchObject({
      subject: 'bank.example',
      decision: 'pending',
      requester: '203.0.113.10 (bank.example)',
      proof: [
        { what: 'sent from the ACME account that ordered this certificate', holds: true },
        { what: 'signed with the certificate’s own private key (RFC 8555 §7.6): whoever sent it holds that key', holds: true },
      ],
    });
    expect(ca.allowed).toContain('answerRevocation');
    expect(parseAction('ca', { type: 'answerRevocation', revoke: 'yes' })).toEqual({ code: 'invalid', message: 'not a valid ca action (revoke): Invalid type: Expected boolean but received "yes"' });
    expect(applyAction(round, 'ca', { type: 'answerRevocation', revoke: true }, round.now)).toBeNull();
    expect(applyAction(round, 'ca', { type: 'answerRevocation', revoke: true }, round.now)).toEqual({ code: 'wrongPhase', message: 'you already revoked that certificate' });
    const other = startRound(5, 'leaked/no-event', { humanSeats: ['ca'] });
    expect(applyAction(other, 'ca', { type: 'answerRevocation', revoke: true }, other.now)).toEqual({ code: 'notAllowed', message: 'nobody has asked you to revoke a certificate this round' });
  });
});

/**
 * The same leak at a bank that orders short-lived certificates (the bank's behaviour shortLived:
 * Let's Encrypt's 160-hour profile, a new key each time). The certificate whose key leaked was
 * issued 20 days ago, as at the 90-day bank, and ran out 13 days ago: every browser refuses it on
 * its dates, and no browser asks about revocation for a certificate that short-lived.
 */
describe('a leaked key, at a bank with short-lived certificates', () => {
  const shortLived = { server: 'shortLived', ca: 'strict', attacker: 'fakeCertificate' } as const;

  it('the stolen certificate and the bank’s new one are 160-hour certificates; the stolen one ran out 13 days before the round, and the CA and Mallory are told', () => {
    const round = startRound(5, 'short/dates', { bots: { client: 'careful', ...shortLived }, event: 'leakedKeyRevocation', humanSeats: ['ca'] });
    const stolen = round.ca.revocation!.certificate;
    const renewed = round.server.config.certificate!;
    for (const c of [stolen, renewed]) expect(c.notAfter - c.notBefore).toBe(160 * 3600);
    expect(round.config.gameClock - stolen.notBefore).toBe(20 * 86_400);
    expect(renewed.notBefore).toBeLessThan(round.config.gameClock);
    expect(renewed.notAfter).toBeGreaterThan(round.config.gameClock);
    expect((viewFor(round, 'ca') as CaView).revocation?.validity).toEqual({ kind: 'expired', daysAgo: 13, lifetimeHours: 160 });
    expect((viewFor(round, 'attacker') as AttackerView).leakedKey?.validity).toEqual({ kind: 'expired', daysAgo: 13, lifetimeHours: 160 });
  });

  it('careful Alice (hard-fail): the date check refuses the stolen certificate, and the revocation check asks nothing — Attack detected', () => {
    const { round } = simulateRound(5, { client: 'careful', ...shortLived }, 'short/careful', { event: 'leakedKeyRevocation' });
    const serial = String(round.ca.revocation!.certificate.serial);
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.result?.summary).toBe(
      `Attack detected: Mallory showed Alice the bank’s own certificate (serial ${serial}), whose key leaked to her — but the bank orders short-lived certificates, and this 160-hour one had run out 13 days before: Alice’s browser refused it on its dates (expired: valid until 2027-01-02 00:00 UTC, it is now 2027-01-15 08:00 UTC) and she went back. No OCSP answer was needed, and there was none for Mallory to block: every browser checks the dates itself.`,
    );
    expect(round.client.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['notExpired']);
    expect(round.client.checks.find((c) => c.check === 'revocation')).toEqual({
      check: 'revocation',
      passed: true,
      detail: 'no OCSP answer needed: a 160-hour certificate is short-lived (under 10 days), so its own dates do the job — the browser does not ask',
    });
    expect(round.result?.points.ca).toBe(OUTCOME_POINTS.attackDetected.ca + CA_DECISION_POINTS.revokedLeakedKey);
    expect(round.result?.debrief.notes).toContain(
      'Short-lived certificates: the bank orders 160-hour ones (Let’s Encrypt’s “shortlived” profile), with a new key each time, so the certificate for the leaked key was valid only until 2027-01-02 00:00 UTC, 13 days before this round. Every browser checks a certificate’s dates itself, hard-fail or soft-fail, whatever the CA answers: a stolen key’s certificate runs out within 7 days of its issue (the CA/Browser Forum’s limit for a certificate that needs no revocation). Only a click through the “expired” warning lets it through, and HSTS takes that click away.',
    );
  });

  it('careless Alice (soft-fail): her browser too flags the certificate as expired, and she clicks through — Impersonated, in words that say so', () => {
    const { round } = simulateRound(5, { client: 'careless', ...shortLived }, 'short/careless', { event: 'leakedKeyRevocation' });
    const serial = String(round.ca.revocation!.certificate.serial);
    expect(round.result?.outcome).toBe('impersonated');
    expect(round.result?.summary).toBe(
      `Impersonated: Mallory showed Alice the bank’s own certificate (serial ${serial}) and proved she holds its key — the key that leaked. The bank orders short-lived certificates, and this 160-hour one had run out 13 days before: Alice’s browser warned that it had expired, no OCSP answer needed — and she clicked through the warning. The short-lived certificate did its part; a browser with HSTS for the bank offers no way through.`,
    );
    expect(round.client.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['notExpired']);
  });

  it('a CA that refuses the bank changes nothing now: Mallory staples the CA’s “good”, and hard-fail Alice still refuses on the dates — where the 90-day certificate got through', () => {
    const outcomes = (['shortLived', 'standard'] as const).map((server) => {
      const bots = { client: 'careful', ...shortLived, server } as const;
      const round = startRound(5, `short/ca-refuses/${server}`, { bots, event: 'leakedKeyRevocation', humanSeats: ['ca'] });
      play(round, 'ca', (v: CaView) => (v.revocation?.decision === 'pending' ? { type: 'answerRevocation', revoke: false } : v.allowed.includes('ready') ? { type: 'ready' } : null), bots);
      return round;
    });
    const [short, long] = outcomes;
    expect(short!.result?.outcome).toBe('attackDetected');
    expect(short!.client.checks.find((c) => c.check === 'revocation')?.detail).toMatch(/^Heist Root CA's OCSP answer, stapled: good \(signed /);
    expect(short!.client.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['notExpired']);
    expect(short!.result?.points.ca).toBe(OUTCOME_POINTS.attackDetected.ca + CA_DECISION_POINTS.refusedRevocation);
    expect(long!.result?.outcome).toBe('impersonated');
  });

  it('nobody attacks: the bank’s new 160-hour certificate, stapled, passes both browsers — Secure; asked again, the CA signs the short-lived bank 160 hours again', () => {
    for (const client of ['careful', 'careless'] as const) {
      const { round } = simulateRound(5, { client, ...shortLived, attacker: 'passive' }, `short/clean/${client}`, { event: 'leakedKeyRevocation' });
      expect(round.result?.outcome, client).toBe('secure');
    }
    const bots = { client: 'careful', ...shortLived, attacker: 'none' } as const;
    const round = startRound(5, 'short/renewed-again', { bots, event: 'leakedKeyRevocation', humanSeats: ['server'] });
    const staged = round.server.config.certificate!;
    play(round, 'server', (v: ServerView) => {
      if (v.phase !== 'preparing') return null;
      if (round.server.csrsSent === 0) return { type: 'requestCertificate', subject: 'bank.example', key: 'signingKey' };
      return v.csr === 'issued' && v.allowed.includes('ready') ? { type: 'ready' } : null;
    }, bots);
    const issued = round.server.config.certificate!;
    expect(issued.serial).not.toBe(staged.serial);
    expect(issued.notAfter - issued.notBefore).toBe(160 * 3600);
    expect(round.result?.outcome).toBe('secure');
  });
});

describe('the CA’s records in the leaked-key round', () => {
  it('Mallory’s request for bank.example shows the CA the certificate it is asked to revoke (with her very key) and the bank’s new one — not “nothing else”', () => {
    const round = startRound(5, 'leaked/ca-records', { event: 'leakedKeyRevocation', humanSeats: ['ca', 'attacker'] });
    const stolen = round.ca.revocation!.certificate.serial;
    const renewed = round.server.config.certificate!.serial;
    expect(applyAction(round, 'attacker', { type: 'requestCertificate', subject: 'bank.example' }, round.now)).toBeNull();
    // Time passes until her request reaches the CA (nobody else moves: the round is still preparing).
    for (let i = 0; i < 10 && round.ca.requests.length === 0; i++) tick(round, nextEventAt(round)!);
    expect(round.phase).toBe('preparing');
    const records = () => (viewFor(round, 'ca') as CaView).requests.find((q) => q.subject === 'bank.example')!.evidence.filter((e) => e.kind !== 'key');
    expect(records()).toEqual([
      {
        kind: 'signedBefore',
        detail: `before this round you signed a certificate for bank.example (serial ${stolen}, 20 days ago, asked from 203.0.113.10 (bank.example)), for the same public key as this request; the bank asked you to revoke it 2 hours ago (keyCompromise: its private key leaked) — you have not answered yet`,
        notable: true,
      },
      { kind: 'signedBefore', detail: `before this round you signed a certificate for bank.example (serial ${renewed}, 3 hours ago, asked from 203.0.113.10 (bank.example)), for another key`, notable: true },
    ]);
    expect(applyAction(round, 'ca', { type: 'answerRevocation', revoke: true }, round.now)).toBeNull();
    expect(records()[0]!.detail).toMatch(/— you revoked it$/);
  });
});
