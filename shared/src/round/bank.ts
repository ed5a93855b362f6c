/**
 * The bank in the round: its server runs the level's machine on what arrives (a connection of
 * its own for a copied ClientHello where it keeps session tickets), its web application answers
 * the login page and the transfer, and it asks the CA for its certificate and chooses what its
 * server sends with it.
 */
import { bankStaple } from './revocation.ts';
import type { HttpMessage, ServerEvent } from '../handshake/types.ts';
import type { Message, MessageOf } from '../messages/types.ts';
import { certificateRequest, KEY_KINDS } from './certification.ts';
import { inspect } from './inspected.ts';
import { sendPacket, sendProxied } from './network.ts';
import { parseOrder } from './order.ts';
import { resumeProxy } from './proxy.ts';
import { contextFor, log, recordKeyLog, type Packet, type Round } from './state.ts';
import { failureLine, sealedAlert } from './step-output.ts';
import type { BankKey, Endpoint } from './types.ts';

/**
 * `replyTo`: a plain request the bank answers before any TLS connection goes back to its sender,
 * not to the connection's peer. `copy`: the step is on the connection a copy of a ClientHello
 * opened (round.server.copy), whose answers go to whoever sent the copy.
 */
export function serverStep(round: Round, event: ServerEvent, packet?: Packet, replyTo?: Endpoint, copy = false): void {
  const s = round.server;
  const current = copy ? s.copy!.connection : s.connection;
  const step = current.handle(event, contextFor(round, 'server'), s.config);
  if (copy) s.copy!.connection = step.next;
  else s.connection = step.next;
  const out = step.out;
  Object.assign(s.learned, out.learned);
  recordKeyLog(round, out.keyLog);
  s.checks.push(...out.checks);
  const where = copy ? 'A second connection (a copy of a ClientHello): ' : '';
  for (const line of out.log) log(round, 'server', `${where}${line}`, ['server']);
  const peer = copy ? s.copy!.peer : (replyTo ?? s.peer ?? 'client');
  out.send.forEach((m, i) => {
    const sent = sendPacket(round, 'server', peer, m, { apparentTo: 'client' });
    if (event.kind === 'send' && m.type === 'EncryptedRecord') s.opened.set(sent.id, { message: event.message });
    else if (sealedAlert(out, m, i)) s.opened.set(sent.id, { message: sealedAlert(out, m, i)! });
  });
  if (copy && out.checks.some((c) => c.check === 'earlyDataReplay' && !c.passed)) s.copy!.refused = 'usedTicket';
  if (copy && out.checks.some((c) => c.check === 'ticketFreshness' && !c.passed)) s.copy!.refused = 'stale';
  if (out.failure && !copy) {
    s.failure = out.failure;
    failureLine(round, 'server', out);
  }
  for (const m of out.delivered) {
    if (packet) s.opened.set(packet.id, { message: m });
    if (m.type === 'HttpRequest') answerRequest(round, m, copy);
  }
  // An answer to 0-RTT early data waits for the handshake to end (the bank sends no 0.5-RTT data).
  if (!copy && s.connection.stage === 'traffic') for (const answer of s.heldAnswers.splice(0)) serverStep(round, { kind: 'send', message: answer });
}

const LOGIN_PAGE = 'bank.example: log in with your PIN to make a transfer';

/** The bank's application: the login page; the transfer, checked against the PIN it knows for Alice. */
function answerRequest(round: Round, request: MessageOf<'HttpRequest'>, copy = false): void {
  const s = round.server;
  // Before its handshake is over (0-RTT early data) the answer waits; on a copied connection, that never ends, it never goes.
  const answer = (plain: MessageOf<'HttpResponse'>) => {
    if (copy) return;
    // RFC 6797 §7.1: the header goes on its HTTPS answers (its port 80 only redirects, §7.2).
    const response: HttpMessage = s.config.stsHeader ? { ...plain, hsts: s.config.stsHeader } : plain;
    if (s.connection.stage === 'traffic') serverStep(round, { kind: 'send', message: response });
    else s.heldAnswers.push(response);
  };
  if (request.method === 'GET' && request.path === '/') return answer({ type: 'HttpResponse', status: 200, body: LOGIN_PAGE });
  const order = parseOrder(request.body);
  if (!order) {
    s.receivedText.push(`a request it could not read: "${request.body}"`);
    return answer({ type: 'HttpResponse', status: 400, body: 'Bad request' });
  }
  s.received.push(order);
  const pinOk = order.pin === round.client.secret;
  s.receivedText.push(`PIN ${order.pin} (${pinOk ? 'correct' : 'wrong'}), pay ${order.amount} to ${order.to}`);
  log(round, 'server', `Received: PIN ${order.pin}, pay ${order.amount} to ${order.to}.`, ['server'], pinOk ? 'success' : 'warning');
  const response: MessageOf<'HttpResponse'> = pinOk
    ? { type: 'HttpResponse', status: 200, body: `Transfer of ${order.amount} to ${order.to} done` }
    : { type: 'HttpResponse', status: 403, body: 'Wrong PIN' };
  answer(response);
}

export function deliverToServer(round: Round, packet: Packet, message: Message): void {
  const s = round.server;
  if (message.type === 'CertificateIssued') {
    // A bank that staples the CA's OCSP answer (the leaked-key event) fetches one for its new certificate.
    s.config = { ...s.config, certificate: message.certificate, ...bankStaple(round, message.certificate) };
    s.chainReceived = message.chain;
    serveChain(round);
    s.csr = 'issued';
    const chain = message.chain.length === 0 ? '' : `, with the certificate of ${message.chain.map((c) => c.subject).join(' and ')}, which signed it: send it after ours`;
    log(round, 'server', `The CA issued our certificate (serial ${message.certificate.serial})${chain}.`, ['server'], 'success');
    // The hellos that waited reached the bank already and decoded (only a ClientHello waits): it takes them up again as they came.
    for (const w of s.waiting.splice(0)) {
      const waited = round.packets[w.packetId - 1]!;
      const hello = inspect(waited.bytes).message;
      if (hello) deliverToServer(round, waited, hello);
    }
    sendProxied(round, resumeProxy(round));
    return;
  }
  if (message.type === 'CertificateRefused') {
    s.csr = 'refused';
    log(round, 'server', `The CA refused our request: ${message.reason}`, ['server'], 'failure');
    return;
  }
  // A bank without its certificate keeps the hello until it has one (a human bank may be late).
  if (round.module.pki && !s.config.certificate && message.type === 'ClientHello') {
    s.waiting.push({ packetId: packet.id, from: packet.from });
    log(round, 'server', `${message.type} arrived, but we have no certificate yet: request one from the CA.`, ['server'], 'warning');
    return;
  }
  // Port 80 answers whoever asked; a TLS connection (or plain HTTP at level 1) has one peer.
  if (message.type === 'HttpRequest' && s.connection.stage === 'listening') return serverStep(round, { kind: 'receive', message }, packet, replyAddress(packet));
  // A bank that keeps session tickets serves each new ClientHello on a connection of its own: a copy of
  // Alice's first flight, sent from Mallory's own address (replayFirstFlight), opens one for her, beside Alice's.
  if (s.config.tickets && packet.origin === 'replayed' && packet.apparentFrom === 'attacker' && (message.type === 'ClientHello' || s.copy)) {
    if (message.type === 'ClientHello' && !s.copy) s.copy = { connection: round.module.server.initial(s.config), peer: packet.from };
    return serverStep(round, { kind: 'receive', message }, packet, undefined, true);
  }
  s.peer ??= replyAddress(packet);
  serverStep(round, { kind: 'receive', message }, packet);
}

/** What the bank's server sends after its certificate: the chain the CA sent, if it chose fullchain.pem; else nothing. */
function serveChain(round: Round): void {
  const s = round.server;
  const { chain: _, ...config } = s.config;
  s.config = s.fullChain && s.chainReceived.length > 0 ? { ...config, chain: s.chainReceived } : config;
}

/** The bank chooses what its server sends: its certificate and the intermediate's (fullchain.pem), or its certificate alone (cert.pem). */
export function serverChooseChain(round: Round, fullChain: boolean): void {
  const s = round.server;
  s.fullChain = fullChain;
  serveChain(round);
  const names = [s.config.certificate?.subject ?? 'our certificate', ...s.chainReceived.map((c) => c.subject)];
  log(round, 'server', fullChain ? `Our server sends the full chain: ${names.join(', then ')} (fullchain.pem).` : `Our server sends our certificate alone (cert.pem), without ${s.chainReceived.map((c) => c.subject).join(' or ')}.`, ['server']);
}

/** The bank's ticket rule (the early-data event): each ticket once (RFC 8446 §8.1), or as often as it comes; the tickets it has seen stay remembered. */
export function serverChooseTickets(round: Round, singleUse: boolean): void {
  const s = round.server;
  if (!s.config.tickets) return;
  s.config = { ...s.config, tickets: { ...s.config.tickets, antiReplay: singleUse ? 'singleUse' : 'none' } };
  log(round, 'server', singleUse ? 'Our server takes each session ticket once (single-use tickets): a copied ClientHello gets a full handshake, its early data unread.' : 'Our server takes a session ticket as often as it comes: early data with it is read every time.', ['server']);
}

/** The bank asks the CA to certify `subject` with one of its keys (by default what the level needs: a wrong choice fails the client's checks). */
export function serverRequestCertificate(round: Round, subject?: string, key?: BankKey): void {
  const s = round.server;
  const of = key ?? round.module.pki?.certificateKey.of ?? 'encryptionKey';
  const csr = certificateRequest(round, subject ?? s.config.serverName, s.config, of);
  if (!csr) return;
  s.csr = 'pending';
  s.csrsSent++;
  s.requested = { subject: csr.subject, key: of };
  sendPacket(round, 'server', 'ca', { type: 'CertificateRequest', csr });
  log(round, 'server', `Sent a certificate signing request to the CA: ${csr.subject}, our ${KEY_KINDS[of].words}.`, ['server', 'ca']);
}

export function serverAbort(round: Round): void {
  serverStep(round, { kind: 'abort' });
}

/** Replies go to the address a packet claims to come from: a spoofed one gets its answer sent to whoever it imitated; the proxy connects from its own. */
export function replyAddress(packet: Packet): Endpoint {
  return packet.origin === 'proxied' ? packet.from : packet.apparentFrom;
}
