/**
 * The key-exchange groups the TLS machines speak (RFC 8446 §4.2.7, RFC 8422 §5.1.1), by the
 * name a level's module gives them (`tls.groups`, in its order of preference): X25519 (RFC 7748,
 * a 32-byte share) and P-256 (secp256r1, a 65-byte uncompressed point, RFC 8446 §4.2.8.2 and
 * RFC 8422 §5.4, whose x-coordinate is the shared secret). Level 4e's ECDHE runs on its groups
 * (P-256); level 5's client offers its groups and sends a share for the first only, as browsers
 * do, and a server that wants another asks for it with a HelloRetryRequest (§4.1.4).
 */
import { p256KeyPair, p256SharedSecret, x25519KeyPair, x25519SharedSecret, type KeyPair } from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';
import { GROUP, NAMED_GROUPS, showCode } from '../messages/tls-codes.ts';
import type { Failure } from './failures.ts';

const SPOKEN = {
  X25519: { code: GROUP.x25519, length: 32, shape: 'a 32-byte X25519 public key', keyPair: x25519KeyPair, secret: x25519SharedSecret },
  'P-256': { code: GROUP.secp256r1, length: 65, shape: 'an uncompressed point on P-256', keyPair: p256KeyPair, secret: p256SharedSecret },
} as const;

/** A group by the name a student reads (and OpenSSL takes). */
export type GroupName = keyof typeof SPOKEN;

/** Its number on the wire (RFC 8446 §4.2.7). */
export function groupCode(name: GroupName): number {
  return SPOKEN[name].code;
}

function spoken(group: number): (typeof SPOKEN)[GroupName] | undefined {
  return Object.values(SPOKEN).find((g) => g.code === group);
}

/** How a student reads the group: "X25519", "P-256", or the registry's name and number. */
export function groupName(group: number): string {
  const name = (Object.keys(SPOKEN) as GroupName[]).find((n) => SPOKEN[n].code === group);
  return name ?? showCode(NAMED_GROUPS, group);
}

/** What a share in this group must be, for a refusal: "an uncompressed point on P-256". */
export function shareShape(group: number): string {
  return spoken(group)?.shape ?? `a share in ${groupName(group)}`;
}

/** The key log's and the debrief's name for one side's one-time secret in `group`. */
export const ephemeralName = (group: number) => `ephemeral ${groupName(group)} secret (forgotten after the handshake)`;

/** One side's one-time key pair for `group` (32 random bytes either way). */
export function ephemeralShare(group: number, rng: Rng): KeyPair {
  const g = spoken(group);
  if (!g) throw new Error(`no key share for ${groupName(group)}`);
  return g.keyPair(rng.bytes(32));
}

/** The (EC)DH secret of our share's secret and the peer's share; throws on a share that is not one (TLS 1.2 ECDHE words its own refusal). */
export function agree(group: number, secretKey: Uint8Array, peerShare: Uint8Array): Uint8Array {
  const g = spoken(group);
  if (!g) throw new Error(`no key exchange in ${groupName(group)}`);
  return g.secret(secretKey, peerShare);
}

/** The (EC)DHE secret of our share's secret and the peer's share; a share of the wrong length or off the curve is refused (TLS 1.3, §4.2.8). */
export function sharedSecretFor(group: number, secretKey: Uint8Array, peerShare: Uint8Array): Uint8Array | Failure {
  const g = spoken(group);
  if (!g) return { reason: 'unsupportedHello', detail: `no key exchange in ${groupName(group)}` };
  const name = groupName(group);
  if (peerShare.length !== g.length) return { reason: 'decodeError', detail: `an ${name} key share is ${g.length} bytes` };
  try {
    return g.secret(secretKey, peerShare);
  } catch {
    return { reason: 'decodeError', detail: `invalid ${name} key share` };
  }
}
