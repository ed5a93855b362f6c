/** Server settings, from the environment in production and from tests directly. */
import fs from 'node:fs';
import { LIMITS } from '@heist/shared';
import type { Scheduler } from './time/scheduler.ts';

export interface Timing {
  /** One-way delay of a packet on the game's network (game ms). */
  latencyMs: number;
  /** Length of a round (game ms), from the moment play begins. */
  roundMs: number;
  /**
   * Before play: the bank gets its certificate and the attacker sets up, until every person in a
   * seat says Ready; at most this long (game ms), so nobody can stall a class.
   */
  prepareMs: number;
  /** After the conversation ends, time left for last moves such as submitting a stolen PIN (game ms). */
  closingMs: number;
  /** A bot thinks for a random time in this range before each move (real ms). */
  botDelayMs: readonly [number, number];
  /** How long a dropped player's seat is kept (seconds). */
  reconnectSeconds: number;
  /**
   * Mallory's proxy with nobody connected at the attacker seat for this long (real ms; a reload
   * comes back sooner) lets go of what it holds, so one closed tab cannot freeze a room.
   */
  unattendedSeatMs: number;
  /** Pause between rounds in demo mode and in class matches (real ms); 0 = wait for the teacher. */
  betweenRoundsMs: number;
  /** Class play: how long a round waits for its students to open the game room (real ms). */
  seatingGraceMs: number;
  /** Class play: a round's result stays on the students' screens at least this long before the teacher's Next starts another (real ms). */
  resultMinMs: number;
  /** On SIGTERM, how long rounds being played may take to finish before they are stopped (real ms). */
  shutdownWaitMs: number;
  /** Several processes: each refreshes its heartbeat in Redis this often (real ms). */
  heartbeatMs: number;
  /**
   * A process whose heartbeat is this old is dead, once this process has itself reached Redis
   * for at least as long (so that, after an outage, every live process has had time to beat again).
   */
  deadAfterMs: number;
  /** Each call to a room on another process (a report, a command, a ticket) is given up after this long (real ms). */
  remoteCallMs: number;
}

export interface Limits {
  /** Messages per second per client (burst: twice that). */
  messagesPerSecond: number;
  /** Join / create attempts per address per minute. */
  joinsPerMinute: number;
  /** Classes created per address per hour. */
  classesPerHour: number;
  /**
   * Open connections (page loads and websockets) per address. A student's browser holds one
   * or two websockets and, while the page loads, a few HTTP connections: a class of 40 behind
   * one school NAT needs ~120.
   */
  socketsPerAddress: number;
  /** Open connections in all, kept under the process's file-descriptor limit. */
  maxSockets: number;
  /** Seats reserved by the matchmaker but not yet taken up by a websocket, per address. */
  reservationsPerAddress: number;
  /** Rooms a client may have open at once per address (practice and casual rooms; class rooms are the server's). */
  roomsPerAddress: number;
}

export interface ServerOptions {
  /** SQLite file; ':memory:' for throwaway tests. */
  dbPath: string;
  /** `postgres://…`: results in PostgreSQL instead (several processes share it). */
  databaseUrl?: string;
  /** With databaseUrl: this process's own journal file, where results wait while PostgreSQL is away. */
  journalPath?: string;
  /** `redis://…`: this process is one of several sharing matchmaking, codes and limits through it. */
  redisUrl?: string;
  /**
   * Where browsers reach this very process (host[:port][/path], no scheme), when it is one of
   * several: a seat in one of its rooms is taken up there. Unset: wherever the page came from.
   */
  publicAddress?: string;
  /** Addresses or CIDR ranges of reverse proxies of ours in front (deploy/): the client's address is read from X-Forwarded-For past them (http/trustProxy.ts). */
  trustProxy?: readonly string[];
  /** Built client to serve, if present. */
  clientDir?: string;
  timing?: Partial<Timing>;
  limits?: Partial<Limits>;
  /** Seed for room randomness (tests); the OS is used when absent. */
  seed?: string;
  /** Time for game logic (default: the real clock); tests may pass a ManualScheduler. */
  scheduler?: Scheduler;
  /** Where students reach the server (e.g. `https://heist.school.example`), when LAN addresses are not it. */
  publicUrl?: string;
  /** Page origins, besides the server's own, whose pages may open websockets and call the API. */
  allowedOrigins?: readonly string[];
  /** Log lines (default: console). */
  log?: (line: string) => void;
}

export const DEFAULT_TIMING: Timing = {
  latencyMs: 900,
  roundMs: 4 * 60_000,
  prepareMs: 60_000,
  closingMs: 15_000,
  botDelayMs: [600, 1500],
  reconnectSeconds: LIMITS.reconnectSeconds,
  unattendedSeatMs: 10_000,
  betweenRoundsMs: 15_000,
  seatingGraceMs: 10_000,
  resultMinMs: 8_000,
  shutdownWaitMs: 60_000,
  heartbeatMs: 1000,
  deadAfterMs: 3000,
  remoteCallMs: 3000,
};

export const DEFAULT_LIMITS: Limits = {
  messagesPerSecond: LIMITS.actionsPerSecond,
  joinsPerMinute: LIMITS.joinsPerMinute,
  classesPerHour: 20,
  socketsPerAddress: 200,
  maxSockets: defaultMaxSockets(),
  reservationsPerAddress: 60,
  roomsPerAddress: 60,
};

/**
 * Past the descriptor limit the process can no longer open anything (a flood of held-open
 * sockets once crashed it there): keep a fifth of the soft limit Node runs with, at least 100,
 * for the database, logs and the refusals themselves (Linux tells the limit in /proc;
 * elsewhere assume the common 4096).
 */
function defaultMaxSockets(): number {
  let limit = 4096;
  try {
    const m = /^Max open files\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    if (m) limit = Number(m[1]);
  } catch {
    // not Linux
  }
  return Math.max(64, Math.min(10_000, limit - Math.max(100, Math.floor(limit / 5))));
}
