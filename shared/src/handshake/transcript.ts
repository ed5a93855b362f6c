/** The handshake transcript: every handshake message's bytes in order, hashed for Finished (RFC 5246 §7.4.9, RFC 8446 §4.4.1). */
import { concat } from '../codec/bytes.ts';
import { sha256 } from '../crypto/primitives.ts';
import { encodeHandshake } from '../messages/codec.ts';
import type { HandshakeMessage } from '../messages/tls.ts';

export type Transcript = readonly Uint8Array[];

/** Each handshake message with its 4-byte header, without record headers (RFC 8446 §4.4.1). */
export function append(transcript: Transcript, ...messages: HandshakeMessage[]): Transcript {
  return [...transcript, ...messages.map(encodeHandshake)];
}

export function transcriptHash(transcript: Transcript): Uint8Array {
  return sha256(concat(...transcript));
}
