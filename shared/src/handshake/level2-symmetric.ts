/**
 * Level 2 — One key: AES-256-GCM (NIST SP 800-38D) is strong, but the key has to reach the
 * server first, and here it is sent in the clear (KeyTransport), where anyone on the wire
 * can copy it.
 *
 * The two directions use one key with different 4-byte salts, so a sequence number never
 * repeats a nonce under that key.
 */
import type { Message } from '../messages/types.ts';
import type { RecordKeys } from './record.ts';
import { fail } from './traffic.ts';
import { emptyOutput, type Failed, type HandshakeContext, type Step, type Traffic } from './types.ts';

export type Level2ServerState = { kind: 'ExpectKeyTransport' } | Traffic | Failed;

const CLIENT_TO_SERVER_SALT = new Uint8Array([0, 0, 0, 1]);
const SERVER_TO_CLIENT_SALT = new Uint8Array([0, 0, 0, 2]);

function directions(key: Uint8Array, side: 'client' | 'server'): Pick<Traffic, 'sendKeys' | 'receiveKeys'> {
  const c2s: RecordKeys = { style: 'explicit', key, iv: CLIENT_TO_SERVER_SALT, seq: 0 };
  const s2c: RecordKeys = { style: 'explicit', key, iv: SERVER_TO_CLIENT_SALT, seq: 0 };
  return side === 'client' ? { sendKeys: c2s, receiveKeys: s2c } : { sendKeys: s2c, receiveKeys: c2s };
}

export function level2ClientStart(ctx: HandshakeContext): Step<Traffic> {
  const out = emptyOutput();
  const key = ctx.rng.bytes(32);
  out.send.push({ type: 'KeyTransport', key });
  out.learned['AES-256 session key'] = key;
  out.log.push('Made a fresh AES-256 key and sent it to the bank — in the clear, so the bank can use it too.');
  return { state: { kind: 'Traffic', ...directions(key, 'client') }, out };
}

export function level2ServerReceive(_state: { kind: 'ExpectKeyTransport' }, message: Message): Step<Level2ServerState> {
  if (message.type !== 'KeyTransport') return fail({ reason: 'unexpectedMessage', expected: 'KeyTransport', got: message.type });
  const out = emptyOutput();
  out.learned['AES-256 session key'] = message.key;
  out.log.push('Received the session key: records can now be encrypted both ways.');
  return { state: { kind: 'Traffic', ...directions(message.key, 'server') }, out };
}

export { directions as level2Directions };
