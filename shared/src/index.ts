/**
 * @heist/shared — the game's rules as pure functions: cryptography, the message codec,
 * certificates, the levels (one module each: machines, checks, tools, bots' plan, texts), the
 * round (network, the parties, the attacker's tap and proxy), the referee, the bots and the
 * captures. No I/O, no clock, no Math.random.
 *
 * Layers, bottom first; a folder imports only from itself and the layers below it, and no files
 * import each other in a circle (test/shared/layers.test.ts checks both:
 * `npx vitest run test/shared/layers.test.ts`): `basics/` (levels, roles, checks, actions) and
 * `codec/` → `crypto/` → `pki/` → `messages/` → `handshake/` → `attacker/` (recordings, record
 * operations) → `levels/` → `round/` (state, network, the browser, the bank, certification,
 * tap, proxy, who knows which secret) → `referee/`, `capture/`, `bots/` → `play/` (the public
 * round: create, act, tick, views, a round played by bots) and `protocol.ts` → this file.
 */
export * from './crypto/index.ts';
export { tls12Prf } from './crypto/tls12-prf.ts';
export { hkdfExpandLabel, deriveSecret } from './crypto/tls13-key-schedule.ts';
export * from './codec/bytes.ts';
export { encodeMessage, decodeMessage, tryDecodeMessage, inspectMessage, messageFields } from './messages/codec.ts';
export { setField } from './messages/field-edit.ts';
export type * from './messages/types.ts';
export * from './pki/index.ts';
export * from './handshake/failures.ts';
export { assertNever } from './basics/assert-never.ts';
export * from './round/types.ts';
export * from './round/result.ts';
export { CHECK_TITLES } from './round/check-titles.ts';
export { LEVEL_MODULES, levelModule, type LevelModule, type KeyExchange, type Protection } from './levels/index.ts';
export { botAttackFor } from './levels/bot-plans.ts';
export { LEVEL_TEXTS, levelByLabel, levelLabel, levelName, type LevelTexts } from './levels/texts/index.ts';
export { EVENT_TEXTS, EVENT_VERDICTS, HARVEST_WORDS, type EventTexts } from './levels/texts/events.ts';
export { binderFor, type SessionTicket, type TicketPolicy } from './handshake/tls13-tickets.ts';
export { BANK_STS_HEADER, LAST_VISIT_DAYS_AGO, RETURNING_STS_HEADERS, SUBDOMAIN_STS_HEADERS, SUBDOMAIN_VISIT_DAYS_AGO, knownHstsHost, noteHstsHost, parseStsHeader, type HstsPolicy, type KnownHstsHost } from './handshake/hsts.ts';
export { HIDDEN_ATTACKER_TEXTS, HIDDEN_ATTACKER_REVEAL, type HiddenAttackerTexts } from './levels/texts/hidden-attacker.ts';
export { attackerRooms } from './round/hidden-attacker.ts';
export { CALL_OUTCOMES } from './referee/hidden-attacker.ts';
export { misconceptionsOf } from './referee/misconceptions.ts';
export { MISCONCEPTIONS, type Misconception } from './basics/misconceptions.ts';
export { CERTIFIED_EVENTS, EVENTS_OFFERED, TEACHING_MAP, offersEvent, type MatchStep } from './basics/teaching-map.ts';
export { LEVEL_MAP_LINES, MISCONCEPTION_WORDS, type MapLine } from './levels/texts/teaching-map.ts';
export { createRound, applyAction, tick, nextEventAt, isOver, startPlay, releaseUnattendedProxy, DEFAULT_CONFIG, type Round, type RoundConfig, type RoundRsaKeys } from './play/round.ts';
export { allowedActions } from './round/allowed.ts';
export { BUDGETS, BUDGET_WORDS, SEAT_LIMITS, limitWords, type Budget } from './round/limits.ts';
export { SERVER_NAME, CA_NAME, LOGIN_NAME, LOOKALIKE_NAME, ROGUE_ROOT_NAME } from './round/world.ts';
export { CT_LOG_NAME, issueLogged, treeHead } from './round/ct-log.ts';
export { viewFor, spectatorView } from './play/views.ts';
export { secretsHiddenFrom, type Secret } from './round/secrets.ts';
export { parseAction, isActionError } from './round/validate.ts';
export { simulateRound, playBots, BOT_ORDER } from './play/simulate.ts';
export { recordingOf } from './round/attacker-actions.ts';
export { tryKeyOnRecording } from './levels/try-key.ts';
export type { Recording } from './attacker/recording.ts';
export { botAction, effectiveBehaviour } from './bots/index.ts';
export { classify, judge } from './referee/referee.ts';
export { OUTCOME_POINTS, CA_DECISION_POINTS, HIDDEN_ATTACKER_POINTS, CT_MONITOR_POINTS, OUTCOME_TITLES } from './referee/points.ts';
export * from './protocol.ts';
export { download, downloadOffers, type Downloader, type DownloadedFile } from './capture/downloads.ts';
export { LevelSchema, RoleSchema, parseLevel, parseRole } from './basics/parse.ts';
