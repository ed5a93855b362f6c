/**
 * Turns the rooms' synchronised state (server/src/schema, decoded by reflection here) into the
 * plain shapes the panels draw. The one place in the client that knows the schema's fields.
 */
import type { ClassState } from '../../../server/src/schema/ClassState.ts';
import type { GameState } from '../../../server/src/schema/GameState.ts';
import type { ClassInfo, LobbyInfo, SeatInfo } from '../bus.ts';
import { LEVEL_EVENTS, ROLES, offersEvent, parseLevel, parseRole, type Level, type LevelEvent, type MatchStep } from '../shared.ts';

const eventOf = (name: string): LevelEvent | undefined => LEVEL_EVENTS.find((e) => e === name);

/** MapSchema and ArraySchema both iterate; a plain object (tests) has values. */
function list<T>(collection: unknown): T[] {
  if (!collection) return [];
  const c = collection as { values?: () => Iterable<T> } & Iterable<T>;
  if (Array.isArray(c)) return c;
  if (typeof c.values === 'function') return [...c.values()];
  if (typeof (c as Iterable<T>)[Symbol.iterator] === 'function') return [...(c as Iterable<T>)];
  return Object.values(c as unknown as Record<string, T>);
}

/** A level id from the schema (which starts at 1); 1 for anything else, which the server never sends. */
/** The teacher's sequence: each level with the event beside it, if the level offers it. */
function sequenceOf(levels: number[], events: string[]): MatchStep[] {
  return levels.flatMap((id, i) => {
    const level = parseLevel(id);
    if (level === undefined) return [];
    const event = eventOf(events[i] ?? '');
    return event && offersEvent(level, event) ? [{ level, event }] : [{ level }];
  });
}

function levelOf(id: number): Level {
  return parseLevel(id) ?? 1;
}

export function readLobbyState(state: GameState, sessionId: string): LobbyInfo {
  const members = list<GameState['members'] extends Map<string, infer M> ? M : never>(state.members);
  const seats = list<GameState['seats'] extends Map<string, infer S> ? S : never>(state.seats);
  const me = members.find((m) => m.sessionId === sessionId);
  const seatInfo: SeatInfo[] = ROLES.map((role) => {
    const seat = seats.find((s) => s.role === role);
    return {
      role,
      players: members.filter((m) => m.role === role).map((m) => m.nickname + (m.connected ? '' : ' (reconnecting)')),
      bot: seat?.bot ?? true,
      behaviour: seat?.behaviour ?? '',
      points: seat?.points ?? 0,
    };
  });
  return {
    code: state.code,
    phase: state.phase,
    level: levelOf(state.level),
    ...(eventOf(state.event) ? { event: eventOf(state.event) } : {}),
    eventsOffered: list<string>(state.eventsOffered).flatMap((e) => eventOf(e) ?? []),
    round: state.round,
    speed: state.speed,
    secondsLeft: state.secondsLeft,
    seats: seatInfo,
    members: members.map((m) => ({ nickname: m.nickname, role: parseRole(m.role), host: m.host, connected: m.connected, team: m.team })),
    mySeat: parseRole(me?.role),
    myNickname: me?.nickname,
    isHost: !!me?.host,
    demo: state.demo,
    classCode: state.classCode || undefined,
    lastOutcome: state.lastOutcome || undefined,
    lastSummary: state.lastSummary || undefined,
    notice: state.notice || undefined,
  };
}

export function readClassState(state: ClassState, isTeacher: boolean, me?: string): ClassInfo {
  return {
    code: state.code,
    isTeacher,
    status: state.status,
    levels: list<number>(state.levels).flatMap((id) => parseLevel(id) ?? []),
    sequence: sequenceOf(list<number>(state.levels), list<string>(state.events ?? [])),
    round: state.round,
    totalRounds: state.totalRounds,
    teacherPresent: state.teacherPresent,
    nextRoundIn: state.nextRoundIn ?? -1,
    holding: !!state.holding,
    nextLevel: parseLevel(state.nextLevel),
    ...(eventOf(state.nextEvent ?? '') ? { nextEvent: eventOf(state.nextEvent) } : {}),
    unsaved: state.unsaved ?? 0,
    maxStudents: state.maxStudents ?? 60,
    hiddenAttacker: !!state.hiddenAttacker,
    students: list<ClassState['students'] extends Map<string, infer S> ? S : never>(state.students).map((s) => ({
      id: s.id,
      nickname: s.nickname,
      teamId: s.team,
      connected: s.connected,
      points: s.points,
      role: s.role ?? '',
      nextRole: s.nextRole ?? '',
    })),
    teams: list<ClassState['teams'] extends Map<string, infer T> ? T : never>(state.teams)
      .map((t) => ({ id: t.id, name: t.name, members: list<string>(t.members), points: t.points }))
      .sort((a, b) => b.points - a.points || a.name.localeCompare(b.name)),
    matches: list<ClassState['matches'] extends Map<string, infer M> ? M : never>(state.matches).map((m) => ({
      roomCode: m.roomCode,
      teamA: m.teamA,
      teamB: m.teamB,
      defending: m.defending,
      attacking: m.attacking,
      level: levelOf(m.level),
      phase: m.phase,
      outcome: m.outcome,
      summary: m.summary,
      open: m.open ?? true,
      attacker: m.attacker === 'present' || m.attacker === 'absent' ? m.attacker : '',
      ...(eventOf(m.event ?? '') ? { event: eventOf(m.event) } : {}),
    })),
    me,
  };
}
