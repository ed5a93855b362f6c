/** The handshake transcript: every handshake message's bytes in order, hashed for Finished (RFC 5246 §7.4.9, RFC 8446 §4.4.1). */
import { concat } from '../codec/bytes.ts';
import { sha256 } from '../crypto/primitives.ts';
import { encodeHandshake } from '../messages/codec.ts';
import type { HandshakeMessage } from '../messages/tls.ts';
import { MESSAGE_HASH } from '../messages/tls-codes.ts';

export type Transcript = readonly Uint8Array[];

/** Each handshake message with its 4-byte header, without record headers (RFC 8446 §4.4.1). */
export function append(transcript: Transcript, ...messages: HandshakeMessage[]): Transcript {
  return [...transcript, ...messages.map(encodeHandshake)];
}

export function transcriptHash(transcript: Transcript): Uint8Array {
  return sha256(concat(...transcript));
}

/**
 * RFC 8446 §4.4.1: after a HelloRetryRequest the transcript starts again with a synthetic
 * message_hash message (type 254, length 32) holding Hash(ClientHello1), so the server need
 * not keep ClientHello1 itself; the HelloRetryRequest and the rest follow.
 */
export function transcriptAfterRetry(transcript: Transcript): Transcript {
  return [concat(new Uint8Array([MESSAGE_HASH, 0, 0, 32]), transcriptHash(transcript))];
}
