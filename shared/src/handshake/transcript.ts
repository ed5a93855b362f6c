/** The handshake transcript: every handshake message's bytes in order, hashed for Finished (RFC 5246 §7.4.9, RFC 8446 §4.4.1). */
import { concat } from '../codec/bytes.ts';
import { sha256 } from '../crypto/primitives.ts';
import { encodeMessage } from '../messages/codec.ts';
import type { Message } from '../messages/types.ts';

export type Transcript = readonly Uint8Array[];

export function append(transcript: Transcript, ...messages: Message[]): Transcript {
  return [...transcript, ...messages.map(encodeMessage)];
}

export function transcriptHash(transcript: Transcript): Uint8Array {
  return sha256(concat(...transcript));
}
