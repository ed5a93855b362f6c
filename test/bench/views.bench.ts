/**
 * What a round costs the server's main thread in the engine, the views and the patches, without
 * sockets (benchmark, not a test): whole rounds of the load script's level rotation (1, 2, 3, 4,
 * 4e, 5), bots in every seat, on the node:crypto backend as the server runs it; after every step
 * the four seats' views (viewFor) and each seat's patch from its previous view (fast-json-patch's
 * compare, as server/src/game/viewChannels.ts makes it). Each part is timed by process CPU, so
 * the machine's other work counts little; it prints CPU ms per round.
 *
 *   npx tsx test/bench/views.bench.ts [--batches 7] [--rounds 30] [--warmup 12]
 *
 * Batches of --rounds rounds each; each figure is the median batch's.
 */
import jsonpatch from 'fast-json-patch';
import { applyAction, botAction, BOT_ORDER, createRound, DEFAULT_CONFIG, isOver, levelLabel, nextEventAt, seededRng, tick, viewFor, withCryptoBackend, type BotBehaviours, type Level, type Role, type RoleView } from '@heist/shared';
import { nodeCryptoBackend } from '../../server/src/crypto/node-backend.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}
const BATCHES = option('batches', 7);
const ROUNDS = option('rounds', 30);
const WARMUP = option('warmup', 12);

/** The load script's rotation (test/bench/load.ts). */
const PLAN: { level: Level; bots: BotBehaviours }[] = [
  { level: 1, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' } },
  { level: 2, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' } },
  { level: 3, bots: { client: 'careless', server: 'standard', ca: 'strict', attacker: 'keySubstitution' } },
  { level: 4, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' } },
  { level: 6, bots: { client: 'careless', server: 'standard', ca: 'strict', attacker: 'keySubstitution' } },
  { level: 5, bots: { client: 'careful', server: 'standard', ca: 'sloppy', attacker: 'tamper' } },
];

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const spent = { engine: 0, views: 0, patches: 0 };
function timed<T>(part: keyof typeof spent, f: () => T): T {
  const t = cpuMs();
  try {
    return f();
  } finally {
    spent[part] += cpuMs() - t;
  }
}

function play(index: number): void {
  const { level, bots } = PLAN[index % PLAN.length]!;
  const round = createRound({ ...DEFAULT_CONFIG, latencyMs: 100, graceMs: 0, level, bots }, seededRng(`views-bench-${index}`), 0);
  const last = new Map<Role, RoleView>();
  const views = (): (readonly [Role, RoleView])[] => {
    const now = timed('views', () => BOT_ORDER.map((role) => [role, viewFor(round, role)] as const));
    timed('patches', () => {
      for (const [role, view] of now) {
        const before = last.get(role);
        if (before) jsonpatch.compare(before, view);
        last.set(role, view);
      }
    });
    return now;
  };
  /** Bots act until all are quiet at this moment (as simulateRound's playBots), the views made after each pass. */
  const botsAct = () => {
    for (let pass = 0; pass < 50; pass++) {
      let acted = false;
      for (const [role, view] of views()) {
        if (round.phase === 'over') return;
        const action = botAction(view, bots);
        if (action && !timed('engine', () => applyAction(round, role, action, round.now))) acted = true;
      }
      if (!acted) return;
    }
  };
  for (let step = 0; step < 1_000 && round.phase !== 'over'; step++) {
    botsAct();
    if (isOver(round)) break;
    const at = nextEventAt(round);
    if (at === null) break;
    timed('engine', () => tick(round, at));
  }
  views();
}

withCryptoBackend(nodeCryptoBackend, () => {
  for (let i = 0; i < WARMUP; i++) play(BATCHES * ROUNDS + i);
  const batches: { engine: number; views: number; patches: number; all: number }[] = [];
  for (let b = 0; b < BATCHES; b++) {
    spent.engine = spent.views = spent.patches = 0;
    const start = cpuMs();
    for (let i = 0; i < ROUNDS; i++) play(b * ROUNDS + i);
    batches.push({ ...spent, all: cpuMs() - start });
  }
  const median = (part: keyof (typeof batches)[number]) => {
    const sorted = batches.map((x) => x[part] / ROUNDS).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!.toFixed(1);
  };
  console.log(
    `${BATCHES} batches of ${ROUNDS} rounds (levels ${PLAN.map((p) => levelLabel(p.level)).join(', ')}), CPU ms per round, median batch: ` +
      `engine ${median('engine')}, views ${median('views')}, patches ${median('patches')}, all ${median('all')}`,
  );
});
