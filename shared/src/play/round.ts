/**
 * The round's public API: create it, apply a seat's action, let time pass, begin play. Everything
 * a room needs; nothing here knows about sockets. A round opens in `preparing` (the bank gets
 * its certificate, the attacker sets up; the client cannot connect yet) and plays once every
 * human seat is ready, the host starts play, or the preparation time runs out.
 */
import { applyAttackerAction } from '../round/attacker-actions.ts';
import { refusal } from '../round/allowed.ts';
import { inFlight, nextDue, packetById, release } from '../round/network.ts';
import { clientConnect, clientSendOrder, clientStep } from '../round/browser.ts';
import { serverAbort, serverChooseChain, serverChooseTickets, serverRequestCertificate } from '../round/bank.ts';
import { caDecide, caInvestigate } from '../round/certification.ts';
import { deliver } from '../round/deliver.ts';
import { answerPortal } from '../round/portal.ts';
import { answerRevocation } from '../round/revocation.ts';
import { attackerMayStillProve, judge } from '../referee/referee.ts';
import { EVERYONE, isHuman, log, type Round } from '../round/state.ts';
import { readableOnTheWire } from '../round/hidden-attacker.ts';
import { announcePlay, type PlayBeginsBecause } from '../round/play-begins.ts';
import { isActionError, parseAttackerAction, parseCaAction, parseClientAction, parseServerAction } from '../round/validate.ts';
import { actionError as err, ROLES, type ActionError, type AnyAction, type CaAction, type ClientAction, type Role, type SeatAction, type ServerAction } from '../round/types.ts';

export { DEFAULT_CONFIG, type Round, type RoundConfig } from '../round/state.ts';
export { createRound, type RoundRsaKeys } from '../round/create.ts';

function clientAction(round: Round, action: SeatAction<ClientAction>): ActionError | null {
  const c = round.client;
  switch (action.type) {
    case 'answerPortal':
      answerPortal(round, action.install);
      return null;
    case 'connect':
      clientConnect(round);
      return null;
    case 'trust':
      clientStep(round, { kind: 'decide', trust: true });
      return null;
    case 'abort':
      clientStep(round, c.decision ? { kind: 'decide', trust: false } : { kind: 'abort' });
      return null;
    case 'sendSecret':
      clientSendOrder(round);
      return null;
  }
}

function serverAction(round: Round, action: SeatAction<ServerAction>): ActionError | null {
  switch (action.type) {
    case 'requestCertificate':
      serverRequestCertificate(round, action.subject, action.key);
      return null;
    case 'chooseChain':
      serverChooseChain(round, action.fullChain);
      return null;
    case 'chooseTickets':
      serverChooseTickets(round, action.singleUse);
      return null;
    case 'abort':
      serverAbort(round);
      return null;
  }
}

function caAction(round: Round, action: SeatAction<CaAction>): ActionError | null {
  if (action.type === 'answerRevocation') {
    answerRevocation(round, action.revoke);
    return null;
  }
  const request = round.ca.requests[action.csrId - 1];
  if (!request) return err('notFound', `no request #${action.csrId}`);
  if (request.decision !== 'pending') return err('wrongPhase', `request #${action.csrId} was already ${request.decision}`);
  if (action.type === 'investigate') {
    if (request.investigated.includes(action.method)) return err('wrongPhase', `you already looked that up for request #${action.csrId}`);
    caInvestigate(round, action.csrId, action.method);
    return null;
  }
  // Only where a CT log runs (the event) is there a log to leave a certificate out of.
  if (action.type === 'sign' && action.log === false && !round.ctLog) return err('notAllowed', 'there is no Certificate Transparency log this round: nothing to leave the certificate out of');
  caDecide(round, action.csrId, action.type === 'sign', action.type === 'sign' && action.log === false);
  return null;
}

/** A person's name as the timeline shows it: printable, short; nothing for an empty one. */
function personName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const name = raw.replace(/[\p{C}]/gu, '').trim().slice(0, 32);
  return name === '' ? undefined : name;
}

/**
 * Applies an action for the seat `role` (validated again for that seat); a typed error leaves
 * the round unchanged. `by` names the person in the seat who took it (a team may share one
 * seat): every timeline line of that seat the action causes carries it. Bots pass none.
 */
export function applyAction(round: Round, role: Role, action: AnyAction, now: number, by?: string): ActionError | null {
  if (round.phase === 'over') return err('wrongPhase', 'the round is over');
  tick(round, now);
  const refused = refusal(round, role, action.type);
  if (refused) return refused;
  const name = personName(by);
  round.acting = name ? { role, by: name } : undefined;
  try {
    const result = act(round, role, action);
    if (!result) round.spent[role].moves++;
    return result;
  } finally {
    round.acting = undefined;
  }
}

const isSeatAction = <A extends AnyAction>(action: A): action is SeatAction<A> => action.type !== 'ready';

/** A parsed action carried out ('ready' is the same at every seat: the seat is ready), or the parse's error as it is. */
function carryOut<A extends AnyAction>(round: Round, role: Role, parsed: A | ActionError, run: (round: Round, action: SeatAction<A>) => ActionError | null): ActionError | null {
  if (isActionError(parsed)) return parsed;
  if (isSeatAction(parsed)) return run(round, parsed);
  round.ready.add(role);
  return null;
}

/** Each seat's action, checked against that seat's own schema, then carried out. */
const ACT: { readonly [R in Role]: (round: Round, action: AnyAction) => ActionError | null } = {
  client: (round, action) => carryOut(round, 'client', parseClientAction(action), clientAction),
  server: (round, action) => carryOut(round, 'server', parseServerAction(action), serverAction),
  ca: (round, action) => carryOut(round, 'ca', parseCaAction(action), caAction),
  attacker: (round, action) => carryOut(round, 'attacker', parseAttackerAction(action), applyAttackerAction),
};

function act(round: Round, role: Role, action: AnyAction): ActionError | null {
  const result = ACT[role](round, action);
  settle(round);
  return result;
}

/** Delivers every packet due by `now`, then begins play or ends the round if its time has come. */
export function tick(round: Round, now: number): void {
  if (round.phase === 'over') return;
  for (let guard = 0; guard < 10_000; guard++) {
    const next = nextDue(round, now);
    if (!next) break;
    round.now = Math.max(round.now, next.arriveAt);
    deliver(round, next);
    settle(round);
  }
  // The preparation limit may fall before `now`: play begins then, and the round timer with it.
  if (round.phase === 'preparing' && now >= round.endsAt) {
    round.now = Math.max(round.now, round.endsAt);
    beginPlay(round, 'timeUp');
  }
  round.now = Math.max(round.now, now);
  settle(round);
}

/**
 * Nobody is at Mallory's proxy any more (her player left, and no teammate is at the seat; or a
 * bot takes the seat over mid-round): it stops holding, and every packet it held goes on its
 * way, so the round does not wait out its timer for a move nobody can make. A room decides
 * when a seat is unattended; this only lets go. True if anything was held or intercepted.
 */
export function releaseUnattendedProxy(round: Round, now: number): boolean {
  tick(round, now);
  const a = round.attacker;
  if (round.phase === 'over' || (!a.intercept && a.held.length === 0)) return false;
  const held = [...a.held];
  a.intercept = false;
  for (const id of held) {
    const p = packetById(round, id);
    if (p) release(round, p);
  }
  const what = held.length === 0 ? 'nothing was held' : held.length === 1 ? `packet #${held[0]} goes on its way` : `the ${held.length} held packets go on their way`;
  log(round, 'referee', `Nobody is at Mallory's proxy any more: intercept is off, and ${what}.`, ['attacker'], 'warning');
  settle(round);
  return true;
}

/** The host starts play now, whoever is not ready yet. */
export function startPlay(round: Round, now: number): void {
  tick(round, now);
  if (round.phase === 'preparing') beginPlay(round, 'host');
}

/**
 * A bot seat is ready once its preparation is done: the client has answered any captive portal,
 * the bank holds its certificate (or was refused), the CA has no request waiting, the attacker
 * has her CA answers. A human seat says so.
 */
function prepared(round: Round, role: Role): boolean {
  if (isHuman(round, role)) return round.ready.has(role);
  switch (role) {
    case 'client':
      // The rogue-root event: the café Wi-Fi's page waits for her answer.
      return round.client.portal?.answer !== undefined || !round.client.portal;
    case 'server': {
      // Where the CA sent a chain, the bank is prepared once it has chosen what its server sends.
      const s = round.server;
      return !round.module.caPlays || (s.csr === 'issued' && (s.chainReceived.length === 0 || s.fullChain !== undefined)) || s.csr === 'refused';
    }
    case 'ca':
      return round.ca.requests.every((r) => r.decision !== 'pending');
    case 'attacker':
      return round.attacker.csrsAnswered >= round.attacker.csrsSent;
  }
}

function beginPlay(round: Round, because: PlayBeginsBecause): void {
  round.phase = 'playing';
  round.playStartedAt = round.now;
  round.endsAt = round.now + round.config.durationMs;
  announcePlay(round, because);
}

function conversationOver(round: Round): boolean {
  const { client, server } = round;
  return client.response !== undefined || client.failure !== undefined || server.failure !== undefined;
}

/**
 * The result comes as soon as the referee can judge: once the conversation is over (and its
 * last packets have arrived), at once — unless the attacker could still prove what she read;
 * then after a short countdown everyone sees, or as soon as she proves it or says she is done.
 */
function settle(round: Round): void {
  if (round.phase === 'preparing') {
    for (const role of ROLES) if (!isHuman(round, role) && prepared(round, role)) round.ready.add(role);
    if (ROLES.every((role) => prepared(round, role))) beginPlay(round, 'ready');
    return;
  }
  if (round.phase !== 'playing') return;
  if (round.now >= round.endsAt) return finish(round);
  if (!conversationOver(round) || inFlight(round).length > 0) return;
  if (!waitsForProof(round) || round.config.graceMs <= 0) return finish(round);
  if (round.closingAt === undefined) startClosing(round);
  if (round.now >= round.endsAt) finish(round);
}

/**
 * Whether the referee waits for the attacker's proof once the conversation is over. In a
 * hidden-attacker match the wait follows only what crossed the Wi-Fi readable, attacker or not,
 * and always runs its full length: neither whether it comes nor how long it lasts may tell the
 * defenders whether anyone listened.
 */
function waitsForProof(round: Round): boolean {
  return round.config.hiddenAttacker ? readableOnTheWire(round) : attackerMayStillProve(round);
}

/** The countdown for the attacker's last move; the round timer shortens to it. */
function startClosing(round: Round): void {
  const closingAt = Math.min(round.endsAt, round.now + round.config.graceMs);
  round.closingAt = closingAt;
  round.endsAt = closingAt;
  const seconds = Math.round((closingAt - round.now) / 1000);
  const hidden = round.config.hiddenAttacker;
  if (hidden) {
    // Every seat reads the same line (the projector too), attacker or not; only an attacker who is there is told to act.
    log(round, 'referee', `The conversation is over. Anyone who read the PIN on the café Wi-Fi has ${seconds} s to prove it.`, EVERYONE);
    if (hidden.present) log(round, 'referee', `You have ${seconds} s to prove what you read: submit the PIN.`, ['attacker'], 'warning');
    return;
  }
  log(round, 'referee', `The conversation is over. You have ${seconds} s to prove what you read: submit the PIN, or say you are done.`, ['attacker'], 'warning');
  log(round, 'referee', `The conversation is over. Mallory has ${seconds} s to prove what she read.`, ['client', 'server', 'ca']);
}

function finish(round: Round): void {
  round.phase = 'over';
  round.result = judge(round);
  log(round, 'referee', `${round.result.summary}`, EVERYONE, round.result.outcome === 'secure' || round.result.outcome === 'attackDetected' ? 'success' : 'failure');
}

/** When `tick` next has work: a packet arriving, the grace period ending, the preparation limit, or the timer. */
export function nextEventAt(round: Round): number | null {
  if (round.phase === 'over') return null;
  if (round.phase === 'preparing' && ROLES.every((role) => prepared(round, role))) return round.now; // play can begin at once
  let t = round.endsAt;
  for (const p of inFlight(round)) t = Math.min(t, p.arriveAt);
  return t;
}

export function isOver(round: Round): boolean {
  return round.phase === 'over';
}
