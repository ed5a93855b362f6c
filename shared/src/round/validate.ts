/**
 * Untrusted input → a typed action, or a typed error. Every action that arrives from the
 * network passes here first (valibot schemas: one per action, strict, bounded), and the round
 * parses again by seat, so each seat's handler gets its own action type without a cast.
 */
import * as v from 'valibot';
import { FLIP_MAX } from '../attacker/flip.ts';
import { BANK_KEYS, CALLS, INVESTIGATIONS, SUBSTITUTE_MODES, type ActionError, type AnyAction, type AttackerAction, type CaAction, type ClientAction, type Role, type ServerAction } from './types.ts';

const id = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000));
const hex = (max: number) => v.pipe(v.string(), v.maxLength(max), v.regex(/^[0-9a-fA-F\s]*$/, 'hex digits only'));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const act = <T extends string>(type: T) => ({ type: v.literal(type) });
const ready = v.strictObject(act('ready'));
const dnsName = v.pipe(v.string(), v.maxLength(64), v.regex(/^[a-z0-9.-]+$/i, 'a DNS name'));

const schemas = {
  client: v.variant('type', [ready, v.strictObject({ ...act('answerPortal'), install: v.boolean() }), v.strictObject(act('connect')), v.strictObject(act('trust')), v.strictObject(act('abort')), v.strictObject(act('sendSecret'))]),
  server: v.variant('type', [
    ready,
    v.strictObject({ ...act('requestCertificate'), subject: v.optional(dnsName), key: v.optional(v.picklist(BANK_KEYS)) }),
    v.strictObject({ ...act('chooseChain'), fullChain: v.boolean() }),
    v.strictObject({ ...act('chooseTickets'), singleUse: v.boolean() }),
    v.strictObject(act('abort')),
  ]),
  ca: v.variant('type', [
    ready,
    v.strictObject({ ...act('investigate'), csrId: id, method: v.picklist(INVESTIGATIONS) }),
    v.strictObject({ ...act('sign'), csrId: id, log: v.optional(v.boolean()) }),
    v.strictObject({ ...act('refuse'), csrId: id }),
    v.strictObject({ ...act('answerRevocation'), revoke: v.boolean() }),
  ]),
  attacker: v.variant('type', [
    ready,
    v.strictObject({ ...act('setIntercept'), on: v.boolean() }),
    v.strictObject({ ...act('forward'), packetId: id }),
    v.strictObject(act('forwardAll')),
    v.strictObject({ ...act('drop'), packetId: id }),
    v.strictObject({ ...act('editField'), packetId: id, path: text(64), value: text(1024) }),
    v.strictObject({ ...act('editBytes'), packetId: id, hex: hex(8192) }),
    v.strictObject({ ...act('flipBits'), packetId: id, known: v.pipe(text(FLIP_MAX), v.minLength(1, 'your guess is empty')), wanted: text(FLIP_MAX) }),
    v.strictObject({ ...act('replay'), packetId: id }),
    v.strictObject(act('replayFirstFlight')),
    v.strictObject({ ...act('inject'), to: v.picklist(['client', 'server']), hex: hex(8192) }),
    v.strictObject({ ...act('substitute'), mode: v.picklist(SUBSTITUTE_MODES) }),
    v.strictObject(act('strip')),
    v.strictObject({ ...act('requestCertificate'), subject: dnsName }),
    v.strictObject({ ...act('tryKey'), packetId: id, keyHex: hex(4096) }), // an RSA-2048 private key in DER is about 1,200 bytes
    v.strictObject({ ...act('submitSecret'), secret: text(16) }),
    v.strictObject(act('done')),
    v.strictObject({ ...act('call'), verdict: v.picklist(CALLS) }),
  ]),
} as const;

function invalid(role: Role, issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): ActionError {
  const issue = issues[0];
  const where = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return { code: 'invalid', message: `not a valid ${role} action${where ? ` (${where})` : ''}: ${issue.message}` };
}

function parse<R extends Role>(role: R, raw: unknown): v.InferOutput<(typeof schemas)[R]> | ActionError {
  const r = v.safeParse(schemas[role], raw);
  return r.success ? r.output : invalid(role, r.issues);
}

export const parseClientAction = (raw: unknown): ClientAction | ActionError => parse('client', raw);
export const parseServerAction = (raw: unknown): ServerAction | ActionError => parse('server', raw);
export const parseCaAction = (raw: unknown): CaAction | ActionError => parse('ca', raw);
export const parseAttackerAction = (raw: unknown): AttackerAction | ActionError => parse('attacker', raw);

export function parseAction(role: Role, raw: unknown): AnyAction | ActionError {
  return parse(role, raw);
}

export function isActionError(x: AnyAction | ActionError): x is ActionError {
  return 'code' in x;
}
