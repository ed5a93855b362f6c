/**
 * What a TLS endpoint needs before it listens: the game's root CA (a P-256 key and its
 * self-signed certificate), where the level's PKI says so an intermediate CA the root certified
 * (which then signs the bank's certificate, and which the bank sends after it), the bank's key (the one the level's module says its certificate
 * carries: RSA-2048 for level 4's key transport, P-256 for level 4e's signed ServerKeyExchange
 * and level 5's CertificateVerify) and the bank's X.509
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
import { certificatePem, intermediateCertificate, rootCertificate, signCertificate } from '../../shared/src/pki/certificate.ts';
import { pem, rsaKeyPair } from '../../shared/src/pki/keys.ts';
import { trustStoreFromPem, type TrustStoreFile } from '../../shared/src/pki/trust-store.ts';
import { levelByLabel, levelLabel } from '../../shared/src/levels/texts/index.ts';
import { levelModule } from '../../shared/src/levels/index.ts';
import type { LevelPki, LevelTls } from '../../shared/src/levels/types.ts';
import { LEVELS, type Level } from '../../shared/src/basics/levels.ts';
import type { Wire } from './endpoint.ts';

/**
 * A level that is real TLS: its module says its version and suite (`tls`) and its certificates
 * (`pki`). Ids are the game's own: 4e is level 6 there (players, and the command line, say "4e").
 */
export type TlsLevel = Level;
export const TLS_LEVELS: readonly TlsLevel[] = LEVELS.filter((l) => levelModule(l).tls !== undefined);

/** The TLS level a player or a command line names ("4", "4e", "5"); the internal id 6 is no name. */
export function tlsLevelByLabel(label: string): TlsLevel | undefined {
  const level = levelByLabel(label);
  return TLS_LEVELS.find((l) => l === level);
}
export const TLS_LABELS: readonly string[] = TLS_LEVELS.map(levelLabel);

/** The level's TLS and certificates, from its module; a level that is not TLS has neither. */
export function tlsOf(level: TlsLevel): { tls: LevelTls; pki: LevelPki } {
  const { tls, pki } = levelModule(level);
  if (!tls || !pki) throw new Error(`level ${levelLabel(level)} is not TLS`);
  return { tls, pki };
}

/** The protocol version the level speaks on the wire (what the socket driver needs to frame records). */
export function tlsWire(level: TlsLevel): Wire {
  return { version: tlsOf(level).tls.version === '1.3' ? 'tls13' : 'tls12' };
}

export const DEFAULT_NAME = 'bank.example';
export const DEFAULT_CA = 'Heist Root CA';
export const DEFAULT_INTERMEDIATE = 'Heist Issuing CA';
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
  /** The CA certificates the bank sends after its own: the intermediate's, where one signed it; else none. */
  chain: Certificate[];
  /** The CA that signed the bank's certificate (the root, or the intermediate): it signs the OCSP answers on it. */
  issuer: { name: string; keys: KeyPair };
  /** What the engine's server machine takes. */
  server: ServerConfig;
  rootPem: string;
  /** The bank's certificate, then its chain: what the bank sends (and what node:tls takes as `cert`). */
  certificatePem: string;
  /** The chain alone (the intermediate's certificate), where there is one. */
  chainPem: string;
  /** The bank's private key as PKCS #8 PEM (for node:tls). */
  keyPem: string;
}

export function makeBank(level: TlsLevel, options: BankOptions): Bank {
  const { rng, now } = options;
  const serverName = options.serverName ?? DEFAULT_NAME;
  const caName = options.caName ?? DEFAULT_CA;
  const caKeys = p256KeyPair(rng.bytes(32));
  const root = rootCertificate(caName, caKeys, now - DAY, now + 3650 * DAY);
  const { pki } = tlsOf(level);
  const spec = pki.certificateKey;
  const issuer = issuerOf(pki, { name: caName, keys: caKeys }, rng, now);
  const rsa = rsaKeyPair(options.rsa ?? RSA_KEY_POOL[rng.int(RSA_KEY_POOL.length)]!);
  const p256 = p256KeyPair(rng.bytes(32));
  // The certificate carries the key the module names: RSA key transport encrypts the pre-master to it (4); ECDHE and TLS 1.3 sign with it (4e, 5).
  const key = { rsa, p256 }[spec.keyType];
  const certificate = signCertificate(
    {
      serial: BigInt(1000 + rng.int(1_000_000)),
      subject: serverName,
      issuer: issuer.name,
      notBefore: options.notBefore ?? now - DAY,
      notAfter: options.notAfter ?? now + 30 * DAY,
      keyType: spec.keyType,
      keyUsage: [spec.keyUsage],
      publicKey: key.publicKey,
      names: options.names ?? [serverName],
      ca: false,
    },
    issuer.keys.secretKey,
  );
  return {
    level,
    caName,
    caKeys,
    root,
    certificate,
    chain: issuer.chain,
    issuer: { name: issuer.name, keys: issuer.keys },
    // The encryption key is RSA where the certificate carries it; elsewhere nothing uses it.
    server: { serverName, encryptionKey: spec.of === 'encryptionKey' ? rsa : x25519KeyPair(rng.bytes(32)), signingKey: p256, certificate, ...(issuer.chain.length > 0 ? { chain: issuer.chain } : {}) },
    rootPem: certificatePem(root),
    certificatePem: [certificate, ...issuer.chain].map(certificatePem).join(''),
    chainPem: issuer.chain.map(certificatePem).join(''),
    keyPem: spec.keyType === 'rsa' ? rsaPem(rsa.secretKey) : p256Pem(p256),
  };
}

/** Who signs the bank's certificate, as the level's PKI says: the root itself, or an intermediate the root certified (sent after the bank's certificate). */
function issuerOf(pki: LevelPki, root: { name: string; keys: KeyPair }, rng: Rng, now: number): { name: string; keys: KeyPair; chain: Certificate[] } {
  switch (pki.issuer) {
    case 'root':
      return { ...root, chain: [] };
    case 'intermediate': {
      const keys = p256KeyPair(rng.bytes(32));
      const certificate = intermediateCertificate(DEFAULT_INTERMEDIATE, keys.publicKey, { name: root.name, secretKey: root.keys.secretKey }, now - DAY, now + 365 * DAY);
      return { name: DEFAULT_INTERMEDIATE, keys, chain: [certificate] };
    }
  }
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
 * bundle of many as operating systems ship them — going straight to https:// (HSTS), offering
 * TLS 1.2's extended master secret at levels 4 and 4e as browsers do (RFC 7627). Throws when the
 * text holds no certificate the browser can trust.
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
  return { config: { serverName, trustStore: store.anchors, hsts: [serverName], extendedMasterSecret: true }, store };
}
