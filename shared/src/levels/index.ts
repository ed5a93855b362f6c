/**
 * The levels, one module each. Adding a level: write its module and its texts, list it here
 * and in LEVELS, and add its rows to the scenario matrix (docs/adding-a-level.md).
 */
import type { Level } from '../basics/levels.ts';
import { LEVEL1 } from './level1-postcard.ts';
import { LEVEL2 } from './level2-one-key.ts';
import { LEVEL3 } from './level3-two-keys.ts';
import { LEVEL4 } from './level4-tls12.ts';
import { LEVEL4E } from './level4e-ecdhe.ts';
import { LEVEL5 } from './level5-tls13.ts';
import { LEVEL6 } from './level6-chain.ts';
import type { LevelModule } from './types.ts';

export const LEVEL_MODULES: Readonly<Record<Level, LevelModule>> = { 1: LEVEL1, 2: LEVEL2, 3: LEVEL3, 4: LEVEL4, 6: LEVEL4E, 5: LEVEL5, 7: LEVEL6 };

export function levelModule(level: Level): LevelModule {
  return LEVEL_MODULES[level];
}

export type { BankKey, KeyExchange, LevelModule, Persona, Protection } from './types.ts';
