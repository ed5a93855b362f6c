/**
 * The key-exchange groups the TLS 1.3 machines speak (RFC 8446 §4.2.7), in the bank's order of
 * preference: x25519 (RFC 7748, a 32-byte share) and secp256r1 (P-256, a 65-byte uncompressed
 * point, §4.2.8.2, whose x-coordinate is the shared secret). The client offers both and sends a
 * share for x25519 only, as browsers do; a server that wants P-256 asks for it with a
 * HelloRetryRequest (§4.1.4), and a client whose share is P-256 is answered in P-256.
 */
import { p256KeyPair, p256SharedSecret, x25519KeyPair, x25519SharedSecret, type KeyPair } from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';
import { GROUP, NAMED_GROUPS, showCode } from '../messages/tls-codes.ts';
import type { Failure } from './failures.ts';

export const TLS13_GROUPS: readonly number[] = [GROUP.x25519, GROUP.secp256r1];

const SHARE = {
  [GROUP.x25519]: { name: 'X25519', length: 32, keyPair: x25519KeyPair, secret: x25519SharedSecret },
  [GROUP.secp256r1]: { name: 'P-256', length: 65, keyPair: p256KeyPair, secret: p256SharedSecret },
} as const;

type Group = keyof typeof SHARE;

function spoken(group: number): group is Group {
  return group in SHARE;
}

/** How a student reads the group: "X25519", "P-256", or the registry's name and number. */
export function groupName(group: number): string {
  return spoken(group) ? SHARE[group].name : showCode(NAMED_GROUPS, group);
}

/** One side's one-time key pair for `group` (32 random bytes either way). */
export function ephemeralShare(group: number, rng: Rng): KeyPair {
  if (!spoken(group)) throw new Error(`no key share for ${groupName(group)}`);
  return SHARE[group].keyPair(rng.bytes(32));
}

/** The (EC)DHE secret of our share's secret and the peer's share; a share of the wrong length or off the curve is refused. */
export function sharedSecretFor(group: number, secretKey: Uint8Array, peerShare: Uint8Array): Uint8Array | Failure {
  if (!spoken(group)) return { reason: 'unsupportedHello', detail: `no key exchange in ${groupName(group)}` };
  const { name, length, secret } = SHARE[group];
  if (peerShare.length !== length) return { reason: 'decodeError', detail: `an ${name} key share is ${length} bytes` };
  try {
    return secret(secretKey, peerShare);
  } catch {
    return { reason: 'decodeError', detail: `invalid ${name} key share` };
  }
}
