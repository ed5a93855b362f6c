/**
 * The key-exchange groups the TLS machines speak (RFC 8446 §4.2.7, RFC 8422 §5.1.1), by the
 * name a level's module gives them (`tls.groups`, in its order of preference): X25519 (RFC 7748,
 * a 32-byte share) and P-256 (secp256r1, a 65-byte uncompressed point, RFC 8446 §4.2.8.2 and
 * RFC 8422 §5.4, whose x-coordinate is the shared secret). Level 4e's ECDHE runs on its groups
 * (P-256); level 5's client offers its groups and sends a share for the first only, as browsers
 * do, and a server that wants another asks for it with a HelloRetryRequest (§4.1.4).
 * X25519MLKEM768 (crypto/x25519-mlkem768.ts) is a KEM, not a Diffie-Hellman: the server does not
 * make a pair of its own and agree, it answers the client's share (`answerShare`), and the two
 * shares differ in length (1216 from the client, 1120 from the server).
 */
import { p256KeyPair, p256SharedSecret, x25519KeyPair, x25519SharedSecret, type KeyPair } from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';
import { hybridDecapsulate, hybridEncapsulate, hybridKeyPair, X25519_MLKEM768 } from '../crypto/x25519-mlkem768.ts';
import { GROUP, NAMED_GROUPS, showCode } from '../messages/tls-codes.ts';
import type { Failure } from './failures.ts';

/** Each group: its code, the length of the share each side sends, and how a share is made and answered. */
const SPOKEN = {
  X25519: { code: GROUP.x25519, length: { client: 32, server: 32 }, shape: 'a 32-byte X25519 public key', keyPair: (rng: Rng) => x25519KeyPair(rng.bytes(32)), secret: x25519SharedSecret },
  'P-256': { code: GROUP.secp256r1, length: { client: 65, server: 65 }, shape: 'an uncompressed point on P-256', keyPair: (rng: Rng) => p256KeyPair(rng.bytes(32)), secret: p256SharedSecret },
  X25519MLKEM768: {
    code: GROUP.x25519MlKem768,
    length: { client: X25519_MLKEM768.clientShare, server: X25519_MLKEM768.serverShare },
    shape: 'an ML-KEM-768 key or ciphertext followed by a 32-byte X25519 public key',
    keyPair: (rng: Rng) => hybridKeyPair(rng.bytes(64), rng.bytes(32)),
    secret: hybridDecapsulate,
  },
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

/** The client's one-time key pair for `group` (32 random bytes for X25519 or P-256; 64 + 32 for the hybrid). */
export function ephemeralShare(group: number, rng: Rng): KeyPair {
  const g = spoken(group);
  if (!g) throw new Error(`no key share for ${groupName(group)}`);
  return g.keyPair(rng);
}

/** The (EC)DH secret of our share's secret and the peer's share; throws on a share that is not one (TLS 1.2 ECDHE words its own refusal). */
export function agree(group: number, secretKey: Uint8Array, peerShare: Uint8Array): Uint8Array {
  const g = spoken(group);
  if (!g) throw new Error(`no key exchange in ${groupName(group)}`);
  return g.secret(secretKey, peerShare);
}

/** A share of the wrong length for the side that sent it, worded. */
function badLength(group: number, peerShare: Uint8Array, from: 'client' | 'server'): Failure | undefined {
  const g = spoken(group)!;
  const want = g.length[from];
  const whose = g.length.client === g.length.server ? '' : ` from the ${from}`;
  return peerShare.length === want ? undefined : { reason: 'decodeError', detail: `an ${groupName(group)} key share${whose} is ${want} bytes` };
}

/** The client's secret from its share's secret and the server's share; a share of the wrong length or off the curve is refused (TLS 1.3, §4.2.8). */
export function sharedSecretFor(group: number, secretKey: Uint8Array, peerShare: Uint8Array): Uint8Array | Failure {
  const g = spoken(group);
  if (!g) return { reason: 'unsupportedHello', detail: `no key exchange in ${groupName(group)}` };
  const wrong = badLength(group, peerShare, 'server');
  if (wrong) return wrong;
  try {
    return g.secret(secretKey, peerShare);
  } catch {
    return { reason: 'decodeError', detail: `invalid ${groupName(group)} key share` };
  }
}

/**
 * The server's answer to the client's share in `group`: its own share, the secret it forgets
 * after the handshake, and the shared secret. Diffie-Hellman: a fresh pair, then agree; the
 * hybrid: encapsulate to the client's ML-KEM key beside a fresh X25519 pair (§3 of the draft).
 */
export function answerShare(group: number, clientShare: Uint8Array, rng: Rng): { keys: KeyPair; shared: Uint8Array } | Failure {
  const g = spoken(group);
  if (!g) return { reason: 'unsupportedHello', detail: `no key exchange in ${groupName(group)}` };
  // Diffie-Hellman draws its pair before it looks at the client's share, as it always has (a seed replays the same round).
  const keys = group === GROUP.x25519MlKem768 ? undefined : g.keyPair(rng);
  const wrong = badLength(group, clientShare, 'client');
  if (wrong) return wrong;
  try {
    if (!keys) {
      const answer = hybridEncapsulate(clientShare, rng.bytes(32), rng.bytes(32));
      return { keys: { publicKey: answer.share, secretKey: answer.x25519SecretKey }, shared: answer.sharedSecret };
    }
    return { keys, shared: g.secret(keys.secretKey, clientShare) };
  } catch {
    return { reason: 'decodeError', detail: `invalid ${groupName(group)} key share` };
  }
}
