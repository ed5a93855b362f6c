/**
 * RFC 5246 §5 PRF (P_SHA256) and the TLS 1.2 secrets built on it: §8.1 master secret,
 * §6.3 key block, §7.4.9 Finished. Vectors: test/vectors/README.md.
 */
import { describe, expect, it } from 'vitest';
import {
  sha256,
  tls12FinishedVerifyData,
  tls12KeyBlock,
  tls12MasterSecret,
  tls12Prf,
} from '../../../shared/src/crypto/index.ts';
import { concat, fromHex, toHex, utf8 } from '../../../shared/src/codec/bytes.ts';
import prfVectors from '../../vectors/ietf-tls-wg-tls12-prf-sha256.json';
import cavp from '../../vectors/nist-cavp-tls12-kdf-sha256.json';

describe('RFC 5246 §5 PRF with P_SHA256', () => {
  const v = prfVectors.vectors[0]!;

  it('matches the TLS WG P_SHA256 vector (100 bytes, four HMAC blocks, the last one cut)', () => {
    expect(toHex(tls12Prf(fromHex(v.secret), v.label, fromHex(v.seed), 100))).toBe(v.output);
  });

  it('is a prefix-stable stream: a shorter request returns the start of a longer one', () => {
    for (const n of [0, 1, 31, 32, 33, 64]) {
      expect(toHex(tls12Prf(fromHex(v.secret), v.label, fromHex(v.seed), n))).toBe(v.output.slice(0, 2 * n));
    }
  });

  it('puts the label in front of the seed (§5: label + seed)', () => {
    const viaEmptyLabel = tls12Prf(fromHex(v.secret), '', concat(utf8(v.label), fromHex(v.seed)), 100);
    expect(toHex(viaEmptyLabel)).toBe(v.output);
    expect(toHex(tls12Prf(fromHex(v.secret), 'other label', fromHex(v.seed), 100))).not.toBe(v.output);
  });

  it('refuses a negative or fractional length', () => {
    expect(() => tls12Prf(fromHex(v.secret), v.label, fromHex(v.seed), -1)).toThrow(RangeError);
    expect(() => tls12Prf(fromHex(v.secret), v.label, fromHex(v.seed), 1.5)).toThrow(RangeError);
  });
});

describe('RFC 5246 §8.1 master secret (NIST CAVP TLS 1.2 KDF vector)', () => {
  const m = cavp.masterSecret;

  it('derives the 48-byte master secret from pre-master, client random, server random', () => {
    const master = tls12MasterSecret(fromHex(m.preMasterSecret), fromHex(m.clientRandom), fromHex(m.serverRandom));
    expect(master.length).toBe(48);
    expect(toHex(master)).toBe(m.masterSecret);
  });

  it('depends on the order of the randoms (client first)', () => {
    const swapped = tls12MasterSecret(fromHex(m.preMasterSecret), fromHex(m.serverRandom), fromHex(m.clientRandom));
    expect(toHex(swapped)).not.toBe(m.masterSecret);
  });
});

describe('RFC 5246 §6.3 key block for an AEAD suite (RFC 5288: no MAC keys)', () => {
  const k = cavp.keyBlock;
  const master = fromHex(k.masterSecret);
  const clientRandom = fromHex(k.clientRandom);
  const serverRandom = fromHex(k.serverRandom);

  it('expands "key expansion" over server random + client random to the CAVP key block', () => {
    const block = tls12Prf(master, 'key expansion', concat(serverRandom, clientRandom), k.keyBlock.length / 2);
    expect(toHex(block)).toBe(k.keyBlock);
  });

  it('cuts client key, server key, client IV, server IV in that order (AES-128-GCM: 16 + 16 + 4 + 4)', () => {
    const keys = tls12KeyBlock(master, clientRandom, serverRandom, 16, 4);
    const hex = k.keyBlock;
    expect(toHex(keys.clientWriteKey)).toBe(hex.slice(0, 32));
    expect(toHex(keys.serverWriteKey)).toBe(hex.slice(32, 64));
    expect(toHex(keys.clientWriteIv)).toBe(hex.slice(64, 72));
    expect(toHex(keys.serverWriteIv)).toBe(hex.slice(72, 80));
  });

  it('gives AES-256-GCM 32-byte keys from the same stream', () => {
    const keys = tls12KeyBlock(master, clientRandom, serverRandom, 32, 4);
    expect(toHex(keys.clientWriteKey)).toBe(k.keyBlock.slice(0, 64));
    expect(toHex(keys.serverWriteKey)).toBe(k.keyBlock.slice(64, 128));
    expect(toHex(keys.serverWriteIv)).toBe(k.keyBlock.slice(136, 144));
  });
});

describe('RFC 5246 §7.4.9 Finished verify_data', () => {
  // No published verify_data vector for the SHA-256 PRF was found, so these pin the
  // definition to the already-verified PRF instead of to a made-up value.
  const master = fromHex(cavp.masterSecret.masterSecret);
  const transcriptHash = sha256(utf8('ClientHello..ClientKeyExchange'));

  it('is PRF(master_secret, "client finished" | "server finished", Hash(handshake_messages))[0..11]', () => {
    for (const sender of ['client', 'server'] as const) {
      const verifyData = tls12FinishedVerifyData(master, sender, transcriptHash);
      expect(verifyData.length).toBe(12);
      expect(toHex(verifyData)).toBe(toHex(tls12Prf(master, `${sender} finished`, transcriptHash, 12)));
    }
  });

  it('differs between client and server, and with the transcript', () => {
    const client = toHex(tls12FinishedVerifyData(master, 'client', transcriptHash));
    expect(toHex(tls12FinishedVerifyData(master, 'server', transcriptHash))).not.toBe(client);
    expect(toHex(tls12FinishedVerifyData(master, 'client', sha256(utf8('tampered'))))).not.toBe(client);
  });
});
