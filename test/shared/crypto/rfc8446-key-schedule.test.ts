/**
 * RFC 8446 §7.1 key schedule, §7.3 traffic keys and §4.4.4 Finished, checked step by step
 * against the RFC 8448 §3 "Simple 1-RTT Handshake" trace (TLS_AES_128_GCM_SHA256, X25519).
 * Vectors: test/vectors/rfc8448-simple-1rtt.json, provenance in test/vectors/README.md.
 */
import { describe, expect, it } from 'vitest';
import {
  deriveSecret,
  hkdfExpand,
  hkdfExpandLabel,
  hkdfExtract,
  sha256,
  tls13ApplicationSecrets,
  tls13FinishedVerifyData,
  tls13HandshakeSecrets,
  tls13TrafficKeys,
  x25519KeyPair,
  x25519SharedSecret,
} from '../../../shared/src/crypto/index.ts';
import { concat, fromHex, toHex } from '../../../shared/src/codec/bytes.ts';
import v from '../../vectors/rfc8448-simple-1rtt.json';
import { flipped } from '../../support/flip.ts';

const m = v.messages;
const transcript = (...messages: string[]) => sha256(concat(...messages.map(fromHex)));
const EMPTY = new Uint8Array(0);

describe('RFC 8448 §3 inputs', () => {
  it('X25519 of the client key and the server key gives the (EC)DHE shared secret, from both sides', () => {
    const client = x25519KeyPair(fromHex(v.clientPrivateKey));
    const server = x25519KeyPair(fromHex(v.serverPrivateKey));
    expect(toHex(client.publicKey)).toBe(v.clientPublicKey);
    expect(toHex(server.publicKey)).toBe(v.serverPublicKey);
    expect(toHex(x25519SharedSecret(client.secretKey, server.publicKey))).toBe(v.ecdheSharedSecret);
    expect(toHex(x25519SharedSecret(server.secretKey, client.publicKey))).toBe(v.ecdheSharedSecret);
  });

  it('Transcript-Hash(ClientHello, ServerHello) is the hello hash (§4.4.1)', () => {
    expect(toHex(transcript(m.clientHello, m.serverHello))).toBe(v.helloHash);
  });

  it('Transcript-Hash(ClientHello .. server Finished) is the handshake hash', () => {
    const hash = transcript(m.clientHello, m.serverHello, m.encryptedExtensions, m.certificate, m.certificateVerify, m.serverFinished);
    expect(toHex(hash)).toBe(v.handshakeHash);
  });
});

describe('RFC 8446 §7.1 HKDF-Expand-Label and Derive-Secret', () => {
  it('encodes HkdfLabel as length, "tls13 " + label, context (RFC 8448 "c hs traffic" info)', () => {
    const secret = fromHex(v.handshakeSecret);
    const viaInfo = hkdfExpand(secret, fromHex(v.clientHandshakeInfo), 32);
    expect(toHex(hkdfExpandLabel(secret, 'c hs traffic', fromHex(v.helloHash), 32))).toBe(toHex(viaInfo));
    expect(toHex(viaInfo)).toBe(v.clientHandshakeTrafficSecret);
  });

  it('Early Secret = HKDF-Extract(0, 0) with no PSK', () => {
    expect(toHex(hkdfExtract(new Uint8Array(32), new Uint8Array(32)))).toBe(v.earlySecret);
  });

  it('Derive-Secret(Early Secret, "derived", "") takes the hash of the empty transcript', () => {
    expect(toHex(deriveSecret(fromHex(v.earlySecret), 'derived', sha256(EMPTY)))).toBe(v.derivedForHandshake);
  });

  it('Derive-Secret(Handshake Secret, "derived", "") is the salt of the master secret', () => {
    expect(toHex(deriveSecret(fromHex(v.handshakeSecret), 'derived', sha256(EMPTY)))).toBe(v.derivedForMaster);
  });

  it('refuses labels and contexts that do not fit their one-byte length prefix', () => {
    const secret = fromHex(v.handshakeSecret);
    expect(() => hkdfExpandLabel(secret, 'x'.repeat(250), EMPTY, 32)).toThrow(RangeError);
    expect(() => hkdfExpandLabel(secret, '', EMPTY, 32)).toThrow(RangeError);
    expect(() => hkdfExpandLabel(secret, 'key', new Uint8Array(256), 32)).toThrow(RangeError);
    expect(() => hkdfExpandLabel(secret, 'x'.repeat(249), EMPTY, 32)).not.toThrow();
  });
});

describe('RFC 8446 §7.1 key schedule on the RFC 8448 §3 trace', () => {
  const hs = tls13HandshakeSecrets(fromHex(v.ecdheSharedSecret), fromHex(v.helloHash));
  const ap = tls13ApplicationSecrets(hs.handshakeSecret, fromHex(v.handshakeHash));

  it('handshake secret', () => expect(toHex(hs.handshakeSecret)).toBe(v.handshakeSecret));
  it('client handshake traffic secret ("c hs traffic")', () => expect(toHex(hs.clientHandshakeTrafficSecret)).toBe(v.clientHandshakeTrafficSecret));
  it('server handshake traffic secret ("s hs traffic")', () => expect(toHex(hs.serverHandshakeTrafficSecret)).toBe(v.serverHandshakeTrafficSecret));
  it('master secret', () => expect(toHex(ap.masterSecret)).toBe(v.masterSecret));
  it('client application traffic secret ("c ap traffic")', () => expect(toHex(ap.clientApplicationTrafficSecret)).toBe(v.clientApplicationTrafficSecret));
  it('server application traffic secret ("s ap traffic")', () => expect(toHex(ap.serverApplicationTrafficSecret)).toBe(v.serverApplicationTrafficSecret));

  it('a different shared secret (an attacker-substituted key share) changes every secret', () => {
    const other = tls13HandshakeSecrets(sha256(fromHex(v.ecdheSharedSecret)), fromHex(v.helloHash));
    expect(toHex(other.handshakeSecret)).not.toBe(v.handshakeSecret);
    expect(toHex(other.clientHandshakeTrafficSecret)).not.toBe(v.clientHandshakeTrafficSecret);
  });
});

describe('RFC 8446 §7.3 traffic keys (TLS_AES_128_GCM_SHA256: 16-byte key, 12-byte iv)', () => {
  const cases = [
    ['server handshake', v.serverHandshakeTrafficSecret, v.serverHandshakeKey, v.serverHandshakeIv],
    ['client handshake', v.clientHandshakeTrafficSecret, v.clientHandshakeKey, v.clientHandshakeIv],
    ['server application', v.serverApplicationTrafficSecret, v.serverApplicationKey, v.serverApplicationIv],
    ['client application', v.clientApplicationTrafficSecret, v.clientApplicationKey, v.clientApplicationIv],
  ] as const;
  for (const [name, secret, key, iv] of cases) {
    it(`${name} write key and iv`, () => {
      const keys = tls13TrafficKeys(fromHex(secret), 16);
      expect(toHex(keys.key)).toBe(key);
      expect(toHex(keys.iv)).toBe(iv);
    });
  }

  it('defaults to the 16-byte AES-128-GCM key', () => {
    expect(toHex(tls13TrafficKeys(fromHex(v.serverHandshakeTrafficSecret)).key)).toBe(v.serverHandshakeKey);
  });
});

describe('RFC 8446 §4.4.4 Finished', () => {
  it('finished_key = HKDF-Expand-Label(BaseKey, "finished", "", 32) (RFC 8448 values)', () => {
    expect(toHex(hkdfExpandLabel(fromHex(v.serverHandshakeTrafficSecret), 'finished', EMPTY, 32))).toBe(v.serverFinishedKey);
    expect(toHex(hkdfExpandLabel(fromHex(v.clientHandshakeTrafficSecret), 'finished', EMPTY, 32))).toBe(v.clientFinishedKey);
  });

  it('server verify_data is the body of the RFC 8448 server Finished message', () => {
    const hash = transcript(m.clientHello, m.serverHello, m.encryptedExtensions, m.certificate, m.certificateVerify);
    const verifyData = tls13FinishedVerifyData(fromHex(v.serverHandshakeTrafficSecret), hash);
    expect(toHex(verifyData)).toBe(m.serverFinished.slice(8)); // after type 0x14 and uint24 length
  });

  it('client verify_data covers the transcript up to the server Finished', () => {
    const verifyData = tls13FinishedVerifyData(fromHex(v.clientHandshakeTrafficSecret), fromHex(v.handshakeHash));
    expect(toHex(verifyData)).toBe(m.clientFinished.slice(8));
  });

  it('changes when one transcript byte changes (a tampered handshake is caught)', () => {
    const tampered = flipped(fromHex(m.certificate), 20);
    const hash = sha256(concat(fromHex(m.clientHello), fromHex(m.serverHello), fromHex(m.encryptedExtensions), tampered, fromHex(m.certificateVerify)));
    expect(toHex(tls13FinishedVerifyData(fromHex(v.serverHandshakeTrafficSecret), hash))).not.toBe(m.serverFinished.slice(8));
  });
});
