/**
 * X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem §3, codepoint 0x11EC) as the game builds it on
 * `@noble/post-quantum`'s ML-KEM-768 (FIPS 203) and X25519 (RFC 7748): the share layouts (ML-KEM
 * first), the 64-byte shared secret (ML-KEM's ‖ X25519's), both sides agreeing, and the bank's
 * and the browser's refusals, in words, of a share that is not one.
 */
import { describe, expect, it } from 'vitest';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { concat, seededRng, x25519KeyPair, x25519SharedSecret } from '@heist/shared';
import { hybridDecapsulate, hybridEncapsulate, hybridKeyPair, hybridParts, x25519PartOf, X25519_MLKEM768 } from '../../../shared/src/crypto/x25519-mlkem768.ts';
import { answerShare, ephemeralShare, sharedSecretFor } from '../../../shared/src/handshake/groups.ts';

const HYBRID = 0x11ec;
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('draft-ietf-tls-ecdhe-mlkem §3: X25519MLKEM768', () => {
  const mlkemSeed = bytes(64, 1);
  const x25519Seed = bytes(32, 2);
  const alice = hybridKeyPair(mlkemSeed, x25519Seed);

  it('the client share is the ML-KEM-768 encapsulation key (1184) followed by the X25519 key (32): 1216 bytes', () => {
    expect(alice.publicKey.length).toBe(1216);
    expect(alice.publicKey.slice(0, 1184)).toEqual(ml_kem768.keygen(mlkemSeed).publicKey);
    expect(alice.publicKey.slice(1184)).toEqual(x25519KeyPair(x25519Seed).publicKey);
    expect(hybridParts(alice.publicKey)?.side).toBe('client');
  });

  it('the server share is the ML-KEM-768 ciphertext (1088) followed by its X25519 key (32): 1120 bytes; the secret is ML-KEM’s ‖ X25519’s, and both sides agree', () => {
    const message = bytes(32, 3);
    const bank = hybridEncapsulate(alice.publicKey, bytes(32, 4), message);
    expect(bank.share.length).toBe(X25519_MLKEM768.serverShare);
    const kem = ml_kem768.encapsulate(ml_kem768.keygen(mlkemSeed).publicKey, message);
    expect(bank.share.slice(0, 1088)).toEqual(kem.cipherText);
    expect(bank.share.slice(1088)).toEqual(x25519KeyPair(bytes(32, 4)).publicKey);
    const x25519 = x25519SharedSecret(x25519KeyPair(x25519Seed).secretKey, bank.share.slice(1088));
    expect(bank.sharedSecret).toEqual(concat(kem.sharedSecret, x25519));
    expect(hybridDecapsulate(alice.secretKey, bank.share)).toEqual(bank.sharedSecret);
    expect(x25519PartOf(bank.sharedSecret)).toEqual(x25519);
  });

  it('through the game’s groups: the browser’s share, the bank’s answer and the browser’s secret agree', () => {
    const keys = ephemeralShare(HYBRID, seededRng('browser'));
    const answer = answerShare(HYBRID, keys.publicKey, seededRng('bank'));
    if ('reason' in answer) throw new Error(answer.reason);
    expect([keys.publicKey.length, answer.keys.publicKey.length, answer.shared.length]).toEqual([1216, 1120, 64]);
    expect(sharedSecretFor(HYBRID, keys.secretKey, answer.keys.publicKey)).toEqual(answer.shared);
  });

  it('a share of the wrong length, or an encapsulation key FIPS 203 §7.2 refuses, is refused in words', () => {
    const rng = seededRng('refusals');
    expect(answerShare(HYBRID, bytes(1215, 7), rng)).toEqual({ reason: 'decodeError', detail: 'an X25519MLKEM768 key share from the client is 1216 bytes' });
    // Every coefficient 0xFFF is ≥ q = 3329: not an encapsulation key.
    expect(answerShare(HYBRID, concat(bytes(1184, 0xff), x25519KeyPair(bytes(32, 9)).publicKey), rng)).toEqual({ reason: 'decodeError', detail: 'invalid X25519MLKEM768 key share' });
    expect(sharedSecretFor(HYBRID, alice.secretKey, bytes(1216, 1))).toEqual({ reason: 'decodeError', detail: 'an X25519MLKEM768 key share from the server is 1120 bytes' });
    // Diffie-Hellman groups keep their words: one length both ways.
    expect(answerShare(0x001d, bytes(31, 1), rng)).toEqual({ reason: 'decodeError', detail: 'an X25519 key share is 32 bytes' });
  });
});
