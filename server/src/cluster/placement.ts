/**
 * Which process opens a new room (Colyseus' `selectProcessIdToCreateRoom`). Colyseus' own pick
 * is the process with the fewest rooms in its stats, which it writes at most once a second and
 * keeps for processes long dead: a class that opens four rooms at once would put them all on
 * one process, or wait 2 s for a dead one to time out. Here: the live processes that are not
 * draining, by their rooms plus the rooms this process sent them in the last few seconds;
 * ties go round in turn. A process that has started but does not listen yet is not a candidate.
 * This process is the fallback (it is alive: it is asking).
 */
import { matchMaker } from '@colyseus/core';
import type { Cluster } from './cluster.ts';

/** Rooms sent to a process count against it until its own stats have had time to show them. */
const RECENT_MS = 3000;

export function placement(cluster: Cluster): (roomName: string, options: unknown) => Promise<string> {
  const recent: { processId: string; at: number }[] = [];
  let turn = 0;
  return async () => {
    const now = Date.now();
    while (recent.length && now - recent[0]!.at > RECENT_MS) recent.shift();
    const [live, stats] = await Promise.all([cluster.processes(), matchMaker.stats.fetchAll()]);
    const rooms = new Map(stats.map((s) => [s.processId, s.roomCount]));
    // Alive, not draining, and taking rooms already (in Colyseus' stats once it listens).
    const candidates = [...live].filter(([id, p]) => !p.draining && rooms.has(id)).map(([id]) => id).sort();
    if (candidates.length === 0) return matchMaker.processId;
    const load = (id: string) => (rooms.get(id) ?? 0) + recent.filter((r) => r.processId === id).length;
    const least = Math.min(...candidates.map(load));
    const tied = candidates.filter((id) => load(id) === least);
    const chosen = tied[turn++ % tied.length]!;
    recent.push({ processId: chosen, at: now });
    return chosen;
  };
}
