/** Forming teams: by the teacher's hand or auto-balanced. Pure functions. */
import { TEAM_NAMES } from '@heist/shared';

export interface TeamPlan {
  id: string;
  name: string;
  position: number;
  playerIds: string[];
}

export function teamId(classCode: string, position: number): string {
  return `${classCode}-T${position + 1}`;
}

/**
 * Deal the players into `teamCount` teams of sizes differing by at most one. Players are
 * shuffled first (with the given random source) so friends who joined together get mixed.
 */
export function autoBalance(classCode: string, playerIds: readonly string[], teamCount: number, randomInt: (max: number) => number): TeamPlan[] {
  const shuffled = [...playerIds];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const teams = Array.from({ length: teamCount }, (_, position) => ({
    id: teamId(classCode, position),
    name: TEAM_NAMES[position % TEAM_NAMES.length]!,
    position,
    playerIds: [] as string[],
  }));
  shuffled.forEach((id, i) => teams[i % teamCount]!.playerIds.push(id));
  return teams;
}

/**
 * The teacher's own teams. Unknown player ids are an error (a stale dashboard); players left
 * out stay teamless and sit out the match.
 */
export function formTeams(classCode: string, teams: readonly string[][], knownPlayerIds: ReadonlySet<string>): TeamPlan[] | { error: string } {
  for (const team of teams) for (const id of team) if (!knownPlayerIds.has(id)) return { error: `No player with id ${id.slice(0, 64)} in this class.` };
  return teams.map((playerIds, position) => ({
    id: teamId(classCode, position),
    name: TEAM_NAMES[position % TEAM_NAMES.length]!,
    position,
    playerIds: [...playerIds],
  }));
}
