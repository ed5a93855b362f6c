/**
 * One entry point per side: `clientHandle` and `serverHandle` route an event to the level's
 * state machine, after the rules every level shares (abort, alerts, application data, and
 * the plain-HTTP "downgrade" offer an SSL-stripping attacker makes).
 */
import type { MessageOf } from '../messages/types.ts';
import { type Failure } from './failures.ts';
import { level1ClientStart, level1ServerInitial } from './level1-http.ts';
import { level2ClientStart, level2ServerReceive, type Level2ServerState } from './level2-symmetric.ts';
import { level3ClientReceive, level3ClientStart, level3ServerReceive, type Level3ClientState, type Level3ServerState } from './level3-public-key.ts';
import { level4ClientDecide, level4ClientReceive, level4ClientStart, level4ServerReceive, type Level4ClientState, type Level4ServerState } from './level4-tls12.ts';
import { level5ClientDecide, level5ClientReceive, level5ClientStart, level5ServerReceive, type Level5ClientState, type Level5ServerState } from './level5-tls13.ts';
import { fail, trafficReceive, trafficSend } from './traffic.ts';
import { emptyOutput, type ClientConfig, type ClientEvent, type Failed, type HandshakeContext, type ServerConfig, type ServerEvent, type Step, type Traffic } from './types.ts';

/** Before the player connects; and, after an HTTP answer to our handshake, the question whether to go on without HTTPS. */
type ClientExtra = { kind: 'Idle' } | { kind: 'ExpectDowngradeDecision'; offer: MessageOf<'HttpResponse'> };
export type ClientState = ClientExtra | Level3ClientState | Level4ClientState | Level5ClientState;
export type ServerState = Level2ServerState | Level3ServerState | Level4ServerState | Level5ServerState;
export type ClientStateKind = ClientState['kind'];

export function clientInitial(): ClientState {
  return { kind: 'Idle' };
}

export function serverInitial(config: ServerConfig): ServerState {
  switch (config.level) {
    case 1:
      return level1ServerInitial();
    case 2:
      return { kind: 'ExpectKeyTransport' };
    case 3:
    case 4:
    case 5:
      return { kind: 'ExpectClientHello' };
  }
}

/** What every machine does alike, whatever its level and side; undefined leaves the event to the machine. */
function commonRules(state: ClientState | ServerState, event: ClientEvent | ServerEvent): Step<Failed | Traffic> | undefined {
  if (state.kind === 'Failed') return { state, out: emptyOutput() };
  switch (event.kind) {
    case 'abort':
      return fail({ reason: 'userAborted' });
    case 'malformed':
      return fail({ reason: 'decodeError', detail: event.detail });
    case 'send':
      if (state.kind !== 'Traffic') return fail({ reason: 'unexpectedMessage', expected: 'an established session', got: event.message.type });
      return trafficSend(state, event.message);
    case 'receive':
      if (event.message.type === 'Alert') return fail({ reason: 'peerAlert', description: event.message.description });
      if (state.kind === 'Traffic') return trafficReceive(state, event.message);
      return undefined;
    default:
      return undefined;
  }
}

export function clientHandle(state: ClientState, event: ClientEvent, ctx: HandshakeContext, config: ClientConfig): Step<ClientState> {
  const common = commonRules(state, event);
  if (common) return common;
  switch (event.kind) {
    case 'start':
      if (state.kind !== 'Idle') return { state, out: emptyOutput() };
      return clientStart(ctx, config);
    case 'decide':
      if (state.kind === 'ExpectDowngradeDecision') {
        if (!event.trust) return fail({ reason: 'downgradeRefused' });
        const out = emptyOutput();
        out.log.push('Went on over plain HTTP, without a lock.');
        return { state: { kind: 'Traffic', sendKeys: null, receiveKeys: null }, out };
      }
      if (state.kind === 'ExpectDecision' && config.level === 4) return level4ClientDecide(state as Level4ClientState, event.trust, ctx);
      if (state.kind === 'ExpectDecision' && config.level === 5) return level5ClientDecide(state as Level5ClientState, event.trust, ctx, config);
      return { state, out: emptyOutput() };
    case 'receive': {
      const m = event.message;
      if (state.kind === 'Idle') return fail({ reason: 'unexpectedMessage', expected: 'nothing yet', got: m.type });
      if (m.type === 'HttpResponse' && state.kind !== 'ExpectDowngradeDecision') {
        const out = emptyOutput();
        out.decision = {
          prompt: `The bank answered in plain HTTP: "${m.body}". Continue without HTTPS?`,
          checks: [{ check: 'downgrade', passed: false, detail: 'answer came over plain HTTP, without a lock' }],
        };
        out.log.push('An unencrypted HTTP answer arrived in place of the handshake.');
        return { state: { kind: 'ExpectDowngradeDecision', offer: m }, out };
      }
      switch (config.level) {
        case 3:
          return level3ClientReceive(state as Level3ClientState, m, ctx);
        case 4:
          return level4ClientReceive(state as Level4ClientState, m, ctx, config);
        case 5:
          return level5ClientReceive(state as Level5ClientState, m, ctx, config);
        default:
          return fail({ reason: 'unexpectedMessage', expected: 'nothing', got: m.type });
      }
    }
  }
  return { state, out: emptyOutput() }; // every other event was answered by commonRules
}

function clientStart(ctx: HandshakeContext, config: ClientConfig): Step<ClientState> {
  switch (config.level) {
    case 1:
      return level1ClientStart();
    case 2:
      return level2ClientStart(ctx);
    case 3:
      return level3ClientStart(ctx, config.serverName);
    case 4:
      return level4ClientStart(ctx, config);
    case 5:
      return level5ClientStart(ctx, config);
  }
}

export function serverHandle(state: ServerState, event: ServerEvent, ctx: HandshakeContext, config: ServerConfig): Step<ServerState> {
  const common = commonRules(state, event);
  if (common) return common;
  switch (event.kind) {
    case 'receive': {
      const m = event.message;
      switch (config.level) {
        case 2:
          return level2ServerReceive(state as { kind: 'ExpectKeyTransport' }, m);
        case 3:
          return level3ServerReceive(state as Level3ServerState, m, config);
        case 4:
          return level4ServerReceive(state as Level4ServerState, m, ctx, config);
        case 5:
          return level5ServerReceive(state as Level5ServerState, m, ctx, config);
        default:
          return fail({ reason: 'unexpectedMessage', expected: 'nothing', got: m.type });
      }
    }
  }
  return { state, out: emptyOutput() }; // every other event was answered by commonRules
}

export type { Failure };
