/**
 * The round's public API: create it, apply a seat's action, let time pass. Everything a
 * room needs; nothing here knows about sockets.
 */
import { applyAttackerAction } from './attacker-actions.ts';
import { inFlight, nextDue } from './network.ts';
import { caDecide, clientSendOrder, clientStep, deliver, serverAbort, serverRequestCertificate } from './parties.ts';
import { judge } from '../referee/referee.ts';
import { log, type Round } from './state.ts';
import type { ActionError, AnyAction, AttackerAction, CaAction, ClientAction, Role, ServerAction } from './types.ts';

export { createRound, DEFAULT_CONFIG, type Round, type RoundConfig } from './state.ts';

const err = (code: ActionError['code'], message: string): ActionError => ({ code, message });

function clientAction(round: Round, action: ClientAction): ActionError | null {
  const c = round.client;
  const closed = c.failure !== undefined || c.response !== undefined;
  switch (action.type) {
    case 'connect':
      if (c.connected) return err('wrongPhase', 'already connected');
      c.connected = true;
      log(round, 'client', `Connecting to ${c.config.serverName}…`, ['client']);
      clientStep(round, { kind: 'start' });
      return null;
    case 'trust':
      if (!c.decision) return err('outOfTurn', 'there is nothing to decide right now');
      clientStep(round, { kind: 'decide', trust: true });
      return null;
    case 'abort':
      if (!c.connected || closed) return err('wrongPhase', 'there is no open connection to abort');
      clientStep(round, c.decision ? { kind: 'decide', trust: false } : { kind: 'abort' });
      return null;
    case 'sendSecret':
      if (c.state.kind !== 'Traffic') return err('outOfTurn', 'the connection is not established yet');
      if (c.orderSent) return err('wrongPhase', 'the transfer was already sent');
      clientSendOrder(round);
      return null;
  }
}

function serverAction(round: Round, action: ServerAction): ActionError | null {
  const s = round.server;
  switch (action.type) {
    case 'requestCertificate':
      if (round.config.level < 4) return err('notAllowed', 'no certificates before level 4');
      if (s.csr === 'pending' || s.csr === 'issued') return err('wrongPhase', `certificate already ${s.csr}`);
      serverRequestCertificate(round);
      return null;
    case 'abort':
      if (s.failure) return err('wrongPhase', 'already closed');
      serverAbort(round);
      return null;
  }
}

function caAction(round: Round, action: CaAction): ActionError | null {
  const request = round.ca.requests[action.csrId - 1];
  if (!request) return err('notFound', `no request #${action.csrId}`);
  if (request.decision !== 'pending') return err('wrongPhase', `request #${action.csrId} was already ${request.decision}`);
  caDecide(round, action.csrId, action.type === 'sign');
  return null;
}

/** Applies a validated action for the seat `role`; a typed error leaves the round unchanged. */
export function applyAction(round: Round, role: Role, action: AnyAction, now: number): ActionError | null {
  if (round.phase !== 'playing') return err('wrongPhase', 'the round is over');
  tick(round, now);
  if (round.phase !== 'playing') return err('wrongPhase', 'the round is over');
  let result: ActionError | null;
  switch (role) {
    case 'client':
      result = clientAction(round, action as ClientAction);
      break;
    case 'server':
      result = serverAction(round, action as ServerAction);
      break;
    case 'ca':
      result = caAction(round, action as CaAction);
      break;
    case 'attacker':
      result = applyAttackerAction(round, action as AttackerAction);
      break;
  }
  settle(round);
  return result;
}

/** Delivers every packet due by `now`, then ends the round if its time has come. */
export function tick(round: Round, now: number): void {
  if (round.phase !== 'playing') return;
  for (let guard = 0; guard < 10_000; guard++) {
    const next = nextDue(round, now);
    if (!next) break;
    round.now = Math.max(round.now, next.arriveAt);
    deliver(round, next);
    settle(round);
  }
  round.now = Math.max(round.now, now);
  settle(round);
}

function conversationOver(round: Round): boolean {
  const { client, server } = round;
  return client.response !== undefined || client.failure !== undefined || server.failure !== undefined;
}

function settle(round: Round): void {
  if (round.phase !== 'playing') return;
  if (round.closingAt === undefined && conversationOver(round)) round.closingAt = round.now + round.config.graceMs;
  const closing = round.closingAt !== undefined && round.now >= round.closingAt && inFlight(round).length === 0;
  if (closing || round.now >= round.endsAt) finish(round);
}

function finish(round: Round): void {
  round.phase = 'over';
  round.result = judge(round);
  log(round, 'referee', `${round.result.summary}`, ['client', 'server', 'ca', 'attacker'], round.result.outcome === 'secure' || round.result.outcome === 'attackDetected' ? 'success' : 'failure');
}

/** When `tick` next has work: a packet arriving, the grace period ending, or the timer. */
export function nextEventAt(round: Round): number | null {
  if (round.phase !== 'playing') return null;
  let t = round.endsAt;
  for (const p of inFlight(round)) t = Math.min(t, p.arriveAt);
  if (round.closingAt !== undefined && round.closingAt > round.now) t = Math.min(t, round.closingAt);
  return t;
}

export function isOver(round: Round): boolean {
  return round.phase === 'over';
}
