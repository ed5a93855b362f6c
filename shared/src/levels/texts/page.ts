/**
 * What the browser shows of every level, by number: names, briefings, steps. No cryptography and
 * none of the words only the server says (index.ts adds those): the client bundles this file.
 */
import { LEVELS, type Level } from '../../basics/levels.ts';
import { LEVEL1_PAGE_TEXTS } from './level1-postcard.ts';
import { LEVEL2_PAGE_TEXTS } from './level2-one-key.ts';
import { LEVEL3_PAGE_TEXTS } from './level3-two-keys.ts';
import { LEVEL4_PAGE_TEXTS } from './level4-tls12.ts';
import { LEVEL4E_PAGE_TEXTS } from './level4e-ecdhe.ts';
import { LEVEL5_PAGE_TEXTS } from './level5-tls13.ts';
import { LEVEL6_PAGE_TEXTS } from './level6-chain.ts';
import type { LevelPageTexts } from './types.ts';

export const LEVEL_PAGE_TEXTS: Readonly<Record<Level, LevelPageTexts>> = {
  1: LEVEL1_PAGE_TEXTS,
  2: LEVEL2_PAGE_TEXTS,
  3: LEVEL3_PAGE_TEXTS,
  4: LEVEL4_PAGE_TEXTS,
  6: LEVEL4E_PAGE_TEXTS,
  5: LEVEL5_PAGE_TEXTS,
  7: LEVEL6_PAGE_TEXTS,
};

/** "Level 4 · Certified — HTTPS, TLS 1.2 with RSA" */
export function levelName(level: Level): string {
  const t = LEVEL_PAGE_TEXTS[level];
  return `Level ${t.label} · ${t.title} — ${t.concept}`;
}

/** "4", or "4e": what players call a level. */
export function levelLabel(level: Level): string {
  return (LEVEL_PAGE_TEXTS[level] as LevelPageTexts | undefined)?.label ?? String(level); // a number from the wire the game does not know
}

/** The level a player or a command line names ("4e", "5"), or undefined. */
export function levelByLabel(label: string): Level | undefined {
  return LEVELS.find((l) => LEVEL_PAGE_TEXTS[l].label === label.trim().toLowerCase());
}
