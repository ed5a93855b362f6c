/**
 * Where the game's own records lie in a packet (levels with a key but no TLS: handshake/record.ts
 * 'game', or 'gameCtr' under the key card of the event "encryption without integrity"): its
 * sequence number, its ciphertext and its tag. The inspector shows these parts; the attacker's
 * bit flips land on the ciphertext's end.
 */
import type { Round } from './state.ts';
import { gameRecordParts } from '../handshake/record.ts';
import { inspect } from './inspected.ts';

/** The style of this round's records where they are the game's own; undefined where they are TLS's, or there are none. */
export function gameRecordStyle(round: Round): 'game' | 'gameCtr' | undefined {
  if (round.module.tls || round.module.keyExchange === 'none') return undefined;
  return round.client.config.preSharedKey?.records ?? 'game';
}

/** The parts of a packet that is one of the game's records, as offsets in its bytes. */
export interface RecordSpans {
  style: 'game' | 'gameCtr';
  nonce: { offset: number; length: number };
  ciphertext: { offset: number; length: number };
  tag?: { offset: number; length: number };
}

export function recordSpans(round: Round, bytes: Uint8Array): RecordSpans | undefined {
  const style = gameRecordStyle(round);
  const message = inspect(bytes).message;
  if (!style || message?.type !== 'EncryptedRecord') return undefined;
  const parts = gameRecordParts(style, message.fragment);
  if (!parts) return undefined;
  const start = bytes.length - message.fragment.length; // after the record header
  const ciphertext = { offset: start + parts.nonce.length, length: parts.ciphertext.length };
  return {
    style,
    nonce: { offset: start, length: parts.nonce.length },
    ciphertext,
    ...(parts.tag ? { tag: { offset: ciphertext.offset + ciphertext.length, length: parts.tag.length } } : {}),
  };
}
