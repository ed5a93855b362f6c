/**
 * The CA and the bank have decisions worth making. The CA sees the evidence of each request
 * (who asks, from which address, for which name and key, what its own records say) and may
 * investigate — fetch the http-01 challenge, look up the owner record — before it signs or
 * refuses. The bank chooses what to have certified (which name, which of its keys) and when;
 * a wrong choice has a consequence Alice's checks catch. Played as the students would, with
 * bots in the other seats.
 */
import { describe, expect, it } from 'vitest';
import {
  alertFor,
  applyAction,
  CA_DECISION_POINTS,
  nextEventAt,
  playBots,
  simulateRound,
  tick,
  viewFor,
  type AnyAction,
  type BotBehaviours,
  type CaView,
  type ClientBehaviour,
  type ClientView,
  type Level,
  type Role,
  type Round,
  type ServerView,
} from '@heist/shared';
import { honest, startRound } from './play.ts';

type Movers = Partial<Record<Role, (round: Round) => AnyAction | null>>;

/** People play the seats in `movers` (each move must be accepted), bots the others, until the round is over. */
function drive(round: Round, movers: Movers, bots: BotBehaviours = honest): void {
  const people = Object.keys(movers) as Role[];
  const others = (['attacker', 'ca', 'server', 'client'] as const).filter((r) => !people.includes(r));
  for (let i = 0; i < 500 && round.phase !== 'over'; i++) {
    for (let j = 0; j < 50; j++) {
      let acted = false;
      for (const role of people) {
        const action = movers[role]!(round);
        if (!action) continue;
        expect(applyAction(round, role, action, round.now), `${role}: ${JSON.stringify(action)}`).toBeNull();
        acted = true;
      }
      const before = round.timeline.length;
      playBots(round, bots, [], others);
      if (!acted && round.timeline.length === before) break;
    }
    const at = nextEventAt(round);
    if (at === null) break;
    tick(round, at);
  }
}

const ca = (round: Round) => viewFor(round, 'ca') as CaView;
const bank = (round: Round) => viewFor(round, 'server') as ServerView;
const readyWhenAllowed = (round: Round, role: Role): AnyAction | null => (viewFor(round, role).allowed.includes('ready') ? { type: 'ready' } : null);

describe('the CA sees the evidence of each request, and may investigate before it decides', () => {
  it('a request shows who asks, from where, for which name and key; the challenge result only once the CA fetches it', () => {
    const round = startRound(4, 'ca/evidence', { humanSeats: ['ca'] });
    let before: CaView['requests'][number] | undefined;
    drive(round, {
      ca: (r) => {
        const request = ca(r).requests.find((q) => q.decision === 'pending');
        if (!request) return readyWhenAllowed(r, 'ca');
        if (!request.investigated.includes('http01')) {
          before = request;
          return { type: 'investigate', csrId: request.id, method: 'http01' };
        }
        if (!request.investigated.includes('whois')) return { type: 'investigate', csrId: request.id, method: 'whois' };
        return { type: request.domainControl?.passed ? 'sign' : 'refuse', csrId: request.id };
      },
    });
    expect(before).toMatchObject({ subject: 'bank.example', requester: '203.0.113.10 (bank.example)', keyType: 'rsa', keyUsage: 'keyEncipherment', investigated: [] });
    expect(before?.domainControl).toBeUndefined();
    expect(before?.evidence).toEqual([
      { kind: 'key', detail: 'the key to certify: RSA-2048, for keyEncipherment; the request is signed with it (PKCS #10 proof of possession: the requester holds its private key)', notable: false },
    ]);
    const after = ca(round).requests[0]!;
    expect(after.investigated).toEqual(['http01', 'whois']);
    expect(after.domainControl).toMatchObject({ passed: true, detail: expect.stringMatching(/the token is there, so the requester controls bank\.example/) });
    expect(after.owner?.detail).toBe('bank.example: registrant: Bank of Example plc; registered 14 years ago; name servers ns1.bank.example, ns2.bank.example');
    expect(round.result?.outcome).toBe('secure');
    expect(round.result?.points.ca).toBe(2 + CA_DECISION_POINTS.signedGenuine);
  });

  it('Mallory\'s request for bank.example comes with what the CA already knows: the bank\'s certificate, her other request, her key', () => {
    const round = startRound(4, 'ca/fraud', { humanSeats: ['ca', 'attacker'] });
    let asked = 0;
    let fraud: CaView['requests'][number] | undefined;
    drive(round, {
      attacker: (r) => {
        if (r.phase !== 'preparing') return null;
        if (ca(r).requests.some((q) => q.subject === 'bank.example' && q.decision === 'signed') && asked === 0) {
          asked++;
          return { type: 'requestCertificate', subject: 'mallory.example' };
        }
        if (asked === 1 && ca(r).requests.length === 2) {
          asked++;
          return { type: 'requestCertificate', subject: 'bank.example' };
        }
        return asked === 2 && ca(r).requests.every((q) => q.decision !== 'pending') ? readyWhenAllowed(r, 'attacker') : null;
      },
      ca: (r) => {
        const request = ca(r).requests.find((q) => q.decision === 'pending');
        if (!request) return asked === 2 ? readyWhenAllowed(r, 'ca') : null;
        if (request.id === 3) fraud = request;
        if (!request.domainControl) return { type: 'investigate', csrId: request.id, method: 'http01' };
        if (request.id === 3 && !request.owner) return { type: 'investigate', csrId: request.id, method: 'whois' };
        return { type: request.domainControl.passed ? 'sign' : 'refuse', csrId: request.id };
      },
    });
    expect(fraud?.requester).toBe('198.51.100.66 (café Wi-Fi)');
    expect(fraud?.evidence.filter((e) => e.notable).map((e) => e.detail)).toEqual([
      expect.stringMatching(/^you already signed a certificate for bank\.example this round \(request #1, serial \d+, asked from 203\.0\.113\.10 \(bank\.example\)\)$/),
      'the same address also asked for mallory.example (#2, signed)',
      'the same public key is in request #2, for mallory.example',
    ]);
    const decided = ca(round).requests[2]!;
    expect(decided.domainControl).toMatchObject({ passed: false, detail: expect.stringMatching(/not found/) });
    expect(decided.decision).toBe('refused');
    expect(round.result?.points.ca).toBe(2 + CA_DECISION_POINTS.signedGenuine * 2 + CA_DECISION_POINTS.refusedFraud);
  });

  it('the strict CA bot fetches the challenge before it signs; the sloppy one signs without looking', () => {
    const strict = simulateRound(4, { ...honest, ca: 'strict' }, 'ca/strict').round;
    const sloppy = simulateRound(4, { ...honest, ca: 'sloppy' }, 'ca/sloppy').round;
    expect(strict.ca.requests.map((r) => r.investigated)).toEqual([['http01']]);
    expect(sloppy.ca.requests.map((r) => r.investigated)).toEqual([[]]);
    const sloppyLine = sloppy.timeline.find((e) => e.actor === 'ca' && e.text.startsWith('Signed'))?.text;
    expect(sloppyLine).toBe('Signed a certificate for bank.example (request #1) without fetching its challenge.');
  });

  it('a CA that fetched the failed challenge and signed anyway: flagged but ignored, and a mis-issue', () => {
    const round = startRound(4, 'ca/ignored', { humanSeats: ['ca'] });
    drive(
      round,
      {
        ca: (r) => {
          const request = ca(r).requests.find((q) => q.decision === 'pending');
          if (!request) return readyWhenAllowed(r, 'ca');
          return request.domainControl ? { type: 'sign', csrId: request.id } : { type: 'investigate', csrId: request.id, method: 'http01' };
        },
      },
      { ...honest, attacker: 'fraudulentCsr' },
    );
    expect(round.result?.outcome).toBe('impersonated');
    expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: 'ca', check: 'domainControl', ran: true, flagged: true, actedOn: false }));
    expect(round.result?.points.ca).toBe(CA_DECISION_POINTS.signedGenuine + CA_DECISION_POINTS.misIssued);
  });

  it('refuses a second look-up of the same thing, and a look-up at a level without a CA', () => {
    const round = startRound(4, 'ca/twice', { humanSeats: ['ca'] });
    playBots(round, honest, [], ['server']);
    tick(round, nextEventAt(round)!); // the bank's request reaches the CA
    expect(applyAction(round, 'ca', { type: 'investigate', csrId: 1, method: 'whois' }, round.now)).toBeNull();
    expect(applyAction(round, 'ca', { type: 'investigate', csrId: 1, method: 'whois' }, round.now)).toEqual({ code: 'wrongPhase', message: 'you already looked that up for request #1' });
    const l2 = startRound(2, 'ca/none');
    expect(applyAction(l2, 'ca', { type: 'investigate', csrId: 1, method: 'http01' }, 0)).toMatchObject({ code: 'notAllowed', message: 'there is no CA at this level' });
  });
});

/** The bank's seat, played by hand: one certificate request with these choices while preparing, then Ready. */
function bankAsks(subject: string, key: 'encryptionKey' | 'signingKey') {
  let asked = false;
  return (round: Round): AnyAction | null => {
    const v = bank(round);
    if (!asked && v.allowed.includes('requestCertificate')) {
      asked = true;
      return { type: 'requestCertificate', subject, key };
    }
    return v.csr === 'issued' ? readyWhenAllowed(round, 'server') : null;
  };
}

function bankRound(level: Level, client: ClientBehaviour, subject: string, key: 'encryptionKey' | 'signingKey', seed: string): Round {
  // The round's browser is the client's: a careless (first-visit) Alice has no HSTS, so she may click through.
  const round = startRound(level, seed, { humanSeats: ['server'], bots: { ...honest, client } });
  drive(round, { server: bankAsks(subject, key) }, { ...honest, client });
  return round;
}

describe('the bank chooses what to have certified, and a wrong choice is caught by Alice\'s checks', () => {
  it('the bank\'s panel offers both of its names and both of its keys', () => {
    const v = bank(startRound(4, 'bank/choices', { humanSeats: ['server'] }));
    expect(v.certificateChoices?.names).toEqual(['bank.example', 'www.bank.example']);
    expect(v.certificateChoices?.keys.map((k) => [k.key, k.keyType, k.keyUsage])).toEqual([
      ['encryptionKey', 'rsa', 'keyEncipherment'],
      ['signingKey', 'p256', 'digitalSignature'],
    ]);
    expect(bank(startRound(3, 'bank/no-ca')).certificateChoices).toBeUndefined();
  });

  it('a certificate for www.bank.example is signed (the bank controls it) but fails only the name check: "Wrong certificate"', () => {
    const round = bankRound(4, 'careful', 'www.bank.example', 'encryptionKey', 'bank/www');
    expect(bank(round).holds).toEqual({ subject: 'www.bank.example', key: 'encryptionKey', keyType: 'rsa', keyUsage: 'keyEncipherment' });
    const failed = (viewFor(round, 'client') as ClientView).checks.filter((c) => !c.passed && !c.blockedBy);
    expect(failed.map((c) => c.detail)).toEqual(['name mismatch: certificate is for www.bank.example, you asked for bank.example']);
    expect(round.result?.outcome).toBe('misconfigured');
    expect(round.result?.summary).toMatch(/^Wrong certificate: the bank's own certificate failed Alice's checks \(name mismatch/);
    expect(round.result?.points).toMatchObject({ client: 2, server: -2, attacker: 0 });
  });

  it('a careless client clicks through the wrong name: the transfer goes through, but it was not secure', () => {
    const round = bankRound(4, 'careless', 'www.bank.example', 'encryptionKey', 'bank/www/careless');
    expect(round.result?.outcome).toBe('unprotected');
    expect(round.server.received).toEqual([round.client.order]);
  });

  it('level 4, the signing key certified: key usage fails; clicked through, the browser cannot RSA-encrypt to a P-256 key', () => {
    const careful = bankRound(4, 'careful', 'bank.example', 'signingKey', 'bank/l4-key');
    expect(careful.client.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['keyUsage']);
    expect(careful.result?.outcome).toBe('misconfigured');
    const careless = bankRound(4, 'careless', 'bank.example', 'signingKey', 'bank/l4-key/careless');
    expect(careless.client.failure?.reason).toBe('unusableCertificateKey');
    expect(careless.client.failure && alertFor(careless.client.failure)).toBe('unsupported_certificate');
    expect(careless.result?.outcome).toBe('misconfigured');
  });

  it('level 5, the RSA key certified: clicked through, CertificateVerify fails', () => {
    const round = bankRound(5, 'careless', 'bank.example', 'encryptionKey', 'bank/l5-key');
    expect(round.client.failure?.reason).toBe('badCertificateVerify');
    expect(round.result?.outcome).toBe('misconfigured');
  });

  it('the right choice at either level is Secure', () => {
    expect(bankRound(4, 'careful', 'bank.example', 'encryptionKey', 'bank/l4-right').result?.outcome).toBe('secure');
    expect(bankRound(5, 'careful', 'bank.example', 'signingKey', 'bank/l5-right').result?.outcome).toBe('secure');
  });

  it('while preparing the bank may ask again and replace a wrong certificate; once play begins it keeps what it has', () => {
    const round = startRound(4, 'bank/again', { humanSeats: ['server'] });
    let asks = 0;
    let refusal: string | undefined;
    drive(round, {
      server: (r) => {
        const v = bank(r);
        if (v.csr === 'pending') return null;
        if (asks === 0) return (asks++, { type: 'requestCertificate', subject: 'www.bank.example', key: 'encryptionKey' });
        if (asks === 1 && v.holds?.subject === 'www.bank.example') return (asks++, { type: 'requestCertificate', subject: 'bank.example', key: 'encryptionKey' });
        if (asks === 2 && v.holds?.subject === 'bank.example') {
          asks++;
          return { type: 'ready' };
        }
        if (asks === 3 && r.phase === 'playing') {
          asks++;
          refusal = v.unavailable.requestCertificate;
        }
        return null;
      },
    });
    expect(refusal).toBe('play has begun: the bank keeps the certificate it has');
    expect(round.result?.outcome).toBe('secure');
    expect(bank(round).certificateRequestsLeft).toBe(1);
  });

  it('a bank that never asks for a certificate: Alice waits, and the round says why it timed out', () => {
    const round = startRound(4, 'bank/never', { humanSeats: ['server'], prepareMs: 1_000, durationMs: 20_000 });
    drive(round, { server: () => null });
    expect(round.result?.outcome).toBe('timedOut');
    expect(round.result?.summary).toBe('Timed out: the bank never had a certificate to answer Alice with: it asks the CA for one while the round prepares.');
  });
});
