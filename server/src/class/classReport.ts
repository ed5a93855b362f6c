/**
 * The class's report for its teacher: what each student's play showed (referee/misconceptions.ts),
 * round by round, over the class's matches — the dashboard's per-student list. Kept by round key,
 * so a round reported twice (by its room and again after an outage) counts once; filled again
 * from the store when the lobby opens after a restart. It goes to the teacher only
 * (`sendToTeacher`), never into the class's shared state, which students and the projector see.
 */
import { MISCONCEPTIONS, type ClassServerMessages, type Misconception } from '@heist/shared';
import type { ResultRow, RoundRecord } from '../persistence/store.ts';

export class ClassReport {
  /** Round key → player id → what that player's play showed in it. */
  private readonly rounds = new Map<string, Map<string, Misconception[]>>();

  /** A round's record (as the store keeps it): its players' misconceptions. */
  add(record: Pick<RoundRecord, 'matchNumber' | 'roomCode' | 'roundIndex' | 'players'>): void {
    const shown = new Map<string, Misconception[]>();
    for (const p of record.players) if (p.misconceptions?.length) shown.set(p.playerId, [...p.misconceptions]);
    this.rounds.set(`${record.matchNumber}/${record.roomCode}/${record.roundIndex}`, shown);
  }

  /** The store's result rows, after a restart: each row's player by nickname (`idOf`). */
  load(rows: readonly ResultRow[], idOf: (nickname: string) => string | undefined): void {
    for (const r of rows) {
      const id = idOf(r.player);
      const names = (r.misconceptions ?? '').split(' ').flatMap((n) => MISCONCEPTIONS.filter((m) => m === n));
      if (r.bot || !id || names.length === 0) continue;
      const key = `${r.matchNumber}/${r.roomCode}/${r.roundIndex}`;
      const round = this.rounds.get(key) ?? new Map<string, Misconception[]>();
      round.set(id, names);
      this.rounds.set(key, round);
    }
  }

  /** The teacher's message: per student with anything to show, each misconception and in how many rounds (in the order MISCONCEPTIONS lists them). */
  message(): ClassServerMessages['misconceptions'] {
    const counts = new Map<string, Map<Misconception, number>>();
    for (const round of this.rounds.values())
      for (const [playerId, shown] of round) {
        const mine = counts.get(playerId) ?? new Map<Misconception, number>();
        for (const m of new Set(shown)) mine.set(m, (mine.get(m) ?? 0) + 1);
        counts.set(playerId, mine);
      }
    return {
      students: [...counts].map(([playerId, mine]) => ({ playerId, shown: MISCONCEPTIONS.flatMap((m) => (mine.has(m) ? [{ misconception: m, rounds: mine.get(m)! }] : [])) })),
    };
  }
}
