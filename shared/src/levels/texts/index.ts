/** Every level's texts by number, without any cryptography: what the browser shows (page.ts) and what only the server says. */
import type { Level } from '../../basics/levels.ts';
import { LEVEL1_TEXTS } from './level1-postcard.ts';
import { LEVEL2_TEXTS } from './level2-one-key.ts';
import { LEVEL3_TEXTS } from './level3-two-keys.ts';
import { LEVEL4_TEXTS } from './level4-tls12.ts';
import { LEVEL4E_TEXTS } from './level4e-ecdhe.ts';
import { LEVEL5_TEXTS } from './level5-tls13.ts';
import { LEVEL6_TEXTS } from './level6-chain.ts';
import type { LevelTexts } from './types.ts';

export const LEVEL_TEXTS: Readonly<Record<Level, LevelTexts>> = {
  1: LEVEL1_TEXTS,
  2: LEVEL2_TEXTS,
  3: LEVEL3_TEXTS,
  4: LEVEL4_TEXTS,
  6: LEVEL4E_TEXTS,
  5: LEVEL5_TEXTS,
  7: LEVEL6_TEXTS,
};

export { levelByLabel, levelLabel, levelName } from './page.ts';
export type { LevelTexts };
