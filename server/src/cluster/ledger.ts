/**
 * What each address has spent and holds, wherever it is counted: the join and class-creation
 * budgets (token buckets) and the seats and rooms it holds. One process counts in memory
 * (LocalLedger, here); processes sharing a Redis count there (redisCluster.ts), so a school
 * that reaches three processes through a load balancer has one budget, not three.
 */
import { matchMaker } from '@colyseus/core';
import type { Limits } from '../config.ts';
import { Holdings } from '../validation/perAddress.ts';
import { RateLimiter } from '../validation/rateLimit.ts';

/** joins: create/join calls; reconnects: their own budget of the same size; classes: POST /api/classes. */
export type Budget = 'joins' | 'reconnects' | 'classes';

export interface AddressLedger {
  /** Spends one token of the address's budget; false when it is spent. */
  spend(budget: Budget, address: string): Promise<boolean>;
  /** Seats the matchmaker reserved for the address that no websocket has taken up yet (nor expired). */
  seatsHeld(address: string): Promise<number>;
  /** Rooms the address opened that are still open. */
  roomsHeld(address: string): Promise<number>;
  seatReserved(address: string, roomId: string, sessionId: string): Promise<void>;
  roomOpened(address: string, roomId: string): Promise<void>;
  /** A room's websocket took up its reserved seat (called where the room runs). */
  seatTaken(sessionId: string): void;
  /** Forget addresses that hold nothing and whose budgets are full again. */
  sweep(now: number): void;
}

/** Budgets per address: capacity and refill per second. */
export function budgets(limits: Limits): Record<Budget, { capacity: number; perSecond: number }> {
  return {
    joins: { capacity: limits.joinsPerMinute, perSecond: limits.joinsPerMinute / 60 },
    // Reconnecting after a Wi-Fi drop must not eat the joining budget of the class behind the same NAT.
    reconnects: { capacity: limits.joinsPerMinute, perSecond: limits.joinsPerMinute / 60 },
    classes: { capacity: limits.classesPerHour, perSecond: limits.classesPerHour / 3600 },
  };
}

/** One process: buckets in memory; holdings checked against this process's own rooms. */
export class LocalLedger implements AddressLedger {
  private readonly buckets: Record<Budget, RateLimiter>;
  private readonly seats: Holdings<{ roomId: string; sessionId: string }>;
  private readonly rooms: Holdings<string>;

  constructor(limits: Limits) {
    const b = budgets(limits);
    this.buckets = {
      joins: new RateLimiter(b.joins.capacity, b.joins.perSecond),
      reconnects: new RateLimiter(b.reconnects.capacity, b.reconnects.perSecond),
      classes: new RateLimiter(b.classes.capacity, b.classes.perSecond),
    };
    this.seats = new Holdings(Infinity, (s) => matchMaker.getLocalRoomById(s.roomId)?.hasReservedSeat(s.sessionId) === true);
    this.rooms = new Holdings(Infinity, (roomId) => matchMaker.getLocalRoomById(roomId) !== undefined);
  }

  async spend(budget: Budget, address: string): Promise<boolean> {
    return this.buckets[budget].allow(address, Date.now());
  }

  async seatsHeld(address: string): Promise<number> {
    return this.seats.count(address);
  }

  async roomsHeld(address: string): Promise<number> {
    return this.rooms.count(address);
  }

  async seatReserved(address: string, roomId: string, sessionId: string): Promise<void> {
    this.seats.add(address, { roomId, sessionId });
  }

  async roomOpened(address: string, roomId: string): Promise<void> {
    this.rooms.add(address, roomId);
  }

  seatTaken(): void {
    // hasReservedSeat already says so
  }

  sweep(now: number): void {
    for (const b of Object.values(this.buckets)) b.sweep(now);
    this.seats.sweep();
    this.rooms.sweep();
  }
}
