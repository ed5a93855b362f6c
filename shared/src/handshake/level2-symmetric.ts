/**
 * Level 2 — One key: AES-256-GCM (NIST SP 800-38D) is strong, but the key has to reach the
 * server first, and here it is sent in the clear (KeyTransport), where anyone on the wire
 * can copy it.
 *
 * The two directions use one key with different 4-byte salts, so a sequence number never
 * repeats a nonce under that key. Records carry the game's own visible sequence check.
 */
import type { Message } from '../messages/types.ts';
import type { ClientMachine, ServerMachine } from './machine.ts';
import type { RecordKeys } from './record.ts';
import { fail } from './traffic.ts';
import { emptyOutput, type HandshakeContext, type Phase, type Step, type Traffic } from './types.ts';

export type Level2ServerState = { kind: 'ExpectKeyTransport' };

const CLIENT_TO_SERVER_SALT = new Uint8Array([0, 0, 0, 1]);
const SERVER_TO_CLIENT_SALT = new Uint8Array([0, 0, 0, 2]);

/** One session key, both directions, for levels 2 and 3. */
export function sessionKeyDirections(key: Uint8Array, side: 'client' | 'server'): Pick<Traffic, 'sendKeys' | 'receiveKeys'> {
  const c2s: RecordKeys = { style: 'game', key, iv: CLIENT_TO_SERVER_SALT, seq: 0 };
  const s2c: RecordKeys = { style: 'game', key, iv: SERVER_TO_CLIENT_SALT, seq: 0 };
  return side === 'client' ? { sendKeys: c2s, receiveKeys: s2c } : { sendKeys: s2c, receiveKeys: c2s };
}

const nothing = (state: never): never => state;

export const level2Client: ClientMachine<never> = {
  start(ctx: HandshakeContext): Step<Traffic> {
    const out = emptyOutput();
    const key = ctx.rng.bytes(32);
    out.send.push({ type: 'KeyTransport', key });
    out.learned['AES-256 session key'] = key;
    out.log.push('Made a fresh AES-256 key and sent it to the bank — in the clear, so the bank can use it too.');
    return { state: { kind: 'Traffic', ...sessionKeyDirections(key, 'client') }, out };
  },
  receive: nothing,
  decide: nothing,
  awaitsDecision: nothing,
};

export const level2Server: ServerMachine<Level2ServerState> = {
  initial: () => ({ kind: 'ExpectKeyTransport' }),
  listening: () => true,
  receive(_state, message: Message): Step<Phase<Level2ServerState>> {
    if (message.type !== 'KeyTransport') return fail({ reason: 'unexpectedMessage', expected: 'KeyTransport', got: message.type });
    const out = emptyOutput();
    out.learned['AES-256 session key'] = message.key;
    out.log.push('Received the session key: records can now be encrypted both ways.');
    return { state: { kind: 'Traffic', ...sessionKeyDirections(message.key, 'server') }, out };
  },
};
