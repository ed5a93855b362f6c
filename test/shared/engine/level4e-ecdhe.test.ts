/**
 * Level 4e — TLS 1.2 with ECDHE (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256): the flight on the
 * wire, the ServerKeyExchange signature checked by OpenSSL (node:crypto) over RFC 8422 §5.4's
 * client_random ‖ server_random ‖ params, a swapped share caught with decrypt_error, and the
 * level offered to the teacher's and the practice screen's pickers as "4e".
 */
import { verify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeMessage, LEVEL_TEXTS, LEVELS, levelByLabel, levelLabel, levelModule, levelName, simulateRound, type Message, type MessageOf } from '@heist/shared';
import { SUITE } from '../../../shared/src/messages/codes.ts';
import { encodeCertificate } from '../../../shared/src/pki/certificate.ts';
import { alertsFrom, attack, editOnce, fieldPath, heldOf, startRound } from './play.ts';

function honestRound(seed: string) {
  const { round } = simulateRound(6, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, seed);
  const wire = round.packets.filter((p) => p.path === 'wifi').map((p) => ({ from: p.from, message: decodeMessage(p.bytes) as Message }));
  const find = <T extends Message['type']>(type: T) => wire.find((w) => w.message.type === type)!.message as MessageOf<T>;
  return { round, wire, find };
}

describe('level 4e on the wire', () => {
  it('ClientHello offers 0xC02B on P-256; the bank answers ServerHello, Certificate, ServerKeyExchange, ServerHelloDone; Alice ClientKeyExchange, ChangeCipherSpec, Finished', () => {
    const { round, wire, find } = honestRound('4e/flight');
    expect(round.result?.outcome).toBe('secure');
    const hello = find('ClientHello');
    expect(hello.cipherSuites).toEqual([SUITE.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]);
    expect(hello.extensions).toContainEqual({ type: 'supported_groups', groups: [0x0017] });
    expect(hello.extensions).toContainEqual({ type: 'ec_point_formats', formats: [0] });
    const handshake = wire.filter((w) => w.message.type !== 'HttpRequest' && w.message.type !== 'HttpResponse').map((w) => `${w.from}:${w.message.type}`);
    expect(handshake.slice(0, 9)).toEqual([
      'client:ClientHello',
      'server:ServerHello',
      'server:Certificate',
      'server:ServerKeyExchange',
      'server:ServerHelloDone',
      'client:ClientKeyExchange',
      'client:ChangeCipherSpec',
      'client:EncryptedRecord',
      'server:ChangeCipherSpec',
    ]);
    expect(find('ServerKeyExchange')).toMatchObject({ group: 0x0017, scheme: 0x0403 });
    expect(find('ServerKeyExchange').publicKey).toHaveLength(65);
    expect(find('ClientKeyExchange').ecdhPublic).toHaveLength(65);
    expect(find('ClientKeyExchange').encryptedPreMaster).toHaveLength(0);
    // Both sides computed the same pre-master secret, which never crossed the wire.
    expect(round.client.learned['pre-master secret']).toEqual(round.server.learned['pre-master secret']);
    expect(round.client.checks.find((c) => c.check === 'serverKeyExchange')).toMatchObject({ passed: true });
  });

  it("OpenSSL verifies the bank's ServerKeyExchange signature with the certificate's key, over client_random ‖ server_random ‖ params (RFC 8422 §5.4)", () => {
    for (const seed of ['4e/sig-a', '4e/sig-b']) {
      const { find } = honestRound(seed);
      const ske = find('ServerKeyExchange');
      const key = new X509Certificate(Buffer.from(encodeCertificate(find('Certificate').certificate))).publicKey;
      const signed = (point: Uint8Array) => Buffer.concat([find('ClientHello').random, find('ServerHello').random, Buffer.from([3, 0x00, 0x17, point.length]), point]);
      expect(verify('sha256', signed(ske.publicKey), { key, dsaEncoding: 'der' }, ske.signature)).toBe(true);
      const swapped = ske.publicKey.slice();
      swapped[10]! ^= 1;
      expect(verify('sha256', signed(swapped), { key, dsaEncoding: 'der' }, ske.signature)).toBe(false);
      expect(key.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    }
  });

  it("a swapped share in ServerKeyExchange: Alice's browser sends decrypt_error and the debrief names the check", () => {
    const round = startRound(6, '4e/swap');
    const basePoint = '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';
    attack(round, editOnce(heldOf('ServerKeyExchange'), (id, v) => ({ type: 'editField', packetId: id, path: fieldPath(v, id, 'publicKey'), value: basePoint })));
    expect(round.client.failure?.reason).toBe('badServerKeyExchange');
    expect(alertsFrom(round, 'client')).toEqual(['decrypt_error']);
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: 'client', check: 'serverKeyExchange', flagged: true, actedOn: true }));
  });

  it('is a level the teacher and the practice screen can pick, shown as "4e" between 4 and 5', () => {
    expect(LEVELS.indexOf(6)).toBe(LEVELS.indexOf(4) + 1);
    expect(LEVELS.indexOf(5)).toBe(LEVELS.indexOf(6) + 1);
    expect(levelLabel(6)).toBe('4e');
    expect(levelByLabel('4e')).toBe(6);
    expect(levelByLabel('4')).toBe(4);
    expect(levelName(6)).toBe(`Level 4e · ${LEVEL_TEXTS[6].title} — ${LEVEL_TEXTS[6].concept}`);
    expect(levelModule(6)).toMatchObject({ keyExchange: 'ephemeral', protection: 'tls', pki: { issuer: 'root', trustStore: 'root', certificateKey: { keyType: 'p256', keyUsage: 'digitalSignature' } }, tls: { version: '1.2', suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', groups: ['P-256'] } });
  });
});
