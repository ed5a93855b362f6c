/**
 * Shape checks for every message a browser may send, per the one map in shared/src/protocol.ts,
 * as valibot schemas like the rules engine's own (shared/src/round/validate.ts).
 * Untrusted input goes in; a typed payload or a typed error comes out. Round actions are
 * checked by the rules engine's own parseAction (the room passes them on).
 */
import * as v from 'valibot';
import {
  LevelSchema,
  LEVEL_EVENTS,
  EVENT_TEXTS,
  EVENTS_OFFERED,
  offersEvent,
  RoleSchema,
  ATTACKER_BEHAVIOURS,
  CA_BEHAVIOURS,
  CLASS_CLIENT_MESSAGES,
  CLIENT_BEHAVIOURS,
  DOWNLOAD_FILES,
  GAME_CLIENT_MESSAGES,
  LEVELS,
  levelLabel,
  LIMITS,
  ROLES,
  SERVER_BEHAVIOURS,
  type ClassClientMessage,
  type ClassClientMessages,
  type GameClientMessage,
  type GameClientMessages,
  type ProtocolError,
} from '@heist/shared';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
/** Level ids as the protocol sends them, each with the name players know where it differs ("6 (4e)"). */
const LEVEL_IDS = LEVELS.map((l) => (levelLabel(l) === String(l) ? String(l) : `${l} (${levelLabel(l)})`));
const invalid = (type: string, message: string): Checked<never> => ({ ok: false, error: { code: 'invalid', message, type } });

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const isOneOf = <T extends string | number>(list: readonly T[], value: unknown): value is T => (list as readonly unknown[]).includes(value);

export function isGameMessageType(type: unknown): type is GameClientMessage {
  return typeof type === 'string' && isOneOf(GAME_CLIENT_MESSAGES, type);
}

export function isClassMessageType(type: unknown): type is ClassClientMessage {
  return typeof type === 'string' && isOneOf(CLASS_CLIENT_MESSAGES, type);
}

/** A refusal to send back: what went wrong (`code`), in words for the player, and the message type refused. */
export function protocolError(code: ProtocolError['code'], message: string, type?: string): ProtocolError {
  return { code, message, type };
}

export function unknownMessage(type: unknown): ProtocolError {
  const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type;
  return { code: 'unknownMessage', message: `Unknown message type ${shown}.` };
}

/** A payload schema, and the words its sender reads when the payload does not fit. */
function check<T>(type: string, schema: v.GenericSchema<unknown, T>, hint: (issue: v.BaseIssue<unknown>) => string): (raw: unknown) => Checked<T> {
  return (raw) => {
    const result = v.safeParse(schema, raw);
    return result.success ? ok(result.output) : invalid(type, hint(result.issues[0]));
  };
}

/** Messages with no payload: colyseus.js sends `undefined`; `{}` is fine too. */
const emptyPayload = v.pipe(
  v.union([v.undefined(), v.null(), v.strictObject({})]),
  v.transform((): Record<string, never> => ({})),
);
const empty = (type: string) => check(type, emptyPayload, () => `"${type}" takes no payload.`);

const behaviour = <T extends string>(list: readonly T[]) => v.optional(v.picklist(list));

/** Payload checks for the game room's messages, except `action` (see parseAction in shared/). */
export const gameMessageChecks: { [K in Exclude<GameClientMessage, 'action'>]: (raw: unknown) => Checked<GameClientMessages[K]> } = {
  chooseSeat: check('chooseSeat', v.strictObject({ role: RoleSchema }), () => `chooseSeat needs { role: ${ROLES.join(' | ')} }.`),
  configure: check(
    'configure',
    v.strictObject({
      level: LevelSchema,
      bots: v.nullish(
        v.strictObject({
          client: behaviour(CLIENT_BEHAVIOURS),
          server: behaviour(SERVER_BEHAVIOURS),
          ca: behaviour(CA_BEHAVIOURS),
          attacker: behaviour(ATTACKER_BEHAVIOURS),
        }),
        {},
      ),
      event: v.optional(v.picklist(LEVEL_EVENTS)),
    }),
    (issue) => {
      if (issue.path?.[0]?.key === 'event') return `event can be: ${LEVEL_EVENTS.join(', ')} (or left out: none).`;
      const role = issue.path?.[1]?.key;
      if (issue.path?.[0]?.key === 'bots' && typeof role === 'string' && isOneOf(ROLES, role)) {
        const allowed = { client: CLIENT_BEHAVIOURS, server: SERVER_BEHAVIOURS, ca: CA_BEHAVIOURS, attacker: ATTACKER_BEHAVIOURS }[role];
        return `${role} bots can be: ${allowed.join(', ')}.`;
      }
      return issue.path?.[0]?.key === 'bots' ? 'bots maps a role to a behaviour.' : `configure needs { level: ${LEVEL_IDS.join(' | ')}, bots }.`;
    },
  ),
  start: empty('start'),
  resync: empty('resync'),
  download: check('download', v.strictObject({ file: v.picklist(DOWNLOAD_FILES) }), () => `download needs { file: ${DOWNLOAD_FILES.join(' | ')} }.`),
  setSpeed: check(
    'setSpeed',
    v.strictObject({ speed: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(LIMITS.maxSpeed)) }),
    () => `setSpeed needs { speed }: a number from 0 (paused) to ${LIMITS.maxSpeed}.`,
  ),
};

const MAX_TEAMS = 16;
/** A class lobby holds 200 connections (ClassRoom's maxClients): students and the teacher's tabs. */
const MAX_CLASS_SIZE = 190;
const playerId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const TEAMS_SHAPE = `formTeams needs { teams: playerId[][] } with 2 to ${MAX_TEAMS} teams.`;
const ONE_TEAM_ONLY = 'A player can be in one team only.';

/** A match's sequence: 1 to 10 steps, each a level and optionally an event (whether the level offers it is checked after). */
const sequenceShape = check(
  'setSequence',
  v.pipe(
    v.strictObject({ steps: v.pipe(v.array(v.strictObject({ level: LevelSchema, event: v.optional(v.picklist(LEVEL_EVENTS)) })), v.minLength(1), v.maxLength(10)) }),
    v.transform((p): ClassClientMessages['setSequence'] => ({ steps: p.steps.map((s) => (s.event ? { level: s.level, event: s.event } : { level: s.level })) })),
  ),
  () => `setSequence needs { steps: [{ level, event? }] }: 1 to 10 steps, each a level (${LEVEL_IDS.join(', ')}) and optionally an event (${LEVEL_EVENTS.join(', ')}).`,
);

export const classMessageChecks: { [K in ClassClientMessage]: (raw: unknown) => Checked<ClassClientMessages[K]> } = {
  formTeams: check(
    'formTeams',
    v.pipe(
      v.strictObject({ teams: v.pipe(v.array(v.pipe(v.array(playerId), v.maxLength(256))), v.minLength(2), v.maxLength(MAX_TEAMS)) }),
      v.check(({ teams }) => new Set(teams.flat()).size === teams.flat().length, ONE_TEAM_ONLY),
    ),
    (issue) => (issue.message === ONE_TEAM_ONLY ? ONE_TEAM_ONLY : TEAMS_SHAPE),
  ),
  autoBalance: check(
    'autoBalance',
    v.strictObject({ teamCount: v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(MAX_TEAMS)) }),
    () => `autoBalance needs { teamCount }: a whole number from 2 to ${MAX_TEAMS}.`,
  ),
  setLevels: check(
    'setLevels',
    v.strictObject({ levels: v.pipe(v.array(LevelSchema), v.minLength(1), v.maxLength(10)) }),
    () => `setLevels needs { levels }: 1 to 10 of ${LEVEL_IDS.join(', ')}.`,
  ),
  setSequence: (raw) => {
    const shaped = sequenceShape(raw);
    if (!shaped.ok) return shaped;
    const at = shaped.value.steps.findIndex((s) => s.event !== undefined && !offersEvent(s.level, s.event));
    const wrong = shaped.value.steps[at];
    if (!wrong?.event) return shaped;
    const offered = LEVELS.filter((l) => EVENTS_OFFERED[l].includes(wrong.event!)).map(levelLabel);
    return invalid('setSequence', `Round ${at + 1}: “${EVENT_TEXTS[wrong.event].title}” ${EVENT_TEXTS[wrong.event].needs}: it can be switched on at level${offered.length > 1 ? 's' : ''} ${offered.join(', ')}, not at level ${levelLabel(wrong.level)}.`);
  },
  startMatch: check(
    'startMatch',
    v.pipe(
      v.union([v.undefined(), v.null(), v.strictObject({ hiddenAttacker: v.optional(v.boolean()) })]),
      v.transform((p): ClassClientMessages['startMatch'] => (p?.hiddenAttacker !== undefined ? { hiddenAttacker: p.hiddenAttacker } : {})),
    ),
    () => 'startMatch takes { hiddenAttacker: true | false }, or nothing (no hidden attacker).',
  ),
  pause: empty('pause'),
  resume: empty('resume'),
  nextRound: check('nextRound', v.strictObject({ round: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000)), stop: v.boolean() }), () => 'nextRound needs { round, stop }: the index of the round to move on from, and whether to stop it (true) or to start the next one after its break (false).'),
  holdAdvance: check('holdAdvance', v.strictObject({ hold: v.boolean() }), () => 'holdAdvance needs { hold: true | false }.'),
  endMatch: empty('endMatch'),
  removePlayer: check('removePlayer', v.strictObject({ playerId: v.pipe(v.string(), v.maxLength(64)) }), () => 'removePlayer needs { playerId }.'),
  setClassSize: check('setClassSize', v.strictObject({ maxStudents: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_CLASS_SIZE)) }), () => `setClassSize needs { maxStudents }: a whole number from 1 to ${MAX_CLASS_SIZE}.`),
  removeRecent: check('removeRecent', v.strictObject({ minutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(240)) }), () => 'removeRecent needs { minutes }: a whole number from 1 to 240.'),
};
