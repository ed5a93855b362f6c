/**
 * The levels in the order they are taught (this file imports nothing: every layer may use it). Level ids are numbers (they travel in the room's
 * schema and are stored as integers); level "4e", TLS 1.2 with ECDHE, is id 6, listed between
 * 4 and 5, and level "6", the chain of trust, is id 7 — players see its label
 * (LEVEL_TEXTS[level].label), never the id.
 */
export const LEVELS = [1, 2, 3, 4, 6, 5, 7] as const;
export type Level = (typeof LEVELS)[number];
