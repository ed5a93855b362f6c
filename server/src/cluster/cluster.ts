/**
 * What the server processes of one deployment share, besides Colyseus' own presence and
 * matchmaking driver: the secret that proves a room was opened by a server (not a browser),
 * the namespace of codes, which processes are alive (and which are draining for a shutdown),
 * and the per-address ledger. One process: all of it in memory (LocalCluster, here). With
 * REDIS_URL: in Redis (redisCluster.ts), so N processes act as one server.
 */
import { matchMaker } from '@colyseus/core';
import { newSecret } from '../class/secrets.ts';
import type { Limits } from '../config.ts';
import { LocalLedger, type AddressLedger } from './ledger.ts';

export interface Cluster {
  readonly kind: 'local' | 'redis';
  /** This process (Colyseus' processId). */
  readonly processId: string;
  /** Room options carrying this were written by one of our processes (class lobbies, class game rooms). */
  readonly openKey: string;
  readonly ledger: AddressLedger;
  /** Takes a code for this process: false when another live process holds it. */
  claimCode(code: string): Promise<boolean>;
  releaseCode(code: string): Promise<void>;
  /** Processes alive now (their heartbeat is fresh), with whether each is draining. */
  processes(): Promise<Map<string, { draining: boolean }>>;
  /**
   * The process has stopped beating, and this process has reached Redis long enough to be sure
   * (after an outage, live processes need a heartbeat's time to show again). False while unsure.
   */
  isDead(processId: string): Promise<boolean>;
  /**
   * This process has reached Redis long enough for what it finds there to be whole: after an
   * outage (Redis restarted empty, say) every live process has had time to put back its listings
   * and codes. Until then, a room or lobby missing from Redis may just not be back yet.
   */
  readonly settled: boolean;
  /** Which process each of these rooms is listed on (Colyseus' listings); rooms not listed are left out. */
  listedOn(roomIds: string[]): Promise<Map<string, string>>;
  /** This process takes no new rooms from now on (a graceful shutdown). */
  drain(): Promise<void>;
  readonly draining: boolean;
  close(): Promise<void>;
}

export class LocalCluster implements Cluster {
  readonly kind = 'local' as const;
  readonly settled = true;
  readonly openKey = newSecret(32);
  readonly ledger: AddressLedger;
  draining = false;
  private readonly codes = new Set<string>();

  constructor(
    readonly processId: string,
    limits: Limits,
  ) {
    this.ledger = new LocalLedger(limits);
  }

  async claimCode(code: string): Promise<boolean> {
    if (this.codes.has(code)) return false;
    this.codes.add(code);
    return true;
  }

  async releaseCode(code: string): Promise<void> {
    this.codes.delete(code);
  }

  async processes(): Promise<Map<string, { draining: boolean }>> {
    return new Map([[this.processId, { draining: this.draining }]]);
  }

  async isDead(processId: string): Promise<boolean> {
    return processId !== this.processId;
  }

  async listedOn(roomIds: string[]): Promise<Map<string, string>> {
    return new Map(roomIds.filter((id) => matchMaker.getLocalRoomById(id) !== undefined).map((id) => [id, this.processId]));
  }

  async drain(): Promise<void> {
    this.draining = true;
  }

  async close(): Promise<void> {
    this.codes.clear();
  }
}
