/** The teacher's results export (RFC 4180 CSV). */
import type { ResultRow } from '../persistence/store.ts';

const HEADER = ['round', 'level', 'room', 'outcome', 'role', 'player', 'team', 'points', 'ended_at', 'match'] as const;

/** Quote every text cell; neutralise cells a spreadsheet would run as a formula. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function resultsCsv(rows: readonly ResultRow[]): string {
  const lines = [HEADER.join(',')];
  for (const r of rows)
    lines.push(
      [r.roundIndex + 1, r.level, csvCell(r.roomCode), csvCell(r.outcome), csvCell(r.role), csvCell(r.player), csvCell(r.team), r.points, csvCell(new Date(r.endedAt).toISOString()), r.matchNumber ?? ''].join(','),
    );
  return lines.join('\r\n') + '\r\n';
}
