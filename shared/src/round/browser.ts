/**
 * Alice's browser in the round: it connects, runs its level's client machine on what arrives
 * and the round carries out what that asks (send, log, learn); it notes the bank's HSTS header
 * and sends her transfer.
 */
import { failedCertificateChecks } from '../handshake/failures.ts';
import { noteHstsHost, parseStsHeader } from '../handshake/hsts.ts';
import type { ClientEvent, HttpMessage, Output } from '../handshake/types.ts';
import { sendPacket } from './network.ts';
import { transferRequest } from './order.ts';
import { contextFor, gameTime, log, recordKeyLog, type Packet, type Round } from './state.ts';
import { failureLine, sealedAlert } from './step-output.ts';

const DAY = 86_400;

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
