/**
 * Level 2 — One key: AES-256-GCM (NIST SP 800-38D) is strong, but the key has to reach the
 * server first, and here it is sent in the clear (KeyTransport), where anyone on the wire
 * can copy it.
 *
 * With a key agreed in advance (`preSharedKey`, the event "encryption without integrity"),
 * nothing crosses the wire before the records: both sides start in Traffic, and the records are
 * the ones the card names (AES-CTR without a tag, for that event).
 *
 * The two directions use one key with different 4-byte salts, so a sequence number never
 * repeats a nonce under that key. Records carry the game's own visible sequence check.
 */
import type { Message } from '../messages/types.ts';
import type { ClientMachine, ServerMachine } from './machine.ts';
import type { RecordKeys } from './record.ts';
import { fail } from './traffic.ts';
import { emptyOutput, type HandshakeContext, type Phase, type PreSharedKey, type Step, type Traffic } from './types.ts';

export type Level2ServerState = { kind: 'ExpectKeyTransport' };

const CLIENT_TO_SERVER_SALT = new Uint8Array([0, 0, 0, 1]);
const SERVER_TO_CLIENT_SALT = new Uint8Array([0, 0, 0, 2]);

/** What each side calls a key agreed in advance (the debrief's "who knew which key"). */
export const PRE_SHARED_KEY_NAME = 'AES-256 key (agreed in advance)';
/** What each side calls the key the client made and sent. */
export const SESSION_KEY_NAME = 'AES-256 session key';

/** One session key, both directions, for levels 2 and 3 (AES-GCM records unless `style` says AES-CTR). */
export function sessionKeyDirections(key: Uint8Array, side: 'client' | 'server', style: 'game' | 'gameCtr' = 'game'): Pick<Traffic, 'sendKeys' | 'receiveKeys'> {
  const c2s: RecordKeys = { style, key, iv: CLIENT_TO_SERVER_SALT, seq: 0 };
  const s2c: RecordKeys = { style, key, iv: SERVER_TO_CLIENT_SALT, seq: 0 };
  return side === 'client' ? { sendKeys: c2s, receiveKeys: s2c } : { sendKeys: s2c, receiveKeys: c2s };
}

function agreedInAdvance(card: PreSharedKey, side: 'client' | 'server'): Traffic {
  return { kind: 'Traffic', ...sessionKeyDirections(card.key, side, card.records) };
}

const CIPHER_WORDS = { game: 'AES-256-GCM', gameCtr: 'AES-256-CTR, without a tag' } as const;

const nothing = (state: never): never => state;

export const level2Client: ClientMachine<never> = {
  start(ctx: HandshakeContext, config): Step<Traffic> {
    const out = emptyOutput();
    if (config.preSharedKey) {
      out.learned[PRE_SHARED_KEY_NAME] = config.preSharedKey.key;
      out.log.push(`Used the AES-256 key you and the bank agreed in advance: nothing crosses the Wi-Fi before your records (${CIPHER_WORDS[config.preSharedKey.records]}).`);
      return { state: agreedInAdvance(config.preSharedKey, 'client'), out };
    }
    const key = ctx.rng.bytes(32);
    out.send.push({ type: 'KeyTransport', key });
    out.learned[SESSION_KEY_NAME] = key;
    out.log.push('Made a fresh AES-256 key and sent it to the bank — in the clear, so the bank can use it too.');
    return { state: { kind: 'Traffic', ...sessionKeyDirections(key, 'client') }, out };
  },
  receive: nothing,
  decide: nothing,
  awaitsDecision: nothing,
};

export const level2Server: ServerMachine<Level2ServerState> = {
  initial: (config): Phase<Level2ServerState> => (config.preSharedKey ? agreedInAdvance(config.preSharedKey, 'server') : { kind: 'ExpectKeyTransport' }),
  listening: () => true,
  receive(_state, message: Message): Step<Phase<Level2ServerState>> {
    if (message.type !== 'KeyTransport') return fail({ reason: 'unexpectedMessage', expected: 'KeyTransport', got: message.type });
    const out = emptyOutput();
    out.learned[SESSION_KEY_NAME] = message.key;
    out.log.push('Received the session key: records can now be encrypted both ways.');
    return { state: { kind: 'Traffic', ...sessionKeyDirections(message.key, 'server') }, out };
  },
};
