/**
 * @heist/shared — the game's rules as pure functions: cryptography, the message codec,
 * certificates, the five levels (one module each: machines, checks, tools, bots' plan,
 * texts), the round (network, attacker tools, referee) and the bots. No I/O, no clock,
 * no Math.random.
 */
export * from './crypto/index.ts';
export { tls12Prf } from './crypto/tls12-prf.ts';
export { hkdfExpandLabel, deriveSecret } from './crypto/tls13-key-schedule.ts';
export * from './codec/bytes.ts';
export { encodeMessage, decodeMessage, tryDecodeMessage, inspectMessage, setField, messageFields } from './messages/codec.ts';
export type * from './messages/types.ts';
export * from './pki/index.ts';
export * from './handshake/failures.ts';
export * from './round/types.ts';
export { CHECK_TITLES } from './round/check-titles.ts';
export { LEVEL_MODULES, levelModule, type LevelModule, type KeyExchange, type Protection } from './levels/index.ts';
export { LEVEL_TEXTS, levelByLabel, levelLabel, levelName, type LevelTexts } from './levels/texts/index.ts';
export { createRound, applyAction, tick, nextEventAt, isOver, startPlay, releaseUnattendedProxy, DEFAULT_CONFIG, type Round, type RoundConfig, type RoundRsaKeys } from './round/round.ts';
export { allowedActions } from './round/allowed.ts';
export { BUDGETS, BUDGET_WORDS, SEAT_LIMITS, limitWords, type Budget } from './round/limits.ts';
export { SERVER_NAME, CA_NAME } from './round/state.ts';
export { viewFor, spectatorView, secretsHiddenFrom, type Secret } from './round/views.ts';
export { parseAction, isActionError } from './round/validate.ts';
export { simulateRound, playBots, BOT_ORDER } from './round/simulate.ts';
export { recordingOf } from './round/attacker-actions.ts';
export { tryKeyOnRecording } from './attacker/try-key.ts';
export type { Recording } from './attacker/recording.ts';
export { botAction, effectiveBehaviour } from './bots/index.ts';
export { classify, judge } from './referee/referee.ts';
export { OUTCOME_POINTS, CA_DECISION_POINTS, OUTCOME_TITLES } from './referee/points.ts';
export * from './protocol.ts';
export { download, downloadOffers, type Downloader, type DownloadedFile } from './capture/downloads.ts';
export { LevelSchema, RoleSchema, parseLevel, parseRole } from './basics/parse.ts';
