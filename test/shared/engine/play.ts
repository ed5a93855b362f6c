/**
 * Playing a round by hand in a test, as a student would: bots hold the seats the test does not
 * play, the test plays one seat from that seat's own view, and time jumps to the next event.
 */
import { expect } from 'vitest';
import {
  applyAction,
  createRound,
  decodeMessage,
  DEFAULT_CONFIG,
  nextEventAt,
  playBots,
  seededRng,
  tick,
  viewFor,
  type AnyAction,
  type AttackerView,
  type BotBehaviours,
  type FieldNode,
  type ClientView,
  type Level,
  type Role,
  type Round,
  type RoundConfig,
  type ServerView,
} from '@heist/shared';

export const honest: BotBehaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' };

export function startRound(level: Level, seed: string, overrides: Partial<RoundConfig> = {}): Round {
  return createRound({ ...DEFAULT_CONFIG, latencyMs: 100, graceMs: 0, level, bots: honest, ...overrides }, seededRng(seed), 0);
}

/**
 * Bots play every seat but `role`; the test plays `role` with `move` until the round ends.
 * Each of the test's moves must be accepted. `wakeAt`: a time the test's seat waits for (a
 * student who takes her time), which the clock stops at even when nothing else happens then.
 */
export function play<V>(round: Round, role: Role, move: (view: V) => AnyAction | null, bots: BotBehaviours = honest, options: { wakeAt?: () => number | undefined } = {}): void {
  const others = (['attacker', 'ca', 'server', 'client'] as const).filter((r) => r !== role);
  for (let i = 0; i < 500 && round.phase !== 'over'; i++) {
    for (let quiet = false, j = 0; !quiet && j < 50; j++) {
      const before = round.packets.length + round.timeline.length + (round.phase === 'playing' ? 1 : 0);
      const action = move(viewFor(round, role) as V);
      if (action) expect(applyAction(round, role, action, round.now), JSON.stringify(action)).toBeNull();
      playBots(round, bots, [], others);
      quiet = !action && round.packets.length + round.timeline.length + (round.phase === 'playing' ? 1 : 0) === before;
    }
    const at = nextEventAt(round);
    if (at === null) break;
    const wake = options.wakeAt?.();
    tick(round, wake !== undefined && wake > round.now && wake < at ? wake : at);
  }
}

export const attack = (round: Round, move: (view: AttackerView) => AnyAction | null, bots: BotBehaviours = honest) => play(round, 'attacker', move, bots);

/** Holds every packet; applies `edit` once to the first held packet that `pick` chooses, and lets every other packet through. */
export function editOnce(pick: (v: AttackerView) => number | undefined, edit: (id: number, v: AttackerView) => AnyAction): (v: AttackerView) => AnyAction | null {
  let edited = false;
  return (v) => {
    if (v.phase === 'over') return null;
    if (!edited) {
      if (!v.intercept) return { type: 'setIntercept', on: true };
      const target = pick(v);
      if (target !== undefined) {
        edited = true;
        return edit(target, v);
      }
    } else if (v.intercept) return { type: 'setIntercept', on: false };
    return v.held.length > 0 ? { type: 'forward', packetId: v.held[0]! } : null;
  };
}

/** The path of the field named `name` in a captured packet's field tree, as the inspector lists it (depth first). */
export function fieldPath(v: AttackerView, packetId: number, name: string): string {
  const walk = (nodes: FieldNode[]): FieldNode | undefined => {
    for (const n of nodes) {
      const hit = n.name === name ? n : walk(n.children ?? []);
      if (hit) return hit;
    }
    return undefined;
  };
  const node = walk(v.captured.find((p) => p.id === packetId)?.fields ?? []);
  if (!node) throw new Error(`packet #${packetId} shows no field ${name}`);
  return node.path;
}

export const heldOf = (label: string, from?: 'client' | 'server') => (v: AttackerView) =>
  v.captured.find((p) => v.held.includes(p.id) && p.label === label && (!from || p.from === from))?.id;

/** Alert descriptions a party put on the wire, in order. */
export function alertsFrom(round: Round, from: 'client' | 'server'): string[] {
  return round.packets.flatMap((p) => {
    if (p.from !== from) return [];
    try {
      const m = decodeMessage(p.bytes);
      if (m.type === 'Alert') return [m.description];
      const sealed = round[from].opened.get(p.id)?.message; // an alert under record keys: its sender knows what it says
      return sealed?.type === 'Alert' ? [sealed.description] : [];
    } catch {
      return [];
    }
  });
}

/** The client's timeline, as her panel shows it. */
export function clientLines(round: Round): string[] {
  return (viewFor(round, 'client') as ClientView).timeline.map((e) => e.text);
}

/** The bank's seat at level 6, played by a student who serves cert.pem: bank.example certified with its signing key, then its certificate sent alone, without the intermediate's. */
export function certificateAlone(v: ServerView): AnyAction | null {
  if (v.csr === 'none') return { type: 'requestCertificate', subject: 'bank.example', key: 'signingKey' };
  return v.chain?.fullChain === undefined && v.allowed.includes('chooseChain') ? { type: 'chooseChain', fullChain: false } : null;
}
