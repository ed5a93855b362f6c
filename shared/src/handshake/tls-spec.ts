/**
 * What a level's TLS machines are told by its module (levels/types.ts), worked out once into
 * the numbers on the wire: the version they speak, the one cipher suite the server picks (and
 * its record key length), the key-exchange groups in the level's order of preference, and the
 * key the browser expects in the bank's certificate. A level with another suite, group or
 * certificate key says so in its module; the machines read it from here.
 */
import { CIPHER_SUITES, SUITE, type CipherSuiteName } from '../messages/codes.ts';
import { PROTOCOL_VERSIONS } from '../messages/tls-codes.ts';
import type { KeyType, KeyUsage } from '../messages/types.ts';
import { groupCode, type GroupName } from './groups.ts';

export type TlsVersion = '1.2' | '1.3';

/** The TLS a level speaks on the wire, where it is TLS itself (not the game's own construction). */
export interface LevelTls {
  /** RFC 5246 (1.2) or RFC 8446 (1.3): how records are framed and protected, and which machines speak it. */
  readonly version: TlsVersion;
  /** The one cipher suite its server picks (messages/codes.ts). */
  readonly suite: CipherSuiteName;
  /** The key-exchange groups the suite runs on, where it has any, in order of preference (RFC 8422 / RFC 8446 §4.2.7 names). */
  readonly groups: readonly GroupName[];
}

/** The key the bank's certificate must carry (RFC 5280 §4.1.2.7) and what that key may do (§4.2.1.3). */
export interface CertificateKey {
  readonly keyType: KeyType;
  readonly keyUsage: KeyUsage;
}

/** Each suite's record key length in bytes: AES-128-GCM 16 (RFC 5288 §3, RFC 8446 B.4), AES-256-GCM 32. */
const KEY_LENGTH: { readonly [S in CipherSuiteName]: number } = {
  TLS_AES_128_GCM_SHA256: 16,
  TLS_RSA_WITH_AES_128_GCM_SHA256: 16,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 16,
  GAME_AES_256_GCM: 32,
};

/** The record key length of the suite with this number, or undefined for a suite the game does not speak. */
export function suiteKeyLength(code: number): number | undefined {
  const name = CIPHER_SUITES.name(code);
  return name === undefined ? undefined : KEY_LENGTH[name];
}

/** A level's TLS as its machines use it. `version` picks the machines (1.2 or 1.3); the rest are numbers on the wire. */
export interface TlsSpec<V extends TlsVersion = TlsVersion> {
  readonly version: V;
  /** The version's number (0x0303, 0x0304): TLS 1.3 says it in supported_versions. */
  readonly versionCode: number;
  readonly suite: number;
  /** The suite's record key length in bytes. */
  readonly keyLength: number;
  readonly groups: readonly number[];
  readonly certificateKey: CertificateKey;
}

export function tlsSpec<V extends TlsVersion>(tls: LevelTls & { readonly version: V }, certificateKey: CertificateKey): TlsSpec<V> {
  return {
    version: tls.version,
    versionCode: PROTOCOL_VERSIONS.code(`TLS ${tls.version}`),
    suite: SUITE[tls.suite],
    keyLength: KEY_LENGTH[tls.suite],
    groups: tls.groups.map(groupCode),
    certificateKey,
  };
}
