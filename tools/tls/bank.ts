/**
 * What a TLS endpoint needs before it listens: the game's root CA (a P-256 key and its
 * self-signed certificate), the bank's key (RSA-2048 for level 4's key transport, P-256 for
 * level 4e's signed ServerKeyExchange and level 5's CertificateVerify) and the bank's X.509
 * certificate signed by that root — made by
 * the engine's own PKI (shared/src/pki), so OpenSSL sees exactly what the game's browsers see.
 * Also the same keys as PEM for node:tls, which the interop tests put on the other side.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { p256KeyPair, x25519KeyPair, type KeyPair } from '../../shared/src/crypto/primitives.ts';
import type { Rng } from '../../shared/src/crypto/rng.ts';
import type { RsaPrivateKey } from '../../shared/src/crypto/rsa.ts';
import { RSA_KEY_POOL } from '../../shared/src/crypto/rsa-key-pool.ts';
import type { ClientConfig, ServerConfig } from '../../shared/src/handshake/types.ts';
import type { Certificate } from '../../shared/src/messages/types.ts';
import { certificatePem, rootCertificate, signCertificate } from '../../shared/src/pki/certificate.ts';
import { pem, rsaKeyPair } from '../../shared/src/pki/keys.ts';
import { trustStoreFromPem, type TrustStoreFile } from '../../shared/src/pki/trust-store.ts';
import { levelByLabel, levelLabel } from '../../shared/src/levels/texts/index.ts';

/** The levels that are real TLS, by their ids inside the game: 4e is level 6 there (players, and the command line, say "4e"). */
export type TlsLevel = 4 | 6 | 5;
export const TLS_LEVELS: readonly TlsLevel[] = [4, 6, 5];

/** The TLS level a player or a command line names ("4", "4e", "5"); the internal id 6 is no name. */
export function tlsLevelByLabel(label: string): TlsLevel | undefined {
  const level = levelByLabel(label);
  return TLS_LEVELS.find((l) => l === level);
}
export const TLS_LABELS: readonly string[] = TLS_LEVELS.map(levelLabel);

export const DEFAULT_NAME = 'bank.example';
export const DEFAULT_CA = 'Heist Root CA';
const DAY = 86_400;

export interface BankOptions {
  rng: Rng;
  /** Seconds since 1970: the certificates are valid from a day before to 30 days after, unless given. */
  now: number;
  serverName?: string;
  caName?: string;
  /** The names in the bank certificate's subjectAltName (default: the server name). */
  names?: string[];
  notBefore?: number;
  notAfter?: number;
  /** Level 4's RSA key (default: one of the engine's pool, chosen by `rng`). */
  rsa?: RsaPrivateKey;
}

export interface Bank {
  level: TlsLevel;
  caName: string;
  caKeys: KeyPair;
  root: Certificate;
  certificate: Certificate;
  /** What the engine's server machine takes. */
  server: ServerConfig;
  rootPem: string;
  certificatePem: string;
  /** The bank's private key as PKCS #8 PEM (for node:tls). */
  keyPem: string;
}

export function makeBank(level: TlsLevel, options: BankOptions): Bank {
  const { rng, now } = options;
  const serverName = options.serverName ?? DEFAULT_NAME;
  const caName = options.caName ?? DEFAULT_CA;
  const caKeys = p256KeyPair(rng.bytes(32));
  const root = rootCertificate(caName, caKeys, now - DAY, now + 3650 * DAY);
  const rsa = rsaKeyPair(options.rsa ?? RSA_KEY_POOL[rng.int(RSA_KEY_POOL.length)]!);
  const p256 = p256KeyPair(rng.bytes(32));
  // Level 4 encrypts the pre-master to the certificate's key; 4e and 5 sign with it.
  const key = level === 4 ? rsa : p256;
  const certificate = signCertificate(
    {
      serial: BigInt(1000 + rng.int(1_000_000)),
      subject: serverName,
      issuer: caName,
      notBefore: options.notBefore ?? now - DAY,
      notAfter: options.notAfter ?? now + 30 * DAY,
      keyType: level === 4 ? 'rsa' : 'p256',
      keyUsage: [level === 4 ? 'keyEncipherment' : 'digitalSignature'],
      publicKey: key.publicKey,
      names: options.names ?? [serverName],
      ca: false,
    },
    caKeys.secretKey,
  );
  return {
    level,
    caName,
    caKeys,
    root,
    certificate,
    server: { serverName, encryptionKey: level === 4 ? rsa : x25519KeyPair(rng.bytes(32)), signingKey: p256, certificate },
    rootPem: certificatePem(root),
    certificatePem: certificatePem(certificate),
    keyPem: level === 4 ? rsaPem(rsa.secretKey) : p256Pem(p256),
  };
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function rsaPem(pkcs1: Uint8Array): string {
  return createPrivateKey({ key: pem('RSA PRIVATE KEY', pkcs1), format: 'pem' }).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** RFC 7518 §6.2: the raw P-256 scalar and point as a JWK, which OpenSSL exports as PKCS #8. */
function p256Pem(key: KeyPair): string {
  const x = key.publicKey.subarray(1, 33);
  const y = key.publicKey.subarray(33, 65);
  return createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: b64url(key.secretKey), x: b64url(x), y: b64url(y) }, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** A fresh RSA-2048 key from OpenSSL (native key generation takes a fraction of a second; JavaScript's takes seconds). */
export function freshRsaKey(): RsaPrivateKey {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const field = (name: 'n' | 'e' | 'd' | 'p' | 'q' | 'dp' | 'dq' | 'qi') => new Uint8Array(Buffer.from(String(jwk[name]), 'base64url'));
  return { n: field('n'), e: field('e'), d: field('d'), p: field('p'), q: field('q'), dp: field('dp'), dq: field('dq'), qi: field('qi') };
}

/**
 * A browser's configuration trusting the CA certificates in `caPem` — the game's root, or a
 * bundle of many as operating systems ship them — going straight to https:// (HSTS). Throws
 * when the text holds no certificate the browser can trust.
 */
export function clientTrusting(caPem: string, serverName: string): ClientConfig {
  return trustingFile(caPem, serverName).config;
}

/** The same, with the certificates of the file it left out and why. */
export function trustingFile(caPem: string, serverName: string): { config: ClientConfig; store: TrustStoreFile } {
  const store = trustStoreFromPem(caPem);
  if (store.anchors.length === 0) {
    throw new Error(store.skipped.length > 0 ? store.skipped.map((s) => `${s.name}: ${s.why}`).join('; ') : 'no PEM CERTIFICATE in it');
  }
  return { config: { serverName, trustStore: store.anchors, hsts: [serverName] }, store };
}
