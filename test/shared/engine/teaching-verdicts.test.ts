/**
 * What a TLS teacher checks when trying the game: every verdict, diagnosis and alert the
 * engine gives must teach what real TLS does (issue 8 §3). Each test plays a round the way a
 * class would (bots in the other seats, the test in one) and reads what the players are told.
 */
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  decodeMessage,
  nextEventAt,
  playBots,
  explainFailure,
  alertFor,
  LEVEL_TEXTS,
  LEVELS,
  simulateRound,
  startPlay,
  tick,
  verifyCertificate,
  viewFor,
  p256KeyPair,
  signCertificate,
  type AttackerView,
  type CaView,
  type ClientView,
} from '@heist/shared';
import { alertsFrom, attack, clientLines, editOnce, fieldPath, heldOf, honest, play, startRound } from './play.ts';

describe('"Secure" only for a protected, checked session with the genuine bank', () => {
  for (const level of [1, 2, 3] as const) {
    it(`level ${level} with nobody attacking is "Unharmed, not secure", never "Secure"`, () => {
      const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, `unprotected/${level}`);
      expect(round.result?.outcome).toBe('unprotected');
      expect(round.result?.summary).toMatch(/^Unharmed, not secure/);
      expect(round.result?.summary).not.toMatch(/never held the session keys/);
    });
  }

  it('level 3 with an attacker who only listens is still not "Secure": nothing proved whose key it was', () => {
    const { round } = simulateRound(3, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, 'unprotected/3/passive');
    expect(round.result?.outcome).toBe('unprotected');
  });

  it('level 2: an attacker who copied the key and opened the PIN record, without submitting it, leaves the round "Exposed"', () => {
    const round = startRound(2, 'exposed');
    attack(round, (v) => {
      const key = v.captured.find((p) => p.label === 'KeyTransport')?.fields.find((f) => f.path === 'key')?.value;
      const sealed = v.captured.find((p) => p.label === 'EncryptedRecord' && !p.plaintext);
      return key && sealed && v.phase === 'playing' ? { type: 'tryKey', packetId: sealed.id, keyHex: key } : null;
    });
    const attacker = viewFor(round, 'attacker') as AttackerView;
    expect(attacker.captured.some((p) => p.plaintext?.text.includes(`pin=${round.client.secret}`))).toBe(true);
    expect(attacker.submissions).toEqual([]);
    expect(round.result?.outcome).toBe('exposed');
    expect(round.result?.summary).toMatch(/held the keys/);
    expect(round.result?.points.client).toBe(0);
    expect(round.result?.points.attacker).toBeGreaterThan(0);
  });

  for (const level of [4, 5] as const) {
    it(`level ${level} with nobody attacking is Secure`, () => {
      const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, `secure/${level}`);
      expect(round.result?.outcome).toBe('secure');
    });
  }
});

describe('no "secure session" after clicking through a failed check, or after a strip', () => {
  for (const level of [4, 5] as const) {
    it(`level ${level}: a client who clicked through a self-signed certificate is told her session is unverified, never secure`, () => {
      const { round } = simulateRound(level, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' }, `clicked/${level}`);
      expect(round.result?.outcome).toBe('impersonated');
      expect(clientLines(round).filter((l) => /secure session established|a protected session with bank\.example/i.test(l))).toEqual([]);
      expect(clientLines(round).some((l) => /not a secure session/.test(l))).toBe(true);
      const view = viewFor(round, 'client') as ClientView;
      expect(view.connection).toEqual({ kind: 'unverified', failed: ['issuer'] }); // the signature could not even be checked
    });
  }

  it('level 4: a client with every check passed is told "secure"', () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, 'verdict/secure');
    expect((viewFor(round, 'client') as ClientView).connection).toEqual({ kind: 'secure' });
  });

  it('level 4: a stripped client is told she is on plain HTTP, not in a secure session', () => {
    const { round } = simulateRound(4, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'strip' }, 'verdict/stripped');
    expect((viewFor(round, 'client') as ClientView).connection).toEqual({ kind: 'plainHttp' });
    expect(clientLines(round).filter((l) => /secure session|protected session/i.test(l))).toEqual([]);
  });

  it('levels 1-3: the client is told what her session lacks', () => {
    const kinds = ([1, 2, 3] as const).map((level) => {
      const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, `verdict/${level}`);
      return (viewFor(round, 'client') as ClientView).connection.kind;
    });
    expect(kinds).toEqual(['plainHttp', 'keyInTheClear', 'unauthenticatedKey']);
  });
});

describe('a changed hello: the two sides derive different keys', () => {
  const cases = [
    { level: 4, message: 'ClientHello', from: 'client', path: 'random', value: '11'.repeat(32), refuses: 'server' },
    { level: 4, message: 'ServerHello', from: 'server', path: 'random', value: '22'.repeat(32), refuses: 'server' },
    { level: 5, message: 'ClientHello', from: 'client', path: 'cipherSuites', value: '0x1301, 0x1302', refuses: 'client' },
    { level: 5, message: 'ServerHello', from: 'server', path: 'random', value: '33'.repeat(32), refuses: 'client' },
  ] as const;
  for (const c of cases) {
    it(`level ${c.level}: an edited ${c.message}.${c.path} fails the first encrypted handshake message, and the debrief says why`, () => {
      const round = startRound(c.level, `hello/${c.level}/${c.message}/${c.path}`);
      attack(round, editOnce(heldOf(c.message, c.from), (id) => ({ type: 'editField', packetId: id, path: c.path, value: c.value })));
      const party = round[c.refuses];
      expect(party.failure?.reason).toBe('handshakeKeysDiffer');
      expect(alertsFrom(round, c.refuses)).toEqual(['bad_record_mac']);
      expect(explainFailure(party.failure!)).toMatch(/derived different keys/);
      expect(round.result?.outcome).toBe('attackDetected');
      expect(round.result?.summary).toMatch(/different keys because the handshake was changed/);
      expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: c.refuses, check: 'handshakeRecord', flagged: true, actedOn: true }));
    });
  }

  it('level 4: any other change to a hello (the offered suites) is what Finished catches', () => {
    const round = startRound(4, 'hello/4/suites');
    attack(round, editOnce(heldOf('ClientHello'), (id) => ({ type: 'editField', packetId: id, path: 'cipherSuites', value: '0x009C, 0x1301' })));
    expect(round.server.failure?.reason).toBe('badFinished');
    expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: 'server', check: 'finished', flagged: true, actedOn: true }));
  });
});

describe('replays at levels 4-5: the sequence number is implicit, so a replay fails its tag', () => {
  for (const level of [4, 5] as const) {
    it(`level ${level}: a replayed record gets bad_record_mac, "changed, replayed or out of order"`, () => {
      const round = startRound(level, `replay/${level}`);
      let replayed = false;
      attack(round, (v) => {
        const records = v.captured.filter((p) => p.from === 'client' && p.label === 'EncryptedRecord' && p.status === 'delivered');
        if (records.length < 2 || replayed) return null;
        replayed = true;
        return { type: 'replay', packetId: records[1]!.id };
      });
      expect(round.server.failure?.reason).toBe('badRecordMac');
      expect(alertsFrom(round, 'server')).toEqual(['bad_record_mac']);
      expect(explainFailure(round.server.failure!)).toMatch(/changed, replayed or out of order/);
      expect(round.server.received).toHaveLength(1);
      expect(round.result?.outcome).toBe('attackDetected');
    });
  }

  it('level 2 keeps a visible sequence check, and its briefing says the check is the game\'s own', () => {
    const { round } = simulateRound(2, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'replay' }, 'replay/2');
    expect(round.server.failure?.reason).toBe('recordOutOfSequence');
    expect(JSON.stringify(LEVEL_TEXTS[2])).toMatch(/the game['’]s own/);
  });
});

describe('alerts as the RFCs name them', () => {
  it('an unknown issuer: the careful client sends unknown_ca', () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' }, 'alert/unknown_ca');
    expect(alertsFrom(round, 'client')).toEqual(['unknown_ca']);
  });

  it('an expired or not yet valid certificate: certificate_expired; a key for the wrong use: unsupported_certificate', () => {
    const ca = p256KeyPair(new Uint8Array(32).fill(1));
    const bank = p256KeyPair(new Uint8Array(32).fill(7));
    const body = { serial: 1n, subject: 'bank.example', issuer: 'Heist Root CA', notBefore: 1000, notAfter: 2000, keyType: 'p256', keyUsage: ['digitalSignature'], publicKey: bank.publicKey, names: ['bank.example'], ca: false } as const;
    const options = { trustStore: [{ name: 'Heist Root CA', publicKey: ca.publicKey }], expectedName: 'bank.example', expectedKeyType: 'p256', expectedUsage: 'digitalSignature' } as const;
    const reject = (cert: ReturnType<typeof signCertificate>, now: number) => alertFor({ reason: 'certificateRejected', checks: verifyCertificate(cert, { ...options, now }) });
    expect(reject(signCertificate(body, ca.secretKey), 5000)).toBe('certificate_expired');
    expect(reject(signCertificate(body, ca.secretKey), 10)).toBe('certificate_expired');
    expect(reject(signCertificate({ ...body, keyUsage: ['keyEncipherment'] }, ca.secretKey), 1500)).toBe('unsupported_certificate');
    expect(reject(signCertificate({ ...body, subject: 'evil.example', names: ['evil.example'] }, ca.secretKey), 1500)).toBe('bad_certificate');
  });

  for (const level of [4, 6, 5] as const) {
    it(`level ${level}: a ClientHello asking for another name: the bank sends unrecognized_name, and the debrief records the refusal`, () => {
      const round = startRound(level, `alert/sni/${level}`);
      // The student edits the host_name field the inspector shows inside the server_name extension.
      attack(round, editOnce(heldOf('ClientHello'), (id, v) => ({ type: 'editField', packetId: id, path: fieldPath(v, id, 'hostName'), value: 'evil.example' })));
      expect(round.server.failure?.reason).toBe('unrecognizedName');
      expect(alertsFrom(round, 'server')).toEqual(['unrecognized_name']);
      expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: 'server', check: 'serverName', flagged: true, actedOn: true }));
    });

    it(`level ${level}: a ServerHello with a suite the client never offered: the client sends illegal_parameter`, () => {
      const round = startRound(level, `alert/suite/${level}`);
      attack(round, editOnce(heldOf('ServerHello'), (id) => ({ type: 'editField', packetId: id, path: 'cipherSuite', value: '0xFF01' })));
      expect(round.client.failure?.reason).toBe('unofferedCipherSuite');
      expect(alertsFrom(round, 'client')).toEqual(['illegal_parameter']);
    });
  }

  // A downgrade: the attacker rewrites the offer so that the two sides settle for less.
  it('level 5: a ClientHello edited to offer only TLS 1.2 (a version downgrade): the bank, speaking only TLS 1.3, sends protocol_version; nothing older is negotiated', () => {
    const round = startRound(5, 'alert/downgrade/5');
    attack(round, editOnce(heldOf('ClientHello'), (id, v) => ({ type: 'editField', packetId: id, path: fieldPath(v, id, 'versions'), value: '0x0303' })));
    expect(round.server.failure?.reason).toBe('unsupportedVersion');
    expect(alertsFrom(round, 'server')).toEqual(['protocol_version']);
    expect(round.result?.outcome).toBe('attackDetected');
  });

  it('level 5: a ServerHello edited to choose TLS 1.2: the client sends illegal_parameter (RFC 8446 §4.2.1)', () => {
    const round = startRound(5, 'alert/downgrade-server/5');
    attack(round, editOnce(heldOf('ServerHello'), (id, v) => ({ type: 'editField', packetId: id, path: fieldPath(v, id, 'versions'), value: '0x0303' })));
    expect(round.client.failure?.reason).toBe('unofferedVersion');
    expect(alertsFrom(round, 'client')).toEqual(['illegal_parameter']);
  });
});

describe('SSL stripping, as sslstrip really works', () => {
  for (const level of [4, 6, 5] as const) {
    it(`level ${level}: without HSTS the browser first asks http://bank.example/; the attacker hides the redirect, reads the PIN and relays over her own HTTPS`, () => {
      const { round } = simulateRound(level, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'strip' }, `strip/${level}`);
      const first = round.packets.find((p) => p.from === 'client')!;
      expect(decodeMessage(first.bytes)).toMatchObject({ type: 'HttpRequest', method: 'GET', host: 'bank.example', path: '/' });
      expect(viewFor(round, 'client').timeline.map((e) => e.text).join('\n')).not.toMatch(/without HTTPS\?/);
      for (const from of ['client', 'server'] as const) expect(alertsFrom(round, from)).not.toContain('protocol_version');
      expect(round.server.peer).toBe('attacker'); // the bank's only TLS session is with Mallory
      expect(round.server.received).toEqual([round.client.order]);
      expect(round.result?.outcome).toBe('eavesdropped');
    });

    it(`level ${level}: with HSTS the browser goes straight to https://: the strip tool gets nothing`, () => {
      const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'strip' }, `hsts/${level}`);
      const fromClient = round.packets.filter((p) => p.from === 'client').map((p) => decodeMessage(p.bytes).type);
      expect(fromClient[0]).toBe('ClientHello');
      expect(fromClient).not.toContain('HttpRequest');
      expect(round.result?.outcome).toBe('secure');
      expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: 'client', check: 'hsts', flagged: false, detail: expect.stringMatching(/straight to HTTPS/) }));
    });
  }

  it('level 4, nobody attacking, no HSTS: the bank answers the plain request with a redirect to https://', () => {
    const { round } = simulateRound(4, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'none' }, 'redirect');
    const wire = round.packets.filter((p) => p.path === 'wifi').map((p) => decodeMessage(p.bytes));
    expect(wire[0]).toMatchObject({ type: 'HttpRequest', method: 'GET', path: '/' });
    expect(wire[1]).toMatchObject({ type: 'HttpResponse', status: 301, body: 'https://bank.example/' });
    expect(wire[2]).toMatchObject({ type: 'ClientHello' });
    expect(round.result?.outcome).toBe('secure');
  });
});

describe('the debrief check table: flagged, and acted on', () => {
  it('a careless client\'s failed check in an Impersonated round was flagged, but nobody stopped', () => {
    const { round } = simulateRound(4, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' }, 'debrief/careless');
    expect(round.result?.outcome).toBe('impersonated');
    expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: 'client', check: 'issuer', flagged: true, actedOn: false }));
  });

  it('a careful client\'s failed check was flagged and acted on', () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' }, 'debrief/careful');
    expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: 'client', check: 'issuer', flagged: true, actedOn: true }));
  });

  it('a sloppy CA that signed without fetching the challenge shows the check as never run, not "did not fire"', () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'standard', ca: 'sloppy', attacker: 'fraudulentCsr' }, 'debrief/sloppy');
    expect(round.result?.debrief.checks).toContainEqual(
      expect.objectContaining({ by: 'ca', check: 'domainControl', ran: false, skipped: true, flagged: false, detail: expect.stringMatching(/request for bank\.example: the CA signed it without fetching its challenge/) }),
    );
  });

  it('a changed key exchange is recorded: the bank cannot tell (RFC 5246 §7.4.7.1), the client\'s Finished fails its tag there, and the debrief says why', () => {
    const round = startRound(4, 'debrief/kex');
    attack(round, editOnce(heldOf('ClientKeyExchange'), (id, v) => {
      const hex = v.captured.find((p) => p.id === id)!.hex;
      const last = hex.slice(-2) === '00' ? '01' : '00';
      return { type: 'editBytes', packetId: id, hex: hex.slice(0, -2) + last };
    }));
    expect(round.server.failure?.reason).toBe('handshakeKeysDiffer');
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.result?.summary).toMatch(/the encrypted pre-master secret was changed on the way .*carried on without saying so/);
    expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: 'server', check: 'handshakeRecord', flagged: true, actedOn: true }));
  });
});

describe('level 5: who knew which key', () => {
  it('both ends derive the handshake traffic secrets', () => {
    const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, 'keys/5');
    const keys = round.result!.debrief.keys.filter((k) => /handshake traffic secret/.test(k.key));
    expect(keys).toHaveLength(2);
    for (const k of keys) expect([...k.knownBy].sort()).toEqual(['client', 'server']);
  });
});

describe('the CA is not part of Alice\'s connection', () => {
  it('level 4: the bank has its certificate before the client may connect', () => {
    const round = startRound(4, 'prepare/order');
    expect(round.phase).toBe('preparing');
    expect(viewFor(round, 'client').allowed).not.toContain('connect');
    expect(applyAction(round, 'client', { type: 'connect' }, 0)).toMatchObject({ code: 'wrongPhase' });
    play(round, 'client', (v: ClientView) => (v.allowed.includes('connect') ? { type: 'connect' } : v.allowed.includes('sendSecret') ? { type: 'sendSecret' } : null));
    const firstClientPacket = round.packets.find((p) => p.from === 'client')!.id;
    const caPackets = round.packets.filter((p) => p.path === 'ca').map((p) => p.id);
    expect(caPackets.length).toBeGreaterThan(0);
    expect(Math.max(...caPackets)).toBeLessThan(firstClientPacket);
    expect(round.result?.outcome).toBe('secure');
  });

  it('play begins when every human seat is ready; bot seats are ready once prepared', () => {
    const round = startRound(4, 'prepare/ready', { humanSeats: ['client'] });
    // The bots prepare; the human client has not said she is ready.
    for (let i = 0; i < 20 && round.server.csr !== 'issued'; i++) {
      playBots(round, honest, [], ['attacker', 'ca', 'server']);
      tick(round, nextEventAt(round)!);
    }
    expect(round.phase).toBe('preparing');
    expect(round.server.csr).toBe('issued');
    expect(viewFor(round, 'client').allowed).toEqual(['ready']);
    expect(applyAction(round, 'client', { type: 'ready' }, round.now)).toBeNull();
    expect(round.phase).toBe('playing');
    expect(round.endsAt - round.now).toBe(round.config.durationMs); // the round timer starts with play
  });

  it('the host can start play, and so does the preparation time limit', () => {
    const a = startRound(4, 'prepare/host', { humanSeats: ['client', 'server', 'ca', 'attacker'] });
    startPlay(a, 5);
    expect(a.phase).toBe('playing');
    const b = startRound(4, 'prepare/limit', { humanSeats: ['client'], prepareMs: 30_000 });
    tick(b, 29_999);
    expect(b.phase).toBe('preparing');
    tick(b, 30_000);
    expect(b.phase).toBe('playing');
  });

  it('the briefing says the browser checks the CA\'s signature offline', () => {
    for (const level of [4, 5] as const) expect(JSON.stringify(LEVEL_TEXTS[level])).toMatch(/offline/);
  });
});

describe('level 3: the browser asks whether to trust the bare key', () => {
  it('shows the key\'s fingerprint, and the client can refuse it', () => {
    const round = startRound(3, 'bare-key');
    let seen: ClientView['decision'];
    play(round, 'client', (v: ClientView) => {
      if (v.allowed.includes('connect')) return { type: 'connect' };
      if (v.decision) {
        seen = v.decision;
        return { type: 'abort' };
      }
      return null;
    });
    expect(seen).toMatchObject({ kind: 'bareKey', fingerprint: expect.stringMatching(/^[0-9a-f]{2}(:[0-9a-f]{2})+/) });
    expect(round.client.failure?.reason).toBe('keyRejected');
    expect(round.server.received).toEqual([]);
  });

  it('refusing the bare key with nobody attacking is right, not a "False alarm": no penalty (like an SSH host key one cannot check)', () => {
    const round = startRound(3, 'bare-key/refused');
    play(round, 'client', (v: ClientView) => (v.allowed.includes('connect') ? { type: 'connect' } : v.decision ? { type: 'abort' } : null));
    expect(round.result?.outcome).toBe('keyRefused');
    expect(round.result?.summary).toBe(
      'Refused an unverifiable key: the player would not use a public key that nothing vouched for — right, like an SSH host key one cannot check. Nobody had swapped it this time, but nothing could have told her.',
    );
    expect(round.result?.debrief.notes.join(' ')).not.toMatch(/Alice closed the connection too/);
    expect(round.result?.points).toEqual({ client: 1, server: 0, ca: 0, attacker: 0 });
  });

  it('refusing the attacker\'s swapped-in key is an attack detected', () => {
    const bots = { ...honest, attacker: 'keySubstitution' } as const;
    const round = startRound(3, 'bare-key/refused/attacked', { bots });
    play(round, 'client', (v: ClientView) => (v.allowed.includes('connect') ? { type: 'connect' } : v.decision ? { type: 'abort' } : null), bots);
    expect(round.result?.outcome).toBe('attackDetected');
  });
});

describe('ACME: the CA issues the challenge token, the requester publishes it', () => {
  it('the CSR carries no token; the CA\'s request shows the one it issued', () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, 'acme');
    const csr = decodeMessage(round.packets.find((p) => p.path === 'ca' && p.from === 'server')!.bytes);
    expect(csr.type).toBe('CertificateRequest');
    expect(JSON.stringify(csr)).not.toMatch(/challengeToken/);
    const request = (viewFor(round, 'ca') as CaView).requests[0]!;
    expect(request.challenge.token).toMatch(/^[0-9a-f]{32}$/);
    expect(request.domainControl!.detail).toContain(request.challenge.token.slice(0, 12));
  });
});

describe('every level\'s briefing fits a 15-year-old', () => {
  for (const level of LEVELS) {
    it(`level ${LEVEL_TEXTS[level].label}: at most 80 words, naming each role's first step`, () => {
      const b = LEVEL_TEXTS[level].briefing;
      const words = [b.summary, ...Object.values(b.firstSteps)].join(' ').split(/\s+/).filter(Boolean);
      expect(words.length).toBeLessThanOrEqual(80);
      expect(Object.keys(b.firstSteps).sort()).toEqual(['attacker', 'ca', 'client', 'server']);
      expect(b.more.length).toBeGreaterThan(0);
    });
  }
});
