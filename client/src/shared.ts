/**
 * Everything the client takes from @heist/shared, in one place. Types come from the package.
 * The few runtime constants come from their own modules: importing them through the package's
 * index keeps ~5 KB gzip of cryptography setup in the bundle that the browser never runs.
 */
export type {
  ActionError,
  AddressesResponse,
  AnyAction,
  AttackerAction,
  AttackerBehaviour,
  AttackerView,
  BotBehaviours,
  CaAction,
  CaView,
  CheckResult,
  ClassClientMessages,
  ClassJoinOptions,
  ClassServerMessages,
  ClientAction,
  ClientView,
  CreateClassResponse,
  CsrView,
  Debrief,
  Endpoint,
  FieldNode,
  GameClientMessages,
  GameCreateOptions,
  GameJoinOptions,
  GameServerMessages,
  JsonPatchOperation,
  Level,
  MessageType,
  Outcome,
  PacketDetail,
  ParcelLook,
  ParcelView,
  ProtocolError,
  Role,
  RoleView,
  RoundResult,
  ServerAction,
  ServerView,
  SpectatorScope,
  SpectatorView,
  SubstituteMode,
  TimelineEvent,
  ViewFor,
} from '@heist/shared';
export { ATTACKER_BEHAVIOURS, CA_BEHAVIOURS, CLIENT_BEHAVIOURS, LEVELS, OUTCOMES, ROLES, SUBSTITUTE_MODES, SUBSTITUTE_WORDS } from '../../shared/src/round/types.ts';
export { HTTP, LIMITS, ROOM, TEAM_NAMES } from '../../shared/src/protocol.ts';
export { CA_DECISION_POINTS, OUTCOME_POINTS, OUTCOME_TITLES } from '../../shared/src/referee/points.ts';
