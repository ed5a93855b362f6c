/**
 * What the certified HTTPS levels (4, 4e and 5) have in common; each level module spreads it
 * and says the rest itself (its key exchange, TLS, PKI, checks, leak and machines).
 */
import { ATTACKER_BEHAVIOURS } from '../basics/roles.ts';
import { CERTIFIED_EVENTS } from '../basics/teaching-map.ts';
import { clientSide, serverSide, type ClientMachine, type ServerMachine } from '../handshake/machine.ts';
import { tlsSpec, type TlsSpec, type TlsVersion } from '../handshake/tls-spec.ts';
import { HTTPS_TOOLS } from './tools.ts';
import type { LevelModule, LevelPki, LevelTls } from './types.ts';

export const CERTIFIED_HTTPS = {
  /** The bank's encryption key is RSA-2048 wherever a certificate may carry it. */
  encryptionKeyType: 'rsa',
  protection: 'tls',
  caPlays: true,
  /** A first visit asks http:// before HTTPS, so stripping exists. */
  httpFirst: true,
  attackerTools: HTTPS_TOOLS,
  personas: ['ownKey', 'selfSignedCertificate', 'issuedCertificate', 'ownNameCertificate'],
  /** Her own certificate as a CA needs an intermediate to chain to: the chain-of-trust level adds it. */
  attacks: ATTACKER_BEHAVIOURS.filter((b) => b !== 'ownCertificateAsCa'),
  /** A look-alike name, an expired certificate and a rogue root need certificates and a name check: every certified level has them. */
  events: CERTIFIED_EVENTS,
  /** The client's Finished, before its first application record. */
  clientHandshakeRecords: 1,
} as const satisfies Partial<LevelModule>;

/**
 * A certified level's TLS and PKI, and its machines made to speak and check exactly those
 * (handshake/tls-spec.ts: the suite, version and groups, and the key its certificate carries).
 * The module spreads it, so each value is said once, and another suite or key type is a change
 * to the module alone.
 */
export function certifiedTls<V extends TlsVersion, C extends { kind: string }, S extends { kind: string }>(
  tls: LevelTls & { readonly version: V },
  pki: LevelPki,
  machines: { client: (spec: TlsSpec<V>) => ClientMachine<C>; server: (spec: TlsSpec<V>) => ServerMachine<S> },
): Pick<LevelModule, 'tls' | 'client' | 'server'> & { pki: LevelPki } {
  const spec = tlsSpec(tls, pki.certificateKey);
  return { tls, pki, client: clientSide(machines.client(spec)), server: serverSide(machines.server(spec)) };
}
