/**
 * Every word right at each level's key exchange (issue 17): a level with RSA key transport (4)
 * and the same TLS 1.2 with ECDHE (4e) must not share sentences that are true of only one. Each
 * test plays a round the way a class would and reads what the players are told: the referee's
 * verdict, the parcels on the map, Alice's timeline, the inspector and the briefing's steps.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  LEVEL_TEXTS,
  LEVELS,
  levelModule,
  messageFields,
  recordingOf,
  tryKeyOnRecording,
  simulateRound,
  spectatorView,
  viewFor,
  type AttackerView,
  type ClientView,
  type ServerView,
  type FieldNode,
  type Level,
  type ParcelLook,
  type Round,
} from '@heist/shared';
import { alertsFrom, attack, clientLines, editOnce, fieldPath, heldOf, honest, startRound } from './play.ts';

/** The generator of P-256 (uncompressed): a valid share, but not Alice's. */
const P256_G = '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';

describe('an edited ClientKeyExchange is explained by the level\'s own key exchange', () => {
  it('level 4e: Alice\'s public ECDHE share was replaced — no encrypted pre-master, nothing decrypted; Finished catches it', () => {
    const round = startRound(6, 'words/4e/cke');
    attack(round, editOnce(heldOf('ClientKeyExchange'), (id, v) => ({ type: 'editField', packetId: id, path: fieldPath(v, id, 'ecdhPublic'), value: P256_G })));
    expect(round.server.failure).toEqual({ reason: 'handshakeKeysDiffer', message: 'Finished' });
    expect(alertsFrom(round, 'server')).toEqual(['bad_record_mac']);
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.result?.summary).toBe(
      "Attack detected: Alice's public key share in ClientKeyExchange was replaced on the way (ClientKeyExchange.ecdhPublic edited). Nothing signs her share, so the bank combined its one-time secret with another one: the two sides' keys differ, and Alice's Finished, the first encrypted handshake message, failed its tag.",
    );
    expect(round.result?.summary).not.toMatch(/encrypted pre-master|decrypt|7\.4\.7\.1/);
  });

  it('level 4: the encrypted pre-master secret, which the bank decrypts and carries on with (RFC 5246 §7.4.7.1)', () => {
    const round = startRound(4, 'words/4/cke');
    attack(round, editOnce(heldOf('ClientKeyExchange'), (id, v) => {
      const hex = v.captured.find((p) => p.id === id)!.hex;
      return { type: 'editBytes', packetId: id, hex: hex.slice(0, -2) + (hex.slice(-2) === '00' ? '01' : '00') };
    }));
    expect(round.server.failure).toEqual({ reason: 'handshakeKeysDiffer', message: 'Finished' });
    // What the bank itself can say: the keys differ, from a random, a share or (here) the encrypted pre-master.
    expect((viewFor(round, 'server') as ServerView).timeline.map((e) => e.text)).toContain(
      'the first encrypted handshake message (Finished) failed its AEAD tag: the two sides derived different keys, so something that feeds the keys (a random, a key share or an encrypted pre-master secret) was changed on the way',
    );
    expect(round.result?.summary).toMatch(/^Attack detected: the encrypted pre-master secret was changed on the way \(the bytes of ClientKeyExchange rewritten\): the bank decrypted something else and, as TLS requires, carried on without saying so \(RFC 5246 §7\.4\.7\.1\)/);
  });

  it("level 4e: a changed random is caught first by the ServerKeyExchange signature, and the verdict says the signature covers both randoms", () => {
    const round = startRound(6, 'words/4e/random');
    attack(round, editOnce(heldOf('ClientHello'), (id, v) => ({ type: 'editField', packetId: id, path: fieldPath(v, id, 'random'), value: '11'.repeat(32) })));
    expect(round.client.failure?.reason).toBe('badServerKeyExchange');
    expect(alertsFrom(round, 'client')).toEqual(['decrypt_error']);
    expect(round.result?.summary).toBe(
      'Attack detected: the bank signed its key share over both randoms as it saw them, and a hello was changed on the way (ClientHello.random edited): the ServerKeyExchange signature no longer verified for Alice.',
    );
  });
});

/** GAME.md: a postcard (readable), a locked box (encrypted), a seal (signed). */
function expectedLook(label: string, bytes: Uint8Array): ParcelLook {
  switch (label) {
    case 'EncryptedRecord':
    case 'SealedKey':
      return 'lockedBox';
    case 'ClientKeyExchange': {
      const m = decodeMessage(bytes);
      // RSA key transport encrypts the pre-master secret; an ECDHE share is public on purpose.
      return m.type === 'ClientKeyExchange' && m.encryptedPreMaster.length > 0 ? 'lockedBox' : 'postcard';
    }
    case 'Certificate':
    case 'CertificateIssued':
    case 'CertificateVerify':
    case 'ServerKeyExchange': // RFC 8422 §5.4: the share, signed with the certificate's key
    case 'CertificateRequest': // PKCS #10: signed with the key it asks to certify
      return 'signed';
    default:
      return 'postcard';
  }
}

describe('every parcel is drawn as what it is, at every level', () => {
  for (const level of LEVELS) {
    it(`level ${LEVEL_TEXTS[level].label}: postcards, locked boxes and seals`, () => {
      const looks = new Map<string, ParcelLook>();
      for (const attacker of ['passive', 'fraudulentCsr'] as const) {
        const { round } = simulateRound(level, { ...honest, client: 'careless', attacker }, `looks/${level}/${attacker}`);
        for (const p of spectatorView(round, 'everything').parcels) {
          const bytes = round.packets[p.id - 1]!.bytes;
          expect(p.look, `${p.label} #${p.id}`).toBe(expectedLook(p.label, bytes));
          looks.set(p.label, p.look);
        }
      }
      if (levelModule(level).tls?.version === '1.2') {
        // RSA key transport locks the pre-master secret in a box; an ECDHE share is public, and the bank signs its own.
        const transport = levelModule(level).keyExchange === 'transport';
        expect(looks.get('ClientKeyExchange')).toBe(transport ? 'lockedBox' : 'postcard');
        expect(looks.get('ServerKeyExchange')).toBe(transport ? undefined : 'signed');
      }
      if (levelModule(level).caPlays) expect(looks.get('CertificateRequest')).toBe('signed');
    });
  }
});

describe('what a verified Finished proves, by key exchange', () => {
  it('level 4 (RSA key transport): the other end decrypted the pre-master secret, so it holds the certificate\'s key', () => {
    const { round } = simulateRound(4, honest, 'finished/4');
    expect(clientLines(round)).toContain(
      'Server Finished verified: the other end decrypted our pre-master secret, so it holds the private key of the certificate, and it saw the same handshake. Every check passed on that certificate: a protected session with bank.example.',
    );
  });

  it('level 4e (ECDHE): the ServerKeyExchange signature proved the key; Finished proves the share\'s secret and the same handshake', () => {
    const { round } = simulateRound(6, honest, 'finished/4e');
    const lines = clientLines(round);
    expect(lines).toContain(
      "Server Finished verified: the other end holds the secret of its key share and saw the same handshake. Its ServerKeyExchange signature proved it holds the certificate's private key, and every check passed on that certificate: a protected session with bank.example.",
    );
    expect(lines.join('\n')).not.toMatch(/holds the session keys, so it holds the private key/);
  });

  it('level 4e, clicked through: the signature, not Finished, proved who holds the certificate\'s key', () => {
    const { round } = simulateRound(6, { ...honest, client: 'careless', attacker: 'ownNameCertificate' }, 'finished/4e/clicked');
    expect(round.result?.outcome).toBe('impersonated');
    expect(clientLines(round)).toContain(
      "Server Finished verified: the other end holds the secret of its key share, and its ServerKeyExchange signature proved it holds the private key of the certificate you accepted. But that certificate failed 1 check, so nothing says that end is bank.example: this is not a secure session.",
    );
  });
});

function fragmentExplanation(level: Level): string {
  const { round } = simulateRound(level, { ...honest, attacker: 'passive' }, `fragment/${level}`);
  const record = (viewFor(round, 'attacker') as AttackerView).captured.find((p) => p.label === 'EncryptedRecord')!;
  const find = (nodes: FieldNode[]): FieldNode | undefined => nodes.map((n) => (n.name === 'fragment' ? n : find(n.children ?? []))).find(Boolean);
  return find(record.fields)!.explain;
}

describe('the inspector says what the first bytes of an encrypted record are, at each level', () => {
  for (const level of [2, 3] as const) {
    it(`level ${level}: those 8 bytes are the game's own sequence number, sent and checked`, () => {
      const words = fragmentExplanation(level);
      expect(words).toBe(
        "The game's own record: the first 8 bytes are the sequence number, sent in the clear, and the receiver checks it (a replay shows as out of sequence) — real TLS has no such check. Then the ciphertext and a 16-byte AES-GCM tag.",
      );
      expect(words).not.toMatch(/never sent/);
    });
  }

  for (const level of [4, 6] as const) {
    it(`level ${LEVEL_TEXTS[level].label}: TLS 1.2's explicit nonce, which the receiver does not read as a count`, () => {
      expect(fragmentExplanation(level)).toBe(
        'TLS 1.2 (RFC 5288): the first 8 bytes are the explicit nonce, sent in the clear (the sender writes its record count there, as OpenSSL does); then the ciphertext and a 16-byte AES-GCM tag. The receiver counts records itself and puts its count in the tag’s additional data, so a changed, replayed or reordered record fails its tag.',
      );
    });
  }

  it('level 5: no nonce on the wire at all', () => {
    expect(fragmentExplanation(5)).toBe(
      'TLS 1.3 (RFC 8446 §5.2, §5.3): ciphertext and a 16-byte AES-GCM tag only, the real content type inside. No nonce is sent: both sides count records and mix the count into the nonce, so a changed, replayed or reordered record fails its tag.',
    );
  });
});

/**
 * Every handshake message the round played, in order, including those inside encrypted records
 * (opened with a key that recreates the session: the bank's RSA key at level 4, Alice's one-time secret at 4e and 5).
 */
function handshakeMessages(round: Round): string[] {
  const key = round.module.keyExchange === 'transport' ? round.server.config.encryptionKey.secretKey : Object.entries(round.client.learned).find(([k]) => k.startsWith('ephemeral'))![1];
  const recording = recordingOf(round);
  const opened = tryKeyOnRecording(recording, key).opened;
  const names: string[] = [];
  for (const p of recording.packets) {
    const inner = p.message.type === 'EncryptedRecord' ? opened.get(p.id)?.message : p.message;
    if (!inner || inner.type === 'HttpRequest' || inner.type === 'HttpResponse' || inner.type === 'Alert') continue;
    if (names.at(-1) !== inner.type) names.push(inner.type);
  }
  return names;
}

describe("the briefing's steps name every message the handshake sends, in order", () => {
  for (const level of [4, 6, 5] as const) {
    it(`level ${LEVEL_TEXTS[level].label}`, () => {
      const { round } = simulateRound(level, honest, `steps/${level}`);
      expect(round.result?.outcome).toBe('secure');
      const steps = LEVEL_TEXTS[level].steps.join(' | ');
      let from = 0;
      for (const name of handshakeMessages(round)) {
        const at = steps.indexOf(name, from);
        expect(at, `${name} in "${steps.slice(from)}"`).toBeGreaterThanOrEqual(0);
        from = at + name.length;
      }
    });
  }
});

describe('the leak is compared at 4, 4e and 5 alike', () => {
  it('level 4e and level 5 say which leaked key opens what: the ECDSA key that leaks here opens nothing; RSA key transport opens', () => {
    for (const level of [6, 5] as const) {
      const more = LEVEL_TEXTS[level].briefing.more.join('\n');
      expect(more, `level ${LEVEL_TEXTS[level].label}`).not.toMatch(/level-4 (recordings|sessions)[^.]*open with it|can open the level-4 sessions/);
      expect(more).toMatch(/signing key leaks\. It opens none of these recordings/);
    }
  });

  it('level 3 does not say the game has only elliptic-curve keys (level 4 encrypts to RSA)', () => {
    expect(LEVEL_TEXTS[3].briefing.more.join('\n')).not.toMatch(/only elliptic-curve keys/);
  });

  it('level 5 is not titled as if forward secrecy were its alone', () => {
    expect(LEVEL_TEXTS[5].title).not.toMatch(/forward secrecy/i);
    expect(LEVEL_TEXTS[5].title).toBe('One-time keys, always');
  });

  it('every level with a CA says the wire is RFC-conformant TLS, not "byte for byte what OpenSSL sends"', () => {
    for (const level of [4, 6, 5] as const) {
      expect(LEVEL_TEXTS[level].wire).not.toMatch(/byte for byte what OpenSSL sends/);
      expect(LEVEL_TEXTS[level].wire).toMatch(/as the RFCs? writes? it: OpenSSL reads it and Wireshark shows it/);
    }
  });
});

describe('the inspector explains certificates and handshake messages as they are', () => {
  const walk = (nodes: FieldNode[]): FieldNode[] => nodes.flatMap((n) => [n, ...walk(n.children ?? [])]);

  it("a certificate's serial: the game counts, a public CA must put at least 64 bits of randomness in it (CA/B Forum BR §7.1)", () => {
    const { round } = simulateRound(6, { ...honest, client: 'careless', attacker: 'fakeCertificate' }, 'inspector/serial');
    const client = viewFor(round, 'client') as ClientView;
    const cert = client.packets.find((p) => p.label === 'Certificate')!;
    const nodes = walk(cert.fields);
    expect(nodes.find((n) => n.path.endsWith('serial'))?.explain).toBe(
      "Serial number: the CA's own number for this certificate. The game counts 1, 2, 3…; a public CA must put at least 64 bits from a cryptographic random generator in it (CA/Browser Forum rules), so nobody can predict what it will sign",
    );
    expect(JSON.stringify(cert.fields)).not.toMatch(/most web certificates|16\+ random bytes/);
  });

  it('CertificateVerify is not TLS 1.3 only: TLS 1.2 has it for a client that shows a certificate (RFC 5246 §7.4.8)', () => {
    const type = walk(messageFields({ type: 'CertificateVerify', scheme: 0x0403, signature: new Uint8Array(70).fill(1) })).find((n) => n.name === 'handshakeType')!;
    expect(type.explain).toBe(
      'certificate_verify (15): a signature over the handshake so far with the certificate’s private key, proof of holding it. A TLS 1.3 server always sends one; in TLS 1.2 only a client that shows a certificate does',
    );
  });
});
