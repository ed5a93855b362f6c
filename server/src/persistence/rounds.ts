/** Rounds played outside a class are kept too (outcome and points per seat), for the record. */
import { ROLES } from '@heist/shared';
import type { RoundOver } from '../game/session.ts';
import type { Store } from './store.ts';

export function recordCasualRound(store: Store, roomCode: string, info: RoundOver): Promise<number> {
  return store.recordRound({
    classCode: null,
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
