/**
 * How the client, the bank and the CA react to what arrives and to what their players do:
 * each runs its level's state machine and the round carries out what it asks (send, log, learn).
 */
import { bankStaple } from './revocation.ts';
import { alertFor, explainFailure, failedCertificateChecks, isDetection } from '../handshake/failures.ts';
import { noteHstsHost, parseStsHeader } from '../handshake/hsts.ts';
import type { ClientEvent, HttpMessage, Output, ServerEvent } from '../handshake/types.ts';
import { toHex } from '../codec/bytes.ts';
import type { CertificateSigningRequest, KeyType, KeyUsage, Message, MessageOf } from '../messages/types.ts';
import { issueLogged, misIssuedFor, type RoundCtLog } from './ct-log.ts';
import { makeCsr } from '../pki/csr.ts';
import type { KeyPair } from '../crypto/primitives.ts';
import { inspect } from './inspected.ts';
import { sendPacket, sendProxied } from './network.ts';
import { proxyReceive, relayPlainRequest, resumeProxy } from './proxy.ts';
import { contextFor, EVERYONE, gameTime, log, recordKeyLog, type Packet, type Round } from './state.ts';
import { parseOrder, transferRequest } from './order.ts';
import { ADDRESSES, DOMAIN_OWNERS, OWNER_RECORDS } from './world.ts';
import type { BankKey, Endpoint, Investigation, Role } from './types.ts';

const DAY = 86_400;

function failureLine(round: Round, who: 'client' | 'server', out: Output): void {
  if (!out.failure) return;
  const name = who === 'client' ? 'The client' : 'The bank';
  const kind = isDetection(out.failure) ? 'failure' : 'warning';
  log(round, who, `${name} closed the connection: ${explainFailure(out.failure)}.`, EVERYONE, kind);
}

/** The player pressed Connect: the browser starts its level's first step. */
export function clientConnect(round: Round): void {
  const c = round.client;
  log(round, 'client', `Connecting to ${c.config.serverName}…`, ['client']);
  const { connection, out } = round.module.client.start(contextFor(round, 'client'), c.config);
  c.connection = connection;
  clientOutput(round, out);
}

/** Resumption with 0-RTT (the early-data event): the ClientHello that offers the ticket carries her order right behind it, as early data. */
function sendsEarlyData(out: Output): boolean {
  return out.send.some((m) => m.type === 'ClientHello' && m.extensions.some((e) => e.type === 'early_data'));
}

export function clientStep(round: Round, event: ClientEvent, packet?: Packet): void {
  const c = round.client;
  if (!c.connection) return;
  const step = c.connection.handle(event, contextFor(round, 'client'), c.config);
  c.connection = step.next;
  clientOutput(round, step.out, event, packet);
}

/** A failing side's last record is its alert, sealed once it writes under record keys (handshake/machine.ts): its sender knows what it says. */
function sealedAlert(out: Output, m: Message, i: number): MessageOf<'Alert'> | undefined {
  if (!out.failure || out.failure.reason === 'peerAlert' || m.type !== 'EncryptedRecord' || i !== out.send.length - 1) return undefined;
  return { type: 'Alert', description: alertFor(out.failure) };
}

function clientOutput(round: Round, out: Output, event?: ClientEvent, packet?: Packet): void {
  const c = round.client;
  if (c.connection?.stage === 'traffic') c.established = true;
  Object.assign(c.learned, out.learned);
  recordKeyLog(round, out.keyLog);
  c.checks.push(...out.checks);
  if (out.certificatePath && packet) c.certificatePath = { packetId: packet.id, validation: out.certificatePath };
  for (const line of out.log) log(round, 'client', line, ['client']);
  c.decision = out.decision ?? (c.connection?.stage === 'awaitingDecision' ? c.decision : undefined);
  const early = !c.orderSent && sendsEarlyData(out) ? transferRequest(c.config.serverName, c.order) : undefined;
  if (early) {
    c.orderSent = true;
    log(round, 'client', `Sent the PIN and the transfer as 0-RTT early data, right behind the ClientHello: ${early.body}`, ['client']);
  }
  out.send.forEach((m, i) => {
    const sent = sendPacket(round, 'client', 'server', m);
    if (early && m.type === 'EncryptedRecord') c.opened.set(sent.id, { message: early });
    else if (event?.kind === 'send' && m.type === 'EncryptedRecord') c.opened.set(sent.id, { message: event.message });
    else if (sealedAlert(out, m, i)) c.opened.set(sent.id, { message: sealedAlert(out, m, i)! });
  });
  for (const m of out.delivered) {
    if (packet) c.opened.set(packet.id, { message: m });
    if (m.type !== 'HttpResponse') continue;
    if (m.hsts !== undefined) noteStsHeader(round, m.hsts);
    if (!c.orderSent) {
      log(round, 'client', `The page arrived: ${m.status} ${m.body}`, ['client']);
      continue;
    }
    c.response = `${m.status} ${m.body}`;
    c.responseOrigin = packet?.origin;
    log(round, 'client', `The bank answered: ${m.status} ${m.body}`, ['client'], m.status === 200 ? 'success' : 'warning');
  }
  if (out.failure) {
    c.failure = out.failure;
    failureLine(round, 'client', out);
  }
}

/**
 * RFC 6797 §8.1: a Strict-Transport-Security header counts only when it came over HTTPS with no
 * error (a certificate clicked through is one, §8.4); then the browser notes the bank as a Known
 * HSTS Host for max-age seconds (§8.1.1). Over plain http:// it is ignored: anyone could have written it.
 */
function noteStsHeader(round: Round, header: string): void {
  const c = round.client;
  if (!c.established || failedCertificateChecks(c.checks).length > 0) {
    log(round, 'client', `The answer carried Strict-Transport-Security: ${header} — ignored: it did not come over an HTTPS connection without errors (RFC 6797 §8.1).`, ['client'], 'warning');
    return;
  }
  const policy = parseStsHeader(header);
  if ('invalid' in policy) {
    log(round, 'client', `Strict-Transport-Security: ${header} — ignored: ${policy.invalid}.`, ['client'], 'warning');
    return;
  }
  const noted = noteHstsHost(policy, c.config.serverName, gameTime(round));
  if (!noted) return;
  c.hstsNoted = { entry: noted, maxAge: policy.maxAge };
  const days = Math.round(policy.maxAge / DAY);
  log(round, 'client', `Strict-Transport-Security: ${header} — noted: ${noted.domain}${noted.includeSubDomains ? ' and every name under it' : ''} HTTPS-only for ${days} days (max-age ${policy.maxAge} s). Next visit, no plain http:// request.`, ['client'], 'success');
}

export function clientSendOrder(round: Round): void {
  const c = round.client;
  c.orderSent = true;
  const request: HttpMessage = transferRequest(c.config.serverName, c.order);
  log(round, 'client', `Sent the PIN and the transfer: ${request.body}`, ['client']);
  clientStep(round, { kind: 'send', message: request });
}

/**
 * `replyTo`: a plain request the bank answers before any TLS connection goes back to its sender,
 * not to the connection's peer. `copy`: the step is on the connection a copy of a ClientHello
 * opened (round.server.copy), whose answers go to whoever sent the copy.
 */
function serverStep(round: Round, event: ServerEvent, packet?: Packet, replyTo?: Endpoint, copy = false): void {
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
  if (copy && out.checks.some((c) => c.check === 'earlyDataReplay' && !c.passed)) s.copy!.refused = true;
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

function deliverToServer(round: Round, packet: Packet, message: Message): void {
  const s = round.server;
  if (message.type === 'CertificateIssued') {
    // A bank that staples the CA's OCSP answer (the leaked-key event) fetches one for its new certificate.
    s.config = { ...s.config, certificate: message.certificate, ...bankStaple(round, message.certificate) };
    s.chainReceived = message.chain;
    serveChain(round);
    s.csr = 'issued';
    const chain = message.chain.length === 0 ? '' : `, with the certificate of ${message.chain.map((c) => c.subject).join(' and ')}, which signed it: send it after ours`;
    log(round, 'server', `The CA issued our certificate (serial ${message.certificate.serial})${chain}.`, ['server'], 'success');
    const waiting = s.waiting.splice(0);
    for (const w of waiting) deliver(round, round.packets[w.packetId - 1]!);
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

/** What each of a party's two certifiable keys is, as a CSR states it (where a CA plays, the encryption key is RSA). */
export const KEY_KINDS: Readonly<Record<BankKey, { keyType: KeyType; keyUsage: KeyUsage; words: string }>> = {
  encryptionKey: { keyType: 'rsa', keyUsage: 'keyEncipherment', words: 'RSA-2048 key, for key transport' },
  signingKey: { keyType: 'p256', keyUsage: 'digitalSignature', words: 'ECDSA P-256 key, for signatures' },
};

/** The CSR a party sends for `subject`, carrying `key` (by default the key this level's certificates hold), signed with that key (PKCS #10). */
export function certificateRequest(round: Round, subject: string, keys: Record<BankKey, KeyPair>, key?: BankKey): CertificateSigningRequest | undefined {
  const spec = round.module.pki?.certificateKey;
  if (!spec) return undefined;
  const of = key ?? spec.of;
  return makeCsr(subject, KEY_KINDS[of].keyType, KEY_KINDS[of].keyUsage, keys[of]);
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

export function challengeUrl(subject: string, token: Uint8Array): string {
  return `http://${subject}/.well-known/acme-challenge/${toHex(token)}`;
}

/**
 * RFC 8555 §8.3 http-01: the CA issued `token`; the requester must publish it under the name.
 * Whoever really answers for the name (the room's ground truth) publishes it for its own
 * requests only, so the CA finds it exactly when the requester controls the name.
 */
export function domainControlCheck(csr: CertificateSigningRequest, token: Uint8Array, requester: Endpoint): { passed: boolean; detail: string } {
  const url = challengeUrl(csr.subject, token);
  const shown = `${url.slice(0, url.length - 20)}…`;
  const owner = DOMAIN_OWNERS[csr.subject];
  const asked = `The CA issued token ${toHex(token).slice(0, 12)}…; the requester had to publish it at ${shown}`;
  if (!owner) return { passed: false, detail: `${asked}, but ${csr.subject} does not resolve: nobody can prove control of it` };
  if (owner === requester) return { passed: true, detail: `${asked}. The CA fetched it: the token is there, so the requester controls ${csr.subject}` };
  return { passed: false, detail: `${asked}. The CA fetched it: not found. The machine that answers for ${csr.subject} never published this token, so the requester does not control the name` };
}

function deliverToCa(round: Round, packet: Packet, message: Message): void {
  if (message.type !== 'CertificateRequest') return;
  const id = round.ca.requests.length + 1;
  const token = round.rng.ca.bytes(16);
  const domainControl = domainControlCheck(message.csr, token, packet.from);
  round.ca.requests.push({ id, requester: packet.from, csr: message.csr, packetId: packet.id, token, domainControl, investigated: [], decision: 'pending' });
  log(round, 'ca', `Request #${id} from ${ADDRESSES[packet.from]} for ${message.csr.subject}: a challenge token issued; not checked yet.`, ['ca']);
}

/** The registered domain a name belongs to (the last two labels: www.bank.example → bank.example). */
export function registeredDomain(name: string): string {
  return name.toLowerCase().split('.').slice(-2).join('.');
}

/** The CA looks something up about a request before deciding: the http-01 fetch (proof of control), or the owner record (evidence). */
export function caInvestigate(round: Round, csrId: number, method: Investigation): void {
  const request = round.ca.requests[csrId - 1]!;
  if (!request.investigated.includes(method)) request.investigated.push(method);
  const { subject } = request.csr;
  if (method === 'http01') {
    log(round, 'ca', `Fetched the challenge for request #${csrId} (${subject}): ${request.domainControl.passed ? 'the token is there' : 'the token is not there'}.`, ['ca'], request.domainControl.passed ? 'info' : 'warning');
  } else {
    log(round, 'ca', `Looked up the owner record of ${registeredDomain(subject)} (request #${csrId}).`, ['ca']);
  }
}

/** The owner record of a name's registered domain, as a WHOIS lookup would give it. */
export function ownerRecord(subject: string): string {
  const domain = registeredDomain(subject);
  const record = OWNER_RECORDS[domain];
  const part = domain === subject.toLowerCase() ? '' : `${subject} is part of ${domain}; `;
  return record ? `${part}${domain}: ${record}` : `no record: ${domain} is not a registered domain`;
}

/** The CA decides a request; signing, it hands the certificate to the CT log first where the event runs one, unless it signs `unlogged`. */
export function caDecide(round: Round, csrId: number, sign: boolean, unlogged = false): void {
  const request = round.ca.requests[csrId - 1]!;
  request.decision = sign ? 'signed' : 'refused';
  const { csr } = request;
  if (sign) {
    const now = gameTime(round);
    request.serial = round.ca.nextSerial++;
    // The CA the seat runs signs (the root, or its intermediate: round.ca.issuing), and sends its chain with the certificate.
    const issuing = round.ca.issuing;
    const ctLog = unlogged ? undefined : round.ctLog;
    const certificate = issueLogged(
      ctLog,
      { serial: BigInt(request.serial), subject: csr.subject, issuer: issuing.name, notBefore: now - DAY, notAfter: now + 90 * DAY, keyType: csr.keyType, keyUsage: [csr.keyUsage], publicKey: csr.publicKey, names: [csr.subject], ca: false },
      issuing.keys,
      now * 1000,
      request.requester,
    );
    const unchecked = request.investigated.includes('http01') ? '' : ' without fetching its challenge';
    const logged = !round.ctLog ? '' : ctLog ? `, after handing it to ${ctLog.name} (its SCT is in the certificate)` : `, leaving it out of ${round.ctLog.name}: it carries no SCT`;
    log(round, 'ca', `Signed a certificate for ${csr.subject} (request #${csrId})${unchecked}${logged}.`, ['ca'], request.domainControl.passed ? 'success' : 'warning');
    if (ctLog) monitorNewEntry(round, ctLog);
    sendPacket(round, 'ca', request.requester, { type: 'CertificateIssued', certificate, chain: [...issuing.chain] });
  } else {
    log(round, 'ca', `Refused request #${csrId} for ${csr.subject}.`, ['ca']);
    const fetched = request.investigated.includes('http01');
    const reason = fetched && !request.domainControl.passed ? request.domainControl.detail : 'refused by the CA';
    sendPacket(round, 'ca', request.requester, { type: 'CertificateRefused', subject: csr.subject, reason });
  }
}

/** The bank's monitor reads the log's newest entry: a certificate for its name with a key it does not hold is flagged, and the bank told. */
function monitorNewEntry(round: Round, ctLog: RoundCtLog): void {
  const entry = ctLog.entries.at(-1)!;
  const s = round.server.config;
  if (!ctLog.watchedByBank || !misIssuedFor(entry, s.serverName, [s.encryptionKey.publicKey, s.signingKey.publicKey])) return;
  ctLog.spotted.push(entry.index);
  log(round, 'server', `Our log monitor: ${ctLog.name} entry #${entry.index} is a certificate for ${entry.certificate.subject} (serial ${entry.certificate.serial}, from ${entry.certificate.issuer}) with a key that is not ours — we never asked for it. Mis-issued: the bank would now ask the CA to revoke it.`, ['server'], 'warning');
}

function deliverToAttacker(round: Round, packet: Packet, message: Message): void {
  const a = round.attacker;
  if (message.type === 'CertificateIssued') {
    a.csrsAnswered++;
    a.certificates.push(message.certificate);
    a.caChain = message.chain;
    a.findings.push(`The CA issued you a certificate for ${message.certificate.subject}.`);
    log(round, 'attacker', `The CA signed your request: you hold a valid certificate for ${message.certificate.subject}.`, ['attacker'], 'success');
    sendProxied(round, resumeProxy(round));
    return;
  }
  if (message.type === 'CertificateRefused') {
    a.csrsAnswered++;
    a.csrsRefused++;
    a.findings.push(`The CA refused your request for ${message.subject}: ${message.reason}`);
    log(round, 'attacker', `The CA refused your request for ${message.subject}.`, ['attacker'], 'failure');
    return;
  }
  if (packet.from === 'client' && message.type === 'HttpRequest' && a.proxy?.mode === 'strip') return sendProxied(round, relayPlainRequest(round, packet, message));
  sendProxied(round, proxyReceive(round, packet));
}

/** Replies go to the address a packet claims to come from: a spoofed one gets its answer sent to whoever it imitated; the proxy connects from its own. */
function replyAddress(packet: Packet): Endpoint {
  return packet.origin === 'proxied' ? packet.from : packet.apparentFrom;
}

/**
 * A packet reaches its receiver. Undecodable bytes fail the receiving handshake, as a real peer would.
 * The decoded message is the one every view of this packet shows (decoded once: inspected.ts); nothing changes it.
 */
export function deliver(round: Round, packet: Packet): void {
  packet.status = 'delivered';
  const inspection = inspect(packet.bytes);
  const message = inspection.message;
  const to: Role = packet.to;
  if (!message) {
    const detail = inspection.error ?? 'undecodable bytes';
    if (to === 'client') clientStep(round, { kind: 'malformed', detail });
    else if (to === 'server') {
      round.server.peer ??= replyAddress(packet);
      serverStep(round, { kind: 'malformed', detail });
    }
    return;
  }
  switch (to) {
    case 'client':
      return clientStep(round, { kind: 'receive', message }, packet);
    case 'server':
      return deliverToServer(round, packet, message);
    case 'ca':
      return deliverToCa(round, packet, message);
    case 'attacker':
      return deliverToAttacker(round, packet, message);
  }
}
