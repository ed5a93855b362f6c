/**
 * The vocabulary at the bottom, on its own (`@heist/shared/basics`): for code that needs the
 * words and their parsers but not the engine — the SQLite worker thread, which would otherwise
 * load noble, the ASN.1 schemas and every level at each server start (~0.8 s of CPU).
 */
export * from './actions.ts';
export * from './assert-never.ts';
export * from './checks.ts';
export * from './events.ts';
export * from './hidden-attacker.ts';
export * from './levels.ts';
export * from './misconceptions.ts';
export * from './parse.ts';
export * from './roles.ts';
export * from './teaching-map.ts';
