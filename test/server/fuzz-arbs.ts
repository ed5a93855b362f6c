/** Hostile message generators for the fuzz test. */
import fc from 'fast-check';
import { GAME_CLIENT_MESSAGES, LIMITS, ROLES } from '@heist/shared';

export type Hostile = { kind: 'send'; type: string | number; payload: unknown } | { kind: 'bytes'; type: string; bytes: Uint8Array };

export const ACTION_TYPES = ['answerPortal', 'connect', 'trust', 'abort', 'sendSecret', 'requestCertificate', 'chooseTickets', 'sign', 'refuse', 'answerRevocation', 'setIntercept', 'forward', 'forwardAll', 'drop', 'editField', 'editBytes', 'flipBits', 'replay', 'replayFirstFlight', 'inject', 'substitute', 'strip', 'tryKey', 'submitSecret', 'investigate', 'done', 'ready', 'call'];
const polluted = () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
export const leaf = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER + 2, null, true, false),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.uint8Array({ maxLength: 64 }),
);
export const payload = fc.oneof(
  fc.anything({ maxDepth: 4, withBigInt: false, withBoxedValues: false, withMap: false, withSet: false, withTypedArray: true, withDate: false, withObjectString: false, withNullPrototype: false }),
  fc.dictionary(fc.constantFrom('type', 'role', 'level', 'bots', 'speed', 'packetId', 'hex', 'csrId', 'mode', 'secret', '__proto__', 'constructor'), leaf),
  fc.record({ type: fc.constantFrom(...ACTION_TYPES), packetId: leaf, csrId: leaf, hex: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 200 }), leaf), extra: leaf }, { requiredKeys: ['type'] }),
  fc.record({ role: fc.oneof(fc.constantFrom('Client', 'referee', 'admin', ''), leaf) }), // never a real role: no seat for the rogue
  fc.record({ level: fc.oneof(fc.integer({ min: -5, max: 10 }), leaf), bots: fc.oneof(leaf, fc.dictionary(fc.constantFrom(...ROLES), leaf)) }),
  fc.constant(undefined).map(() => polluted()),
  fc.nat({ max: 3 }).map((n) => 'x'.repeat(LIMITS.maxMessageBytes + 1 + n * 4000)), // oversized
  fc.nat({ max: 30 }).map((depth) => {
    let v: unknown = 'deep';
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
    return v;
  }),
);
/**
 * Every message a browser may send, but resync: any member may ask for its view whole, and is
 * answered with the view rather than an error (its payload check is the one `start` has).
 */
const ANSWERED_WITH_ERRORS = GAME_CLIENT_MESSAGES.filter((t) => t !== 'resync');
const messageType = fc.oneof(
  fc.constantFrom(...ANSWERED_WITH_ERRORS),
  fc.constantFrom('*', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'view', 'error', '__no_message_handler'),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: -1000, max: 1000 }),
);
export const hostile: fc.Arbitrary<Hostile> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('send' as const), type: messageType, payload }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), type: fc.constantFrom(...ANSWERED_WITH_ERRORS, 'nope'), bytes: fc.uint8Array({ maxLength: 9000 }) }) },
);

/** A chooseSeat with a real role would legitimately seat the rogue; everything else is hostile. */
export const seatsTheRogue = (m: Hostile) =>
  m.kind === 'send' && m.type === 'chooseSeat' && typeof m.payload === 'object' && m.payload !== null && (ROLES as readonly unknown[]).includes((m.payload as { role?: unknown }).role) && Object.keys(m.payload).length === 1;

