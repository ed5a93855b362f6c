/**
 * Every class of the last 14 days has its lobby open on a live process, so that its teacher
 * and students can come back by its code at any time. At start-up a process opens those that
 * are open nowhere; with several processes, each looks again every `deadAfterMs`: a lobby
 * listed on a process that died (SIGKILL, a lost machine) is opened again on a live one,
 * without waiting for some process to restart. Only one process wins a class (its code is
 * claimed in Redis, ClassHost.open); the others are told so, which is not an error.
 *
 * A match the dead lobby was running is not resumed (ClassLobby.open): its rooms notice their
 * lobby is gone, finish the round being played, record it and close (core/gameHost.ts).
 */
import { matchMaker } from '@colyseus/core';
import type { ServerContext } from '../context.ts';
import { guardedLoop, type Loop } from '../safety.ts';
import { processGone } from './remote.ts';

/** Class lobbies older than this are not reopened (their results stay). */
export const CLASS_LIFETIME_MS = 14 * 24 * 3600_000;

/** The refusal of a lobby some other live process has open (ClassHost.open). */
export const OPEN_ELSEWHERE = 'open on another server process';

export class LobbyKeeper {
  private loop: Loop | undefined;
  private lastFailure = '';

  constructor(
    private readonly ctx: Pick<ServerContext, 'store' | 'cluster' | 'timing' | 'log'>,
    private readonly openLobby: (classCode: string) => Promise<unknown>,
  ) {}

  /** One look: opens the lobbies that are open nowhere alive. */
  async sweep(): Promise<void> {
    const { store, cluster, timing, log } = this.ctx;
    const codes = await store.openClassCodes(Date.now() - CLASS_LIFETIME_MS);
    const listed = await cluster.listedOn(codes);
    const dead = new Map<string, boolean>();
    for (const code of codes) {
      // Open here (its listing not back yet after Redis restarted, say): its code is this process's, so only this check keeps a second lobby from opening.
      if (matchMaker.getLocalRoomById(code)) continue;
      const processId = listed.get(code);
      if (processId !== undefined) {
        // (Colyseus then forgets the dead process's listings, or a join would still be sent there.)
        if (!dead.has(processId)) dead.set(processId, await processGone(cluster, processId, timing.remoteCallMs));
        if (!dead.get(processId)) continue;
        log(`class ${code}: its lobby's process ${processId} is gone; opening it here or on another live process`);
      }
      try {
        await this.openLobby(code);
      } catch (e) {
        if (!(e instanceof Error && e.message.includes(OPEN_ELSEWHERE))) log(`could not reopen class ${code}: ${(e as Error).message}`);
      }
    }
  }

  /** Looks again every `deadAfterMs` (several processes), once what it finds in Redis can be trusted (Cluster.settled). */
  start(): void {
    this.loop ??= guardedLoop('keeping class lobbies open', this.ctx.timing.deadAfterMs, this.ctx.log, async () => {
      if (!this.ctx.cluster.settled) return;
      try {
        await this.sweep();
        this.lastFailure = '';
      } catch (e) {
        // Redis or the database away: said once, tried again at the next look.
        const message = (e as Error)?.message ?? String(e);
        if (message !== this.lastFailure) this.ctx.log(`keeping class lobbies open: ${message}; trying again`);
        this.lastFailure = message;
      }
    });
  }

  stop(): void {
    this.loop?.stop();
    this.loop = undefined;
  }
}
