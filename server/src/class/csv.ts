/**
 * The teacher's results export (RFC 4180 CSV): one row per student per seat per round (a seat a
 * bot played: one "(bot)" row). Levels by the label players see (4e, not its id 6).
 *
 * A seat several students share (the attacking team's) gives each of them its points
 * (`points`), and its team those points once (`team_points`, on the seat's first row, 0 on its
 * other rows): summing `team_points` by team gives the leaderboard. A seat a bot played scores
 * for nobody (`team_points` 0).
 *
 * `attacker`: in a hidden-attacker match, whether the round's room had an attacker (`present`,
 * `absent`: then an abort was a false alarm); empty for any other round.
 *
 * `event`: the event the round was played with (the teacher's sequence), by its title; empty: none.
 * `misconceptions`: what this student's play showed in the round (referee/misconceptions.ts), in
 * the teacher's words, separated by "; "; empty: none (and always for a bot's seat).
 */
import { EVENT_TEXTS, LEVEL_EVENTS, MISCONCEPTION_WORDS, MISCONCEPTIONS, levelLabel, parseLevel } from '@heist/shared';
import type { ResultRow } from '../persistence/store.ts';

const HEADER = ['round', 'level', 'room', 'outcome', 'role', 'player', 'team', 'points', 'ended_at', 'shared_by', 'team_points', 'match', 'attacker', 'event', 'misconceptions'] as const;

/** Quote every text cell; neutralise cells a spreadsheet would run as a formula. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function resultsCsv(rows: readonly ResultRow[]): string {
  const seat = (r: ResultRow) => `${r.roundId}/${r.role}`;
  const sharedBy = new Map<string, number>();
  for (const r of rows) if (!r.bot) sharedBy.set(seat(r), (sharedBy.get(seat(r)) ?? 0) + 1);
  const counted = new Set<string>();
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    const first = !r.bot && !counted.has(seat(r));
    if (first) counted.add(seat(r));
    lines.push(
      [
        r.roundIndex + 1,
        // A level's label is digits and at most an "e" (LEVEL_TEXTS), an unknown id digits: nothing to quote or defuse.
        csvLevel(r.level),
        csvCell(r.roomCode),
        csvCell(r.outcome),
        csvCell(r.role),
        csvCell(r.player),
        csvCell(r.team),
        r.points,
        csvCell(new Date(r.endedAt).toISOString()),
        r.bot ? 0 : (sharedBy.get(seat(r)) ?? 1),
        first ? r.points : 0,
        r.matchNumber ?? '',
        r.hiddenAttacker ?? '',
        csvCell(eventTitle(r.event)),
        csvCell(misconceptionWords(r.misconceptions)),
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

function eventTitle(stored: string | null): string {
  const event = LEVEL_EVENTS.find((e) => e === stored);
  return event ? EVENT_TEXTS[event].title : (stored ?? '');
}

/** The stored names (separated by spaces) in the teacher's words; a name the game does not know, as stored. */
function misconceptionWords(stored: string | null): string {
  if (!stored) return '';
  return stored
    .split(' ')
    .map((name) => {
      const known = MISCONCEPTIONS.find((m) => m === name);
      return known ? MISCONCEPTION_WORDS[known] : name;
    })
    .join('; ');
}

function csvLevel(id: number): string {
  const level = parseLevel(id);
  return level === undefined ? String(id) : levelLabel(level);
}
