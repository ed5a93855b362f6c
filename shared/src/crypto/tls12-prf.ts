/**
 * The TLS 1.2 pseudorandom function and the three secrets TLS 1.2 derives with it.
 *
 * RFC 5246 §5 defines the PRF (P_SHA256 with a label), §8.1 the master secret, §6.3 the key
 * block, §7.4.9 the Finished message's verify_data. The cipher suites the game uses are AEAD
 * suites (RFC 5288 §3), which take no MAC keys from the key block: only write keys and the
 * implicit part of the nonce (the "fixed IV").
 */
import { hmacSha256 } from './primitives.ts';
import { concat, utf8 } from '../codec/bytes.ts';

/** §8.1: the master secret is always 48 bytes, whatever the pre-master secret's length. */
export const TLS12_MASTER_SECRET_LENGTH = 48;
/** §7.4.9: verify_data_length is 12 for every cipher suite defined in RFC 5246. */
export const TLS12_VERIFY_DATA_LENGTH = 12;

/**
 * §5: PRF(secret, label, seed) = P_SHA256(secret, label + seed), cut to `length` bytes.
 * The label is ASCII and carries no length byte or trailing zero.
 */
export function tls12Prf(secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`PRF length must be a non-negative integer, got ${length}`);
  return pSha256(secret, concat(utf8(label), seed), length);
}

/**
 * §5 P_hash: A(0) = seed, A(i) = HMAC(secret, A(i-1)); the output is
 * HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ..., as many blocks as needed.
 */
function pSha256(secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  for (let at = 0; at < length; ) {
    a = hmacSha256(secret, a);
    const block = hmacSha256(secret, concat(a, seed));
    const take = Math.min(block.length, length - at);
    out.set(block.subarray(0, take), at);
    at += take;
  }
  return out;
}

/** §8.1: master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]. */
export function tls12MasterSecret(preMaster: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): Uint8Array {
  return tls12Prf(preMaster, 'master secret', concat(clientRandom, serverRandom), TLS12_MASTER_SECRET_LENGTH);
}

/**
 * RFC 7627 §4: master_secret = PRF(pre_master_secret, "extended master secret", session_hash)[0..47],
 * session_hash being the hash of every handshake message up to and including ClientKeyExchange.
 */
export function tls12ExtendedMasterSecret(preMaster: Uint8Array, sessionHash: Uint8Array): Uint8Array {
  return tls12Prf(preMaster, 'extended master secret', sessionHash, TLS12_MASTER_SECRET_LENGTH);
}

/** The slices of the §6.3 key block an AEAD cipher suite uses, named from the client's point of view. */
export interface Tls12KeyBlock {
  clientWriteKey: Uint8Array;
  serverWriteKey: Uint8Array;
  /** RFC 5288 §3: the implicit ("fixed") part of the client's GCM nonce. */
  clientWriteIv: Uint8Array;
  serverWriteIv: Uint8Array;
}

/**
 * §6.3: key_block = PRF(master_secret, "key expansion", server_random + client_random).
 * Note the order: the server's random comes first here, unlike in the master secret (§8.1).
 * The block is cut into client MAC key, server MAC key, client key, server key, client IV,
 * server IV; AEAD suites have zero-length MAC keys (RFC 5288 §3), so the keys come first.
 */
export function tls12KeyBlock(
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  keyLength: number,
  ivLength: number,
): Tls12KeyBlock {
  const block = tls12Prf(master, 'key expansion', concat(serverRandom, clientRandom), 2 * keyLength + 2 * ivLength);
  let at = 0;
  const take = (n: number): Uint8Array => block.slice(at, (at += n));
  return {
    clientWriteKey: take(keyLength),
    serverWriteKey: take(keyLength),
    clientWriteIv: take(ivLength),
    serverWriteIv: take(ivLength),
  };
}

/**
 * §7.4.9: verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11],
 * where finished_label is "client finished" or "server finished" by who sends the message.
 * Takes the transcript hash (SHA-256 of every handshake message so far), not the messages.
 */
export function tls12FinishedVerifyData(
  master: Uint8Array,
  sender: 'client' | 'server',
  transcriptHash: Uint8Array,
): Uint8Array {
  return tls12Prf(master, `${sender} finished`, transcriptHash, TLS12_VERIFY_DATA_LENGTH);
}
