/**
 * How a level's handshake machines meet the round. Each level defines its own closed union of
 * in-progress states S (rustls style: a state per thing awaited) and a function per event;
 * `clientSide` / `serverSide` wrap them into a `Connection` whose state type stays inside its
 * level, so the round dispatches without knowing — or casting — any level's states.
 *
 * The rules every machine shares run here first: a failed side stays failed; abort and
 * undecodable bytes fail it; close ends it with close_notify; an alert from the peer ends it; once in Traffic, records are
 * sealed and opened by `traffic.ts`.
 */
import { encodeInner } from '../messages/codec.ts';
import type { Message } from '../messages/types.ts';
import { CONTENT_TYPE, sealRecord, type RecordKeys } from './record.ts';
import { fail, trafficKeyUpdate, trafficReceive, trafficSend, trafficWrite } from './traffic.ts';
import { clockMs } from './tls13-tickets.ts';
import {
  emptyOutput,
  isFailed,
  isTraffic,
  type ClientConfig,
  type ClientEvent,
  type HandshakeContext,
  type Output,
  type Phase,
  type ServerConfig,
  type ServerEvent,
  type Step,
} from './types.ts';

/** The client side of one level: how it opens, reacts to a message, and takes the player's decision. */
export interface ClientMachine<S extends { kind: string }> {
  start(ctx: HandshakeContext, config: ClientConfig): Step<Phase<S>>;
  receive(state: S, message: Message, ctx: HandshakeContext, config: ClientConfig): Step<Phase<S>>;
  /** Only called while `awaitsDecision(state)`. */
  decide(state: S, trust: boolean, ctx: HandshakeContext, config: ClientConfig): Step<Phase<S>>;
  awaitsDecision(state: S): boolean;
  /** The keys this side's records are sealed with in a handshake state, once it has switched (its alerts go under them). */
  writeKeys?(state: S): RecordKeys | undefined;
}

/** The server side of one level. */
export interface ServerMachine<S extends { kind: string }> {
  initial(config: ServerConfig): Phase<S>;
  receive(state: S, message: Message, ctx: HandshakeContext, config: ServerConfig): Step<Phase<S>>;
  /** States in which no client has spoken yet (the bank just listens). */
  listening(state: S): boolean;
  /** As ClientMachine.writeKeys. */
  writeKeys?(state: S): RecordKeys | undefined;
}

/** Where a side of a connection stands, as views and the referee need it. */
export type Stage = 'listening' | 'handshaking' | 'awaitingDecision' | 'traffic' | 'failed';

/** One side of a connection in progress: its state's type is its level's own. */
export interface Connection<E, C> {
  /** The state's name, e.g. 'ExpectServerHello' (for logs and tests). */
  readonly kind: string;
  readonly stage: Stage;
  /** In Traffic with record keys (false for plain HTTP). */
  readonly encrypted: boolean;
  handle(event: E, ctx: HandshakeContext, config: C): { next: Connection<E, C>; out: Output };
}
export type ClientConnection = Connection<ClientEvent, ClientConfig>;
export type ServerConnection = Connection<ServerEvent, ServerConfig>;

/** A level's client, as the round starts it. */
export interface ClientSide {
  start(ctx: HandshakeContext, config: ClientConfig): { connection: ClientConnection; out: Output };
}
/** A level's server, as the round sets it up. */
export interface ServerSide {
  initial(config: ServerConfig): ServerConnection;
}

function stageOf<S extends { kind: string }>(state: Phase<S>, awaitsDecision: (s: S) => boolean, listening: (s: S) => boolean): Stage {
  if (isFailed(state)) return 'failed';
  if (isTraffic(state)) return 'traffic';
  if (awaitsDecision(state)) return 'awaitingDecision';
  return listening(state) ? 'listening' : 'handshaking';
}

const never = () => false;

/**
 * RFC 5246 §7.2 and RFC 8446 §6: an alert is protected "as specified by the current connection
 * state" — once a side writes under record keys (TLS 1.2 after its ChangeCipherSpec, TLS 1.3
 * after its Finished, and in Traffic), its alert goes sealed under them. A plain alert there is
 * not read as one: OpenSSL refuses it as a record of the wrong type.
 */
function sealAlerts(step: { out: Output }, keys: RecordKeys | null | undefined): void {
  if (!keys || !step.out.failure) return;
  step.out.send = step.out.send.map((m) => (m.type === 'Alert' ? sealRecord(keys, encodeInner(m), CONTENT_TYPE.alert).record : m));
}

function writeKeysOf<S extends { kind: string }>(state: Phase<S>, of: ((s: S) => RecordKeys | undefined) | undefined): RecordKeys | null | undefined {
  if (isFailed(state)) return undefined;
  if (isTraffic(state)) return state.sendKeys;
  return of?.(state);
}

/** The rules every side shares; undefined leaves the event to the level's machine. */
function sharedRules<S extends { kind: string }>(state: Phase<S>, event: ClientEvent | ServerEvent, ctx: HandshakeContext, config: ClientConfig | ServerConfig): Step<Phase<S>> | undefined {
  if (isFailed(state)) return { state, out: emptyOutput() };
  switch (event.kind) {
    case 'abort':
      return fail({ reason: 'userAborted' });
    case 'close':
      return fail({ reason: 'closed' });
    case 'malformed':
      return fail(event.overflow ? { reason: 'recordOverflow', detail: event.detail } : { reason: 'decodeError', detail: event.detail });
    case 'keyUpdate':
      return isTraffic(state) ? trafficKeyUpdate(state, event.requestPeer) : { state, out: emptyOutput() };
    case 'send':
      if (!isTraffic(state)) return fail({ reason: 'unexpectedMessage', expected: 'an established session', got: event.message.type });
      return trafficSend(state, event.message);
    case 'write':
      if (!isTraffic(state)) return fail({ reason: 'unexpectedMessage', expected: 'an established session', got: 'EncryptedRecord' });
      return trafficWrite(state, event.data);
    case 'receive':
      if (event.message.type === 'Alert') return fail({ reason: 'peerAlert', description: event.message.description });
      if (isTraffic(state)) return trafficReceive(state, event.message, clockMs(ctx), config.applicationData ?? 'http');
      return undefined;
    case 'decide':
      return undefined;
  }
}

/** How one side's connection steps: its stage, the level machine's step, and the keys it writes under. */
interface Side<S extends { kind: string }, E, C> {
  stage(state: Phase<S>): Stage;
  step(state: Phase<S>, event: E, ctx: HandshakeContext, config: C): Step<Phase<S>>;
  writeKeys?(state: S): RecordKeys | undefined;
}

/** Either side's connection: the rules every side shares first, then its level's machine; its alerts sealed once it writes under keys. */
function connection<S extends { kind: string }, E extends ClientEvent | ServerEvent, C extends ClientConfig | ServerConfig>(side: Side<S, E, C>, state: Phase<S>): Connection<E, C> {
  return {
    kind: state.kind,
    stage: side.stage(state),
    encrypted: isTraffic(state) && state.receiveKeys !== null,
    handle(event, ctx, config) {
      const step = sharedRules(state, event, ctx, config) ?? side.step(state, event, ctx, config);
      sealAlerts(step, writeKeysOf(state, side.writeKeys));
      return { next: connection(side, step.state), out: step.out };
    },
  };
}

function clientConnection<S extends { kind: string }>(machine: ClientMachine<S>, state: Phase<S>): ClientConnection {
  return connection<S, ClientEvent, ClientConfig>(
    { stage: (s) => stageOf(s, (x) => machine.awaitsDecision(x), never), step: (s, event, ctx, config) => clientStep(machine, s, event, ctx, config), writeKeys: machine.writeKeys },
    state,
  );
}

function clientStep<S extends { kind: string }>(machine: ClientMachine<S>, state: Phase<S>, event: ClientEvent, ctx: HandshakeContext, config: ClientConfig): Step<Phase<S>> {
  if (isFailed(state) || isTraffic(state)) return { state, out: emptyOutput() }; // answered by sharedRules
  switch (event.kind) {
    case 'receive':
      return machine.receive(state, event.message, ctx, config);
    case 'decide':
      return machine.awaitsDecision(state) ? machine.decide(state, event.trust, ctx, config) : { state, out: emptyOutput() };
    default:
      return { state, out: emptyOutput() };
  }
}

function serverConnection<S extends { kind: string }>(machine: ServerMachine<S>, state: Phase<S>): ServerConnection {
  return connection<S, ServerEvent, ServerConfig>(
    { stage: (s) => stageOf(s, never, (x) => machine.listening(x)), step: (s, event, ctx, config) => serverStep(machine, s, event, ctx, config), writeKeys: machine.writeKeys },
    state,
  );
}

function serverStep<S extends { kind: string }>(machine: ServerMachine<S>, state: Phase<S>, event: ServerEvent, ctx: HandshakeContext, config: ServerConfig): Step<Phase<S>> {
  if (isFailed(state) || isTraffic(state) || event.kind !== 'receive') return { state, out: emptyOutput() };
  return machine.receive(state, event.message, ctx, config);
}

export function clientSide<S extends { kind: string }>(machine: ClientMachine<S>): ClientSide {
  return {
    start(ctx, config) {
      const step = machine.start(ctx, config);
      return { connection: clientConnection(machine, step.state), out: step.out };
    },
  };
}

export function serverSide<S extends { kind: string }>(machine: ServerMachine<S>): ServerSide {
  return { initial: (config) => serverConnection(machine, machine.initial(config)) };
}

/** Adds one step's output to another (level 5 replays the records it parked during a decision). */
export function mergeInto(into: Output, from: Output): void {
  into.send.push(...from.send);
  into.delivered.push(...from.delivered);
  if (from.data) (into.data ??= []).push(...from.data);
  into.log.push(...from.log);
  into.checks.push(...from.checks);
  into.keyLog.push(...from.keyLog);
  Object.assign(into.learned, from.learned);
  into.failure ??= from.failure;
  into.decision ??= from.decision;
  into.sessionTicket ??= from.sessionTicket;
}

