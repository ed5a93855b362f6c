/**
 * Everything the client takes from @heist/shared, in one place. Types come from the package.
 * The few runtime constants come from their own modules: importing them through the package's
 * index keeps ~5 KB gzip of cryptography setup in the bundle that the browser never runs.
 */
export type {
  ActionError,
  AddressesResponse,
  ActionType,
  AnyAction,
  AttackerAction,
  AttackerBehaviour,
  AttackerView,
  BankKey,
  Budget,
  BotBehaviours,
  CaAction,
  CaView,
  Call,
  CertificatePathView,
  CheckName,
  CheckResult,
  ClassClientMessages,
  ClassJoinOptions,
  ClassServerMessages,
  ClientAction,
  ClientDecision,
  ClientView,
  ConnectionVerdict,
  CreateClassResponse,
  CsrView,
  CtLogView,
  Debrief,
  DebriefCheck,
  DownloadFile,
  DownloadOffer,
  Endpoint,
  FieldNode,
  HarvestReveal,
  GameClientMessages,
  IntegrityCompare,
  GameCreateOptions,
  GameJoinOptions,
  GameServerMessages,
  HiddenAttackerReveal,
  LevelEvent,
  MatchStep,
  Misconception,
  JsonPatchOperation,
  KeyType,
  KeyUsage,
  KeyLeak,
  Level,
  MessageType,
  Outcome,
  PacketDetail,
  ParcelLook,
  ParcelView,
  ProtocolError,
  Role,
  RoleView,
  RoundFile,
  RoundResult,
  ServerAction,
  ServerView,
  SpectatorScope,
  SpectatorView,
  SubstituteMode,
  TimelineEvent,
  ViewFor,
} from '@heist/shared';
export { ATTACKER_BEHAVIOURS, CA_BEHAVIOURS, CALLS, CLIENT_BEHAVIOURS, LEVELS, SERVER_BEHAVIOURS, ROLES, SUBSTITUTE_MODES, SUBSTITUTE_WORDS } from '../../shared/src/round/types.ts';
export { OUTCOMES } from '../../shared/src/round/result.ts';
export { CLOSE_CODES, HTTP, LIMITS, ROOM, TEAM_NAMES, roomFilePath } from '../../shared/src/protocol.ts';
export { CA_DECISION_POINTS, CT_MONITOR_POINTS, HIDDEN_ATTACKER_POINTS, OUTCOME_POINTS, OUTCOME_TITLES } from '../../shared/src/referee/points.ts';
export { HIDDEN_ATTACKER_TEXTS } from '../../shared/src/levels/texts/hidden-attacker.ts';
export { CHECK_TITLES } from '../../shared/src/round/check-titles.ts';
export { BUDGET_WORDS, SEAT_LIMITS } from '../../shared/src/round/limits.ts';
// What the pages show of each level and event, without the words only the server says (debrief
// notes, verdict and inspector words, refusals: ~2.5 KB gzip the browser receives already written).
export { LEVEL_PAGE_TEXTS as LEVEL_TEXTS, levelLabel, levelName } from '../../shared/src/levels/texts/page.ts';
export { BOT_ATTACKS, EVENT_BOT_ATTACKS } from '../../shared/src/levels/bot-plans.ts';
export { DOWNGRADE_EDIT, LEVEL_EVENTS } from '../../shared/src/basics/events.ts';
export { EVENT_PAGE_TEXTS as EVENT_TEXTS } from '../../shared/src/levels/texts/events-page.ts';
export { EVENTS_OFFERED, offersEvent } from '../../shared/src/basics/teaching-map.ts';
export { MISCONCEPTIONS } from '../../shared/src/basics/misconceptions.ts';
export { LEVEL_MAP_LINES, MISCONCEPTION_WORDS } from '../../shared/src/levels/texts/teaching-map.ts';
export { parseLevel, parseRole } from '../../shared/src/basics/parse.ts';
export { planFlip, type FlipPlan } from '../../shared/src/attacker/flip.ts';
export { formatGameTime } from '../../shared/src/codec/time.ts';
