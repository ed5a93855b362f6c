/**
 * Which actions each seat may take right now, and why not the others: the one source of both
 * the views' `allowed` lists (the panels offer exactly these) and of `applyAction`'s refusals.
 * Checks that need the action's arguments (which packet, which request) come after, in the
 * action itself.
 */
import { hasHsts } from '../handshake/http-first.ts';
import { revocationRefused } from '../handshake/revocation.ts';
import { packetById } from './network.ts';
import { gameTime, isHuman, type Round } from './state.ts';
import { left, limitWords, type Budget } from './limits.ts';
import { sitsOut } from './hidden-attacker.ts';
import { firstFlight } from './early-data.ts';
import { ACTION_TYPES, actionError as no, type ActionError, type ActionType, type AttackerActionType, type Role } from './types.ts';


/** The attacker's tools this round: her level's, and — where Alice sends 0-RTT early data (the early-data event) — a copy of her first flight. */
export function attackerTools(round: Round): readonly AttackerActionType[] {
  return round.client.config.resumption?.earlyData ? [...round.module.attackerTools, 'replayFirstFlight'] : round.module.attackerTools;
}

/** Attacker tools a level may not offer, and how the refusal reads. */
const ABSENT_TOOL: Partial<Record<AttackerActionType, string>> = {
  tryKey: 'nothing is encrypted at this level: just read the packets',
  substitute: 'nothing to substitute: at this level no key is exchanged',
  strip: 'nothing to strip: at this level the browser never asks for https://, so there is no upgrade to hide',
  requestCertificate: 'there is no CA at this level',
};

/** What may be done while preparing: the bank's certificate, the CA's decisions, the attacker's set-up. */
const PREPARATION: ReadonlySet<ActionType> = new Set<ActionType>(['ready', 'answerPortal', 'requestCertificate', 'chooseChain', 'chooseTickets', 'investigate', 'sign', 'refuse', 'answerRevocation', 'setIntercept', 'substitute', 'strip', 'call']);

/** A refusal when `role` has spent `budget` this round. */
function spent(round: Round, role: Role, budget: Budget): ActionError | null {
  return left(round, role, budget) > 0 ? null : no('notAllowed', limitWords(budget));
}

function passed(round: Round, packetId: number | undefined): boolean {
  return packetId !== undefined && packetById(round, packetId)?.status !== 'held';
}

const PORTAL_FIRST = 'the café Wi-Fi’s page is waiting for your answer: install its certificate or refuse it first';

function clientRefusal(round: Round, type: ActionType<'client'>): ActionError | null {
  const c = round.client;
  const closed = c.failure !== undefined || c.response !== undefined;
  // The rogue-root event's captive portal stands between her and the Wi-Fi until she answers it.
  const portalWaits = c.portal !== undefined && c.portal.answer === undefined;
  switch (type) {
    case 'ready':
      return portalWaits ? no('outOfTurn', PORTAL_FIRST) : null;
    case 'answerPortal':
      if (!c.portal) return no('notAllowed', 'there is no captive portal this round: the café Wi-Fi lets you straight on');
      return c.portal.answer ? no('wrongPhase', `you already ${c.portal.answer} the café certificate`) : null;
    case 'connect':
      if (c.connection) return no('wrongPhase', 'already connected');
      return portalWaits ? no('outOfTurn', PORTAL_FIRST) : null;
    case 'trust':
      if (!c.decision) return no('outOfTurn', 'there is nothing to decide right now');
      // A revoked certificate, or one without the OCSP answer a hard-fail browser requires: browsers offer no way through.
      if (c.decision.kind === 'certificate' && revocationRefused(c.decision.checks)) return no('notAllowed', 'the certificate’s revocation check failed: browsers offer no way through, only back');
      // RFC 6797 §8.4 and §12.1: for a Known HSTS Host, any error of the secure connection ends it, with no user recourse.
      if (c.decision.kind === 'certificate' && hasHsts(c.config, gameTime(round))) {
        return no('notAllowed', `${c.config.serverName} is on your browser’s HSTS list: on a certificate error it offers no way through, only back (RFC 6797 §12.1)`);
      }
      return null;
    case 'abort':
      return !c.connection || closed || c.connection.stage === 'failed' ? no('wrongPhase', 'there is no open connection to abort') : null;
    case 'sendSecret':
      if (c.connection?.stage !== 'traffic') return no('outOfTurn', 'the connection is not established yet');
      return c.orderSent ? no('wrongPhase', 'the transfer was already sent') : null;
  }
}

function serverRefusal(round: Round, type: ActionType<'server'>): ActionError | null {
  const s = round.server;
  switch (type) {
    case 'ready':
      return bankUnprepared(round);
    case 'requestCertificate':
      if (!round.module.caPlays) return no('notAllowed', 'there is no CA at this level');
      if (s.csr === 'pending') return no('wrongPhase', 'a request is already waiting for the CA');
      // While preparing, a bank that asked for the wrong thing may ask again; once Alice may connect, its certificate stays.
      if (s.csr === 'issued' && round.phase !== 'preparing') return no('wrongPhase', 'play has begun: the bank keeps the certificate it has');
      return spent(round, 'server', 'certificateRequests');
    case 'chooseChain':
      if (!round.module.caPlays) return no('notAllowed', 'there is no CA at this level');
      if (s.csr !== 'issued') return no('outOfTurn', 'no certificate yet: once the CA has signed one, choose what your server sends with it');
      if (s.chainReceived.length === 0) return no('notAllowed', 'no chain to send: the root CA signed your certificate itself, and every browser has the root');
      // Once a client has reached the bank, its server sends what was set up.
      return round.phase === 'preparing' || s.connection.stage === 'listening' ? null : no('wrongPhase', 'a connection has begun: your server sends what you chose');
    case 'chooseTickets':
      if (!s.config.tickets) return no('notAllowed', 'your server issues no session tickets this round');
      return round.phase === 'preparing' ? null : no('wrongPhase', 'play has begun: your server keeps the ticket rule you set');
    case 'abort':
      if (s.failure) return no('wrongPhase', 'already closed');
      return s.connection.stage === 'listening' || s.peer === undefined ? no('wrongPhase', 'no client has connected yet') : null;
  }
}

/**
 * Where a CA plays, a bank is ready only with its certificate: without one it cannot answer
 * Alice's handshake, and the round would wait out its timer. A bank the CA refused that has no
 * request left is ready as it is (a bot bank is "prepared" then too), so it cannot stall the room.
 */
function bankUnprepared(round: Round): ActionError | null {
  const s = round.server;
  if (s.csr === 'issued' && s.chainReceived.length > 0 && s.fullChain === undefined) {
    return no('outOfTurn', `choose what your server sends: your certificate alone, or with ${s.chainReceived.map((c) => c.subject).join(' and ')}’s after it`);
  }
  if (!round.module.caPlays || s.csr === 'issued') return null;
  if (s.csr === 'pending') return no('outOfTurn', 'wait for the CA’s answer to your request first: without a certificate the bank cannot answer Alice');
  if (left(round, 'server', 'certificateRequests') === 0) return null;
  return s.csr === 'refused'
    ? no('outOfTurn', 'the CA refused your request: ask again (check the name and the key) before you say you are ready')
    : no('outOfTurn', 'ask the CA for a certificate first: without one the bank cannot answer Alice');
}

function caRefusal(round: Round, type: ActionType<'ca'>): ActionError | null {
  const revocation = round.ca.revocation;
  // The leaked-key event: the bank's request is the CA's to answer before play (its responder's word decides what Alice's browser hears).
  if (type === 'ready') return revocation?.decision === 'pending' ? no('outOfTurn', 'answer the bank’s request to revoke its old certificate first') : null;
  if (type === 'answerRevocation') {
    if (!revocation) return no('notAllowed', 'nobody has asked you to revoke a certificate this round');
    return revocation.decision === 'pending' ? null : no('wrongPhase', `you already ${revocation.decision === 'revoked' ? 'revoked' : 'refused to revoke'} that certificate`);
  }
  if (!round.module.caPlays) return no('notAllowed', 'there is no CA at this level');
  return round.ca.requests.some((r) => r.decision === 'pending') ? null : no('outOfTurn', 'no request is waiting for a decision');
}

/** The attacker seat of a hidden-attacker room without an attacker: off the Wi-Fi, it may only call (a person, while the round prepares) or say it is ready. */
function sittingOutRefusal(round: Round, type: AttackerActionType): ActionError | null {
  switch (type) {
    case 'ready':
      return null;
    case 'call':
      if (!isHuman(round, 'attacker')) return no('notAllowed', 'a bot seat makes no call');
      if (round.attacker.call) return no('wrongPhase', 'you have made your call');
      return round.phase === 'preparing' ? null : no('wrongPhase', 'calls are made before play begins');
    default:
      return no('notAllowed', 'no attack from your room this round: you are off the café Wi-Fi');
  }
}

function attackerRefusal(round: Round, type: AttackerActionType): ActionError | null {
  const a = round.attacker;
  if (sitsOut(round)) return sittingOutRefusal(round, type);
  if (!attackerTools(round).includes(type)) return no('notAllowed', ABSENT_TOOL[type] ?? `${type} is not a tool at this level`);
  const nothingHeld = a.intercept ? 'nothing is held yet: packets stop at your tap as they arrive' : 'nothing is held: turn intercept on to stop packets at your tap';
  switch (type) {
    case 'ready':
    case 'setIntercept':
      return null;
    case 'inject':
      return spent(round, 'attacker', 'injections') ?? spent(round, 'attacker', 'bytes');
    case 'forward':
    case 'forwardAll':
    case 'drop':
      return a.held.length > 0 ? null : no('notAllowed', nothingHeld);
    case 'editField':
    case 'editBytes':
    case 'flipBits':
      return a.held.length > 0 ? (spent(round, 'attacker', 'edits') ?? spent(round, 'attacker', 'bytes')) : no('notAllowed', nothingHeld);
    case 'replay':
      if (!a.captured.some((id) => packetById(round, id)?.status !== 'held')) return no('notAllowed', 'nothing has gone through your tap yet');
      return spent(round, 'attacker', 'replays') ?? spent(round, 'attacker', 'bytes');
    case 'replayFirstFlight':
      if (firstFlight(round).length === 0) return no('outOfTurn', 'Alice’s first flight has not passed your tap yet');
      if (round.server.copy) return no('wrongPhase', 'you already replayed her first flight');
      return spent(round, 'attacker', 'replays') ?? spent(round, 'attacker', 'bytes');
    case 'tryKey':
      return a.captured.length > 0 ? spent(round, 'attacker', 'keyTrials') : no('notAllowed', 'nothing captured yet');
    case 'substitute':
      if (a.proxy) return no('notAllowed', 'your proxy already holds this connection');
      return passed(round, round.client.firstHandshakePacket)
        ? no('wrongPhase', "too late: the client's first handshake message already passed. The proxy must be on before it does (hold it with intercept).")
        : null;
    case 'strip':
      if (a.stripping) return no('wrongPhase', 'already stripping');
      return passed(round, round.client.firstPacket) ? no('wrongPhase', "too late: the client's first request already passed your tap") : null;
    case 'requestCertificate':
      return spent(round, 'attacker', 'certificateRequests');
    case 'submitSecret':
      return spent(round, 'attacker', 'guesses');
    case 'done':
      return round.closingAt === undefined ? no('wrongPhase', 'the conversation is not over yet: say you are done once it is') : null;
    case 'call':
      return no('notAllowed', 'only a team with no attack in its room calls');
  }
}

/** Why `role` may not take an action of `type` now; null when it may. */
export function refusal(round: Round, role: Role, type: ActionType): ActionError | null {
  if (round.phase === 'over') return no('wrongPhase', 'the round is over');
  if (type === 'ready') {
    if (round.phase !== 'preparing') return no('wrongPhase', 'play has already begun');
    if (!isHuman(round, role)) return no('notAllowed', 'a bot seat is ready by itself once prepared');
    if (round.ready.has(role)) return no('wrongPhase', 'you are ready already');
  }
  if (left(round, role, 'moves') === 0) return no('notAllowed', limitWords('moves'));
  if (round.phase === 'preparing' && !PREPARATION.has(type)) {
    return no('wrongPhase', role === 'client' ? 'the bank is still getting its certificate: you can connect once play begins' : 'play has not begun yet');
  }
  switch (role) {
    case 'client':
      return isOf('client', type) ? clientRefusal(round, type) : no('invalid', `a client cannot ${type}`);
    case 'server':
      return isOf('server', type) ? serverRefusal(round, type) : no('invalid', `the bank cannot ${type}`);
    case 'ca':
      return isOf('ca', type) ? caRefusal(round, type) : no('invalid', `the CA cannot ${type}`);
    case 'attacker':
      return isOf('attacker', type) ? attackerRefusal(round, type) : no('invalid', `the attacker cannot ${type}`);
  }
}

const TYPES: { [R in Role]: ReadonlySet<ActionType> } = {
  client: new Set(ACTION_TYPES.client),
  server: new Set(ACTION_TYPES.server),
  ca: new Set(ACTION_TYPES.ca),
  attacker: new Set(ACTION_TYPES.attacker),
};

function isOf<R extends Role>(role: R, type: ActionType): type is ActionType<R> {
  return TYPES[role].has(type);
}

/** The actions `role` may take now, in the order its panel offers them. */
export function allowedActions(round: Round, role: Role): ActionType[] {
  return ACTION_TYPES[role].filter((type) => refusal(round, role, type) === null);
}

/** Why each action this seat has at this level is not possible now (the attacker's absent tools are left out: her panel hides them). */
export function unavailableActions(round: Round, role: Role): Partial<Record<ActionType, string>> {
  const out: Partial<Record<ActionType, string>> = {};
  for (const type of ACTION_TYPES[role]) {
    if (role === 'attacker' && !(sitsOut(round) ? type === 'call' || type === 'ready' : attackerTools(round).some((t) => t === type))) continue;
    const why = refusal(round, role, type);
    if (why) out[type] = why.message;
  }
  return out;
}
