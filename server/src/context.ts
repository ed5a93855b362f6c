/** What every room of one server process shares: storage, settings, codes, the cluster, randomness. */
import { randomBytes } from 'node:crypto';
import { seededRng, type Rng } from '@heist/shared';
import type { Cluster } from './cluster/cluster.ts';
import type { RsaKeySource } from './game/roundKeys.ts';
import type { Limits, Timing } from './config.ts';
import type { Store } from './persistence/store.ts';
import { newCode } from './validation/names.ts';
import type { Scheduler } from './time/scheduler.ts';

export interface ServerContext {
  store: Store;
  timing: Timing;
  limits: Limits;
  /** The processes of this deployment: one (in memory), or several sharing a Redis. */
  cluster: Cluster;
  codes: CodeBook;
  /** Real time and timers for game logic (a ManualScheduler in tests). */
  scheduler: Scheduler;
  /** A fresh random stream (seeded from the OS, or from the test seed). */
  rng(label: string): Rng;
  /**
   * Fresh RSA keys for every round (game/roundKeys.ts). Unset only when the server runs from a
   * seed (tests): then rounds pick from the fixed pool by their seed, to replay exactly.
   */
  rsaKeys?: RsaKeySource;
  log(line: string): void;
}

/**
 * Room and class codes share one namespace: a code names exactly one thing, among the live
 * rooms of every process (claimed through the cluster) and every class ever made (the store).
 */
export class CodeBook {
  /** Codes this process holds for class lobbies (open, or opening). */
  private readonly lobbies = new Set<string>();

  constructor(
    private readonly persisted: (code: string) => Promise<boolean>,
    private readonly cluster: Pick<Cluster, 'claimCode' | 'releaseCode'>,
  ) {}

  async claim(rng: Rng): Promise<string> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const code = newCode((max) => rng.int(max), () => false);
      // With the database away (PostgreSQL restarting) a room still opens: its code is checked against live
      // rooms and lobbies only. A clash with a closed class's code (one chance in millions) keeps that
      // class's lobby from reopening until the room closes.
      const persisted = await this.persisted(code).catch(() => false);
      if (!persisted && (await this.cluster.claimCode(code))) return code;
    }
    throw new Error('no free code'); // 31^5 ≈ 28.6 million codes: only reachable if rng is broken
  }

  /**
   * Re-open a persisted code (a class lobby after a restart); false when a live process holds it,
   * this one included. (The claim in Redis tells processes apart, not two openings in this one: a
   * teacher's new class and a sweep of the lobby keeper, say.)
   */
  async hold(code: string): Promise<boolean> {
    if (this.lobbies.has(code)) return false;
    this.lobbies.add(code);
    if (await this.cluster.claimCode(code)) return true;
    this.lobbies.delete(code);
    return false;
  }

  release(code: string): void {
    this.lobbies.delete(code);
    void this.cluster.releaseCode(code).catch(() => undefined);
  }
}

export function rngSource(seed: string | undefined): (label: string) => Rng {
  let n = 0;
  return (label) => (seed === undefined ? seededRng(randomBytes(32)) : seededRng(`${seed}/${label}/${n++}`));
}
