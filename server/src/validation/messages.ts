/**
 * Shape checks for every message a browser may send, per the one map in shared/src/protocol.ts.
 * Untrusted input goes in; a typed payload or a typed error comes out. Round actions are
 * checked by the rules engine's own parseAction (the room passes them on).
 */
import {
  ATTACKER_BEHAVIOURS,
  CA_BEHAVIOURS,
  CLASS_CLIENT_MESSAGES,
  CLIENT_BEHAVIOURS,
  GAME_CLIENT_MESSAGES,
  LEVELS,
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
const invalid = (type: string, message: string): Checked<never> => ({ ok: false, error: { code: 'invalid', message, type } });

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function hasOnlyKeys(v: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(v).every((k) => keys.includes(k));
}

const isOneOf = <T extends string | number>(list: readonly T[], v: unknown): v is T => (list as readonly unknown[]).includes(v);

/** Messages with no payload: colyseus.js sends `undefined`; `{}` is fine too. */
function empty(type: string, raw: unknown): Checked<Record<string, never>> {
  if (raw === undefined || raw === null || (isPlainObject(raw) && Object.keys(raw).length === 0)) return ok({});
  return invalid(type, `"${type}" takes no payload.`);
}

export function isGameMessageType(type: unknown): type is GameClientMessage {
  return typeof type === 'string' && isOneOf(GAME_CLIENT_MESSAGES, type);
}

export function isClassMessageType(type: unknown): type is ClassClientMessage {
  return typeof type === 'string' && isOneOf(CLASS_CLIENT_MESSAGES, type);
}

export function unknownMessage(type: unknown): ProtocolError {
  const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type;
  return { code: 'unknownMessage', message: `Unknown message type ${shown}.` };
}

/** Payload checks for the game room's messages, except `action` (see parseAction in shared/). */
export const gameMessageChecks: { [K in Exclude<GameClientMessage, 'action'>]: (raw: unknown) => Checked<GameClientMessages[K]> } = {
  chooseSeat(raw) {
    if (!isPlainObject(raw) || !hasOnlyKeys(raw, ['role']) || !isOneOf(ROLES, raw.role))
      return invalid('chooseSeat', `chooseSeat needs { role: ${ROLES.join(' | ')} }.`);
    return ok({ role: raw.role });
  },
  configure(raw) {
    if (!isPlainObject(raw) || !hasOnlyKeys(raw, ['level', 'bots']) || !isOneOf(LEVELS, raw.level))
      return invalid('configure', `configure needs { level: ${LEVELS.join(' | ')}, bots }.`);
    const bots = raw.bots ?? {};
    if (!isPlainObject(bots) || !hasOnlyKeys(bots, ROLES)) return invalid('configure', 'bots maps a role to a behaviour.');
    const allowed = { client: CLIENT_BEHAVIOURS, server: SERVER_BEHAVIOURS, ca: CA_BEHAVIOURS, attacker: ATTACKER_BEHAVIOURS } as const;
    const out: GameClientMessages['configure']['bots'] = {};
    for (const role of ROLES) {
      const b = bots[role];
      if (b === undefined) continue;
      if (!isOneOf<string>(allowed[role], b)) return invalid('configure', `${role} bots can be: ${allowed[role].join(', ')}.`);
      (out as Record<string, string>)[role] = b;
    }
    return ok({ level: raw.level, bots: out });
  },
  start: (raw) => empty('start', raw),
  setSpeed(raw) {
    if (!isPlainObject(raw) || !hasOnlyKeys(raw, ['speed'])) return invalid('setSpeed', 'setSpeed needs { speed }.');
    const speed = raw.speed;
    if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < 0 || speed > LIMITS.maxSpeed)
      return invalid('setSpeed', `speed is a number from 0 (paused) to ${LIMITS.maxSpeed}.`);
    return ok({ speed });
  },
};

const MAX_TEAMS = 16;
const MAX_ID = 64;

export const classMessageChecks: { [K in ClassClientMessage]: (raw: unknown) => Checked<ClassClientMessages[K]> } = {
  formTeams(raw) {
    const shape = 'formTeams needs { teams: playerId[][] } with 2 to 16 teams.';
    if (!isPlainObject(raw) || !hasOnlyKeys(raw, ['teams']) || !Array.isArray(raw.teams)) return invalid('formTeams', shape);
    const teams = raw.teams;
    if (teams.length < 2 || teams.length > MAX_TEAMS) return invalid('formTeams', shape);
    const seen = new Set<string>();
    for (const team of teams) {
      if (!Array.isArray(team) || team.length > 256) return invalid('formTeams', shape);
      for (const id of team) {
        if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID) return invalid('formTeams', shape);
        if (seen.has(id)) return invalid('formTeams', 'A player can be in one team only.');
        seen.add(id);
      }
    }
    return ok({ teams: teams as string[][] });
  },
  autoBalance(raw) {
    if (!isPlainObject(raw) || !hasOnlyKeys(raw, ['teamCount'])) return invalid('autoBalance', 'autoBalance needs { teamCount }.');
    const n = raw.teamCount;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 2 || n > MAX_TEAMS)
      return invalid('autoBalance', `teamCount is a whole number from 2 to ${MAX_TEAMS}.`);
    return ok({ teamCount: n });
  },
  setLevels(raw) {
    if (!isPlainObject(raw) || !hasOnlyKeys(raw, ['levels']) || !Array.isArray(raw.levels)) return invalid('setLevels', 'setLevels needs { levels }.');
    const levels = raw.levels;
    if (levels.length === 0 || levels.length > 10 || !levels.every((l) => isOneOf(LEVELS, l)))
      return invalid('setLevels', `levels: 1 to 10 of ${LEVELS.join(', ')}.`);
    return ok({ levels: levels as (typeof LEVELS)[number][] });
  },
  startMatch: (raw) => empty('startMatch', raw),
  pause: (raw) => empty('pause', raw),
  resume: (raw) => empty('resume', raw),
  nextRound: (raw) => empty('nextRound', raw),
  endMatch: (raw) => empty('endMatch', raw),
  removePlayer(raw) {
    if (!isPlainObject(raw) || !hasOnlyKeys(raw, ['playerId']) || typeof raw.playerId !== 'string' || raw.playerId.length > MAX_ID)
      return invalid('removePlayer', 'removePlayer needs { playerId }.');
    return ok({ playerId: raw.playerId });
  },
};
