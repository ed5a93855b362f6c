/**
 * A finished round as the store keeps it. A class round is written twice, as one row (its key
 * is unique, store.ts): by its game room, from what the lobby told it when the round started
 * (`ClassRoundContext`, class/matchLink.ts), so that it is kept even if the lobby's process is
 * gone; and by the class lobby when the room's report reaches it, so that the lobby knows the
 * row is there before the dashboard says so.
 * Rounds played outside a class are kept too (outcome and points per seat), for the record.
 */
import { ROLES } from '@heist/shared';
import type { RoundOver } from '../game/session.ts';
import type { RecordedRound, RoundRecord, Store } from './store.ts';
import { reportedMisconceptions, type RoundReport } from '../class/matchLink.ts';

export function recordCasualRound(store: Store, roomCode: string, info: RoundOver): Promise<RecordedRound> {
  return store.recordRound({
    classCode: null,
    matchNumber: null,
    roomCode,
    roundIndex: info.roundIndex,
    level: info.level,
    defendingTeam: null,
    attackingTeam: null,
    startedAt: info.startedAt,
    endedAt: info.endedAt,
    outcome: info.result.outcome,
    summary: info.result.summary,
    seats: ROLES.map((role) => ({ role, teamId: null, bot: info.botSeats.includes(role), points: info.result.points[role] ?? 0 })),
    players: [],
  });
}

/** A class round's record; `isPlayer` keeps out seat keys that are not the class's players. */
export function classRoundRecord(classCode: string, roomCode: string, report: RoundReport, isPlayer: (key: string) => boolean): RoundRecord {
  const { matchNumber, roundIndex, defendingTeam, attackingTeam } = report.round;
  const players = new Map<string, (typeof report.seated)[number]['role']>();
  for (const { key, role } of report.seated) if (!players.has(key) && isPlayer(key)) players.set(key, role);
  return {
    classCode,
    matchNumber,
    roomCode,
    roundIndex,
    level: report.level,
    defendingTeam,
    attackingTeam,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    outcome: report.outcome,
    summary: report.summary,
    ...(report.hiddenAttacker ? { hiddenAttacker: report.hiddenAttacker } : {}),
    ...(report.event ? { event: report.event } : {}),
    seats: ROLES.map((role) => ({ role, teamId: role === 'attacker' ? attackingTeam : defendingTeam, bot: report.botSeats.includes(role), points: report.points[role] ?? 0 })),
    players: [...players].map(([playerId, role]) => {
      const misconceptions = reportedMisconceptions(report, role);
      return { playerId, role, points: report.points[role] ?? 0, ...(misconceptions.length ? { misconceptions } : {}) };
    }),
  };
}
