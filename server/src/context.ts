/** What every room of one server shares: storage, settings, codes and the class ↔ match links. */
import { randomBytes } from 'node:crypto';
import { seededRng, type Rng } from '@heist/shared';
import type { Limits, Timing } from './config.ts';
import type { Store } from './persistence/store.ts';
import { MatchRegistry } from './class/registry.ts';
import { newCode } from './validation/names.ts';
import type { Scheduler } from './time/scheduler.ts';

export interface ServerContext {
  store: Store;
  timing: Timing;
  limits: Limits;
  matches: MatchRegistry;
  codes: CodeBook;
  /** Real time and timers for game logic (a ManualScheduler in tests). */
  scheduler: Scheduler;
  /** A fresh random stream (seeded from the OS, or from the test seed). */
  rng(label: string): Rng;
  log(line: string): void;
}

/** Room and class codes share one namespace: a code names exactly one thing. */
export class CodeBook {
  private readonly live = new Set<string>();

  constructor(private readonly persisted: (code: string) => boolean) {}

  claim(rng: Rng): string {
    const code = newCode((max) => rng.int(max), (c) => this.live.has(c) || this.persisted(c));
    this.live.add(code);
    return code;
  }

  /** Re-open a persisted code (a class lobby after a restart). */
  hold(code: string): void {
    this.live.add(code);
  }

  release(code: string): void {
    this.live.delete(code);
  }
}

export function rngSource(seed: string | undefined): (label: string) => Rng {
  let n = 0;
  return (label) => (seed === undefined ? seededRng(randomBytes(32)) : seededRng(`${seed}/${label}/${n++}`));
}
