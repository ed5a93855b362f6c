/** Server settings, from the environment in production and from tests directly. */
import { LIMITS } from '@heist/shared';
import type { Scheduler } from './time/scheduler.ts';

export interface Timing {
  /** One-way delay of a packet on the game's network (game ms). */
  latencyMs: number;
  /** Length of a round (game ms). */
  roundMs: number;
  /** After the conversation ends, time left for last moves such as submitting a stolen PIN (game ms). */
  closingMs: number;
  /** A bot thinks for a random time in this range before each move (real ms). */
  botDelayMs: readonly [number, number];
  /** How long a dropped player's seat is kept (seconds). */
  reconnectSeconds: number;
  /** Pause between rounds in demo mode and in class matches (real ms); 0 = wait for the teacher. */
  betweenRoundsMs: number;
  /** Class play: how long a round waits for its students to open the game room (real ms). */
  seatingGraceMs: number;
}

export interface Limits {
  /** Messages per second per client (burst: twice that). */
  messagesPerSecond: number;
  /** Join / create attempts per address per minute. */
  joinsPerMinute: number;
  /** Classes created per address per hour. */
  classesPerHour: number;
}

export interface ServerOptions {
  /** SQLite file; ':memory:' for throwaway tests. */
  dbPath: string;
  /** Built client to serve, if present. */
  clientDir?: string;
  timing?: Partial<Timing>;
  limits?: Partial<Limits>;
  /** Seed for room randomness (tests); the OS is used when absent. */
  seed?: string;
  /** Time for game logic (default: the real clock); tests may pass a ManualScheduler. */
  scheduler?: Scheduler;
  /** Log lines (default: console). */
  log?: (line: string) => void;
}

export const DEFAULT_TIMING: Timing = {
  latencyMs: 900,
  roundMs: 4 * 60_000,
  closingMs: 10_000,
  botDelayMs: [600, 1500],
  reconnectSeconds: LIMITS.reconnectSeconds,
  betweenRoundsMs: 15_000,
  seatingGraceMs: 10_000,
};

export const DEFAULT_LIMITS: Limits = {
  messagesPerSecond: LIMITS.actionsPerSecond,
  joinsPerMinute: LIMITS.joinsPerMinute,
  classesPerHour: 20,
};
