/**
 * Handshake messages are a byte stream over records (RFC 8446 §5.1, RFC 5246 §6.2.1): one
 * record may hold several, and one message may run on into the next handshake record. The
 * machines that open encrypted handshake records — TLS 1.3's flight and client Finished, TLS
 * 1.2's Finished, the messages after a handshake — join and cut them here, keeping the start of
 * an unfinished message in their state (the socket driver does the same for plaintext ones).
 *
 * A message may not span a key change (§5.1): whatever ends a handshake's keys (Finished,
 * KeyUpdate) must end its record, which `keyChangeAligned` checks.
 */
import { concat } from '../codec/bytes.ts';
import { decodeHandshakes } from '../messages/codec.ts';
import type { HandshakeMessage, TlsReadOptions } from '../messages/tls.ts';
import type { Failure } from './failures.ts';

/** The largest handshake message held while its rest is awaited (a chain of a few certificates fits with room to spare). */
export const MAX_HANDSHAKE_MESSAGE = 2 ** 16;

export interface Joined {
  /** Every message this fragment completed, in order. */
  messages: HandshakeMessage[];
  /** The start of a message still to be completed by the next handshake record (empty when none). */
  rest: Uint8Array;
}

/** The messages `fragment` completes after what was `held` from earlier records; a decode failure for one that does not decode. */
export function joinHandshake(held: Uint8Array | undefined, fragment: Uint8Array, options: TlsReadOptions): Joined | Failure {
  const bytes = held && held.length > 0 ? concat(held, fragment) : fragment;
  let at = 0;
  while (bytes.length - at >= 4) {
    const length = (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (length > MAX_HANDSHAKE_MESSAGE) return { reason: 'decodeError', detail: `a handshake message of ${length} bytes (at most ${MAX_HANDSHAKE_MESSAGE} accepted)` };
    if (bytes.length - at < 4 + length) break;
    at += 4 + length;
  }
  let messages: HandshakeMessage[] = [];
  try {
    if (at > 0) messages = decodeHandshakes(bytes.subarray(0, at), options);
  } catch (e) {
    return { reason: 'decodeError', detail: e instanceof Error ? e.message : String(e) };
  }
  return { messages, rest: bytes.slice(at) };
}

/** RFC 8446 §5.1: after a message that changes keys (Finished, KeyUpdate), nothing more of the handshake in its record. */
export function keyChangeAligned(after: HandshakeMessage['type'], following: readonly HandshakeMessage[], rest: Uint8Array): Failure | undefined {
  if (following.length === 0 && rest.length === 0) return undefined;
  return { reason: 'unexpectedMessage', expected: `the end of the record after ${after} (RFC 8446 §5.1: no handshake message may span a key change)`, got: following[0]?.type ?? 'Malformed' };
}
