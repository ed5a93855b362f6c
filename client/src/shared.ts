/**
 * Everything the client takes from the shared contracts, in one place. Types only, plus the
 * few constants the UI needs; the browser never runs the rules engine or the crypto.
 */
export type {
  AnyAction,
  AttackerAction,
  AttackerBehaviour,
  AttackerView,
  BotBehaviours,
  CaAction,
  CaView,
  CheckResult,
  ClientAction,
  ClientView,
  CsrView,
  Debrief,
  Endpoint,
  Level,
  Outcome,
  PacketDetail,
  ParcelLook,
  ParcelView,
  Role,
  RoleView,
  RoundResult,
  ServerAction,
  ServerView,
  SubstituteMode,
  TimelineEvent,
  ViewFor,
  ActionError,
} from '../../shared/src/round/types.ts';
export type { FieldNode, MessageType } from '../../shared/src/messages/types.ts';
export type {
  ClassClientMessages,
  ClassServerMessages,
  GameClientMessages,
  GameServerMessages,
  GameCreateOptions,
  GameJoinOptions,
  ClassJoinOptions,
  CreateClassResponse,
  SpectatorView,
  ProtocolError,
} from '../../shared/src/protocol.ts';
export {
  ATTACKER_BEHAVIOURS,
  CA_BEHAVIOURS,
  CLIENT_BEHAVIOURS,
  LEVELS,
  OUTCOMES,
  ROLES,
} from '../../shared/src/round/types.ts';
export { HTTP, LIMITS, ROOM } from '../../shared/src/protocol.ts';
export { CA_DECISION_POINTS, OUTCOME_POINTS, OUTCOME_TITLES } from '../../shared/src/referee/points.ts';
