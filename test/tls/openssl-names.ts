/**
 * What OpenSSL (openssl s_server / s_client, and node:tls, which is OpenSSL) is told to speak for
 * a level: read from the level's module (its TLS version, suite and groups), in OpenSSL's own
 * names. A new TLS level with a suite and groups already listed here needs nothing in this file.
 */
import type tls from 'node:tls';
import type { CipherSuiteName } from '../../shared/src/messages/codes.ts';
import { tlsOf, type TlsLevel } from '../../tools/tls/bank.ts';

/** OpenSSL's names for the IANA suites the game speaks (`openssl ciphers -stdname`). */
const OPENSSL_SUITE: { readonly [S in CipherSuiteName]?: string } = {
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_AES_128_GCM_SHA256: 'TLS_AES_128_GCM_SHA256',
};

function opensslSuite(level: TlsLevel): string {
  const { suite } = tlsOf(level).tls;
  const name = OPENSSL_SUITE[suite];
  if (!name) throw new Error(`no OpenSSL name for ${suite}`);
  return name;
}

/** The level's first group, the one OpenSSL is held to: the share the engine sends (P-256 at 4e, where OpenSSL between two node:tls ends would pick X25519). */
function firstGroup(level: TlsLevel): string | undefined {
  return tlsOf(level).tls.groups[0];
}

/** node:tls options for the level's suite, so OpenSSL speaks exactly what the engine speaks. */
export function nodeSuite(level: TlsLevel): tls.SecureContextOptions & { minVersion: tls.SecureVersion; maxVersion: tls.SecureVersion } {
  const version = `TLSv${tlsOf(level).tls.version}` as const;
  const group = firstGroup(level);
  return { minVersion: version, maxVersion: version, ciphers: opensslSuite(level), ...(group ? { ecdhCurve: group } : {}) };
}

/** openssl s_server / s_client arguments held to the level's version and suite, and with `groups` to its first group. */
export function opensslArgs(level: TlsLevel, options: { groups: boolean }): string[] {
  const tls13 = tlsOf(level).tls.version === '1.3';
  const group = firstGroup(level);
  return [tls13 ? '-tls1_3' : '-tls1_2', tls13 ? '-ciphersuites' : '-cipher', opensslSuite(level), ...(options.groups && group ? ['-groups', group] : [])];
}
