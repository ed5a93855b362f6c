/**
 * The Traffic state every level ends in: HTTP messages in the clear (level 1, or a stripped
 * connection) or inside AEAD records. Also the one way any machine fails.
 */
import { encodeHandshake, encodeInner } from '../messages/codec.ts';
import type { HandshakeMessage } from '../messages/tls.ts';
import { tls13NextTrafficSecret, tls13TicketPsk } from '../crypto/tls13-key-schedule.ts';
import { decodeTicketBody, type SessionTicket } from './tls13-tickets.ts';
import { parseHttp } from '../messages/http.ts';
import { CodecError } from '../codec/reader.ts';
import { concat } from '../codec/bytes.ts';
import { ALERTS } from '../messages/codes.ts';
import { joinHandshake, keyChangeAligned } from './fragments.ts';
import { serverNameOf } from './hello.ts';
import type { Certificate, Message, MessageOf } from '../messages/types.ts';
import { alertFor, checkOf, explainFailure, type Failure } from './failures.ts';
import { CONTENT_TYPE, MAX_PLAINTEXT, openRecord, sealRecord, tls13RecordKeys } from './record.ts';
import { emptyOutput, type ApplicationData, type Failed, type HttpMessage, type Output, type Step, type Traffic } from './types.ts';

/** The most of one HTTP message held while its rest is awaited. */
const MAX_PARTIAL_HTTP = 2 ** 16;

export function isHttp(m: Message): m is HttpMessage {
  return m.type === 'HttpRequest' || m.type === 'HttpResponse';
}

/**
 * Fail with the alert the failure calls for (none when the peer alerted us first), and record
 * the check that fired, so the debrief can show every failure.
 */
export function fail(failure: Failure, out: Output = emptyOutput()): Step<Failed> {
  if (failure.reason !== 'peerAlert') out.send.push({ type: 'Alert', description: alertFor(failure) });
  const check = checkOf(failure);
  if (check) out.checks.push({ check, passed: false, detail: explainFailure(failure) });
  out.log.push(explainFailure(failure));
  out.failure = failure;
  return { state: { kind: 'Failed', failure }, out };
}

/** A certified server (levels 4-5) starts listening for a ClientHello, and listens until one comes. */
export const LISTENS_FOR_CLIENT_HELLO = {
  initial: () => ({ kind: 'ExpectClientHello' }) as const,
  listening: (state: { kind: string }) => state.kind === 'ExpectClientHello',
};

/** A ClientHello a certified server will answer, and the certificate it answers with. */
export interface AcceptedHello {
  hello: MessageOf<'ClientHello'>;
  certificate: Certificate;
}

/** The names a certified server answers for: its own, and any other its certificate names (the subdomain event's login.bank.example). */
export function servedNames(config: { serverName: string; certificate?: Certificate }): string[] {
  return [config.serverName, ...(config.certificate?.names ?? [])].map((n) => n.toLowerCase());
}

/**
 * Every certified server's first step (levels 4-5): the ClientHello it can answer, or why not.
 * A hello without server_name is answered (RFC 6066 lets a client leave it out).
 */
export function checkClientHello(message: Message, suite: number, config: { serverName: string; certificate?: Certificate }): AcceptedHello | Failure {
  if (message.type !== 'ClientHello') return { reason: 'unexpectedMessage', expected: 'ClientHello', got: message.type };
  if (!message.cipherSuites.includes(suite)) return { reason: 'noCommonCipherSuite', offered: message.cipherSuites };
  const name = serverNameOf(message);
  if (name !== undefined && !servedNames(config).includes(name.toLowerCase())) return { reason: 'unrecognizedName', name };
  if (!config.certificate) return { reason: 'unexpectedMessage', expected: 'a certificate from the CA first', got: message.type };
  return { hello: message, certificate: config.certificate };
}

export function isFailure(x: unknown): x is Failure {
  return typeof x === 'object' && x !== null && 'reason' in x;
}

/**
 * RFC 8446 §4.6.3: our KeyUpdate, sealed under the keys it retires; from the next record on we
 * write under the next traffic secret (§7.2). `requestPeer` asks the peer to do the same.
 */
export function trafficKeyUpdate(state: Traffic, requestPeer: boolean, out: Output = emptyOutput()): Step<Traffic> {
  if (!state.secrets || !state.sendKeys) {
    out.log.push('KeyUpdate is TLS 1.3’s: this session has none, so nothing was sent.');
    return { state, out };
  }
  const update: MessageOf<'KeyUpdate'> = { type: 'KeyUpdate', requestUpdate: requestPeer ? 1 : 0 };
  const sealed = sealRecord(state.sendKeys, encodeHandshake(update), CONTENT_TYPE.handshake);
  out.send.push(sealed.record);
  const send = tls13NextTrafficSecret(state.secrets.send);
  out.log.push(`KeyUpdate sent: from the next record on we write under fresh keys (our next traffic secret)${requestPeer ? ', and ask the other side to do the same' : ''}.`);
  return { state: { ...state, sendKeys: tls13RecordKeys(send, state.sendKeys.key.length), secrets: { ...state.secrets, send } }, out };
}

/** §4.6.3: the peer writes under its next traffic secret from its next record on; update_requested asks our own KeyUpdate first. */
function peerKeyUpdate(state: Traffic, update: MessageOf<'KeyUpdate'>, following: readonly HandshakeMessage[], rest: Uint8Array, out: Output): Step<Traffic | Failed> {
  if (!state.secrets || !state.receiveKeys) return fail({ reason: 'unexpectedMessage', expected: 'application data (KeyUpdate is TLS 1.3’s)', got: 'KeyUpdate' }, out);
  if (update.requestUpdate !== 0 && update.requestUpdate !== 1) return fail({ reason: 'badKeyUpdate', value: update.requestUpdate }, out);
  const misaligned = keyChangeAligned('KeyUpdate', following, rest);
  if (misaligned) return fail(misaligned, out);
  const receive = tls13NextTrafficSecret(state.secrets.receive);
  const updated: Traffic = { ...state, receiveKeys: tls13RecordKeys(receive, state.receiveKeys.key.length), secrets: { ...state.secrets, receive } };
  out.log.push('KeyUpdate received: the other side writes under fresh keys from its next record on (its next traffic secret), and we read with them.');
  return update.requestUpdate === 1 ? trafficKeyUpdate(updated, false, out) : { state: updated, out };
}

/**
 * RFC 5746 §4.4 and §5 (and RFC 5246 §7.4.1.1): a side that will not renegotiate answers with a
 * no_renegotiation warning, sealed, and the session goes on as it was — the safe choice, since
 * a renegotiation is where the 2009 attack on TLS spliced its prefix in.
 */
function declineRenegotiation(state: Traffic, asked: 'ClientHello' | 'HelloRequest', out: Output): Traffic {
  const sealed = sealRecord(state.sendKeys!, encodeInner({ type: 'Alert', description: 'no_renegotiation' }), CONTENT_TYPE.alert);
  out.send.push(sealed.record);
  out.log.push(
    `The other side asked for a new handshake on this connection (a renegotiation: ${asked === 'ClientHello' ? 'a new ClientHello' : 'HelloRequest'}): declined with a no_renegotiation warning; the session goes on as it was.`,
  );
  return { ...state, sendKeys: sealed.next };
}

export function trafficSend(state: Traffic, message: HttpMessage): Step<Traffic> {
  const out = emptyOutput();
  if (!state.sendKeys) {
    out.send.push(message);
    return { state, out };
  }
  const sealed = sealRecord(state.sendKeys, encodeInner(message), CONTENT_TYPE.applicationData);
  out.send.push(sealed.record);
  return { state: { ...state, sendKeys: sealed.next }, out };
}

/** Application bytes sealed in records of at most 2^14 bytes each (RFC 8446 §5.1). */
export function trafficWrite(state: Traffic, data: Uint8Array): Step<Traffic> {
  const out = emptyOutput();
  if (!state.sendKeys) {
    out.log.push('No record keys: bytes are written only inside a protected session.');
    return { state, out };
  }
  let keys = state.sendKeys;
  for (let at = 0; at < data.length; at += MAX_PLAINTEXT) {
    const sealed = sealRecord(keys, data.subarray(at, at + MAX_PLAINTEXT), CONTENT_TYPE.applicationData);
    out.send.push(sealed.record);
    keys = sealed.next;
  }
  return { state: { ...state, sendKeys: keys }, out };
}

/** A NewSessionTicket read, with its PSK from the resumption master secret and its nonce; undefined when its body is not one. */
function sessionTicketFrom(m: MessageOf<'NewSessionTicket'>, resumptionSecret: Uint8Array, receivedAtMs: number): SessionTicket | undefined {
  try {
    const body = decodeTicketBody(m.body);
    return { ticket: body.ticket, psk: tls13TicketPsk(resumptionSecret, body.nonce), ageAdd: body.ageAdd, lifetime: body.lifetime, maxEarlyDataSize: body.maxEarlyDataSize ?? 0, receivedAtMs };
  } catch {
    return undefined;
  }
}

/** `nowMs`: the clock when it arrived, which a session ticket's age counts from (RFC 8446 §4.2.11.1). */
export function trafficReceive(state: Traffic, message: Message, nowMs: number, application: ApplicationData = 'http'): Step<Traffic | Failed> {
  const out = emptyOutput();
  if (message.type === 'Alert') return fail({ reason: 'peerAlert', description: message.description }, out);
  if (!state.receiveKeys) {
    if (!isHttp(message)) return fail({ reason: 'unexpectedMessage', expected: 'an HTTP message', got: message.type }, out);
    out.delivered.push(message);
    return { state, out };
  }
  if (message.type !== 'EncryptedRecord') {
    return fail({ reason: 'unexpectedMessage', expected: 'an encrypted record', got: message.type }, out);
  }
  const opened = openRecord(state.receiveKeys, message);
  if (!opened.ok) return fail(opened.failure, out);
  const next = { ...state, receiveKeys: opened.next };
  // §5.1: a handshake message begun in one record goes on in the next; no other record type comes in between.
  if (state.heldHandshake?.length && opened.contentType !== CONTENT_TYPE.handshake) {
    return fail({ reason: 'unexpectedMessage', expected: 'the rest of a handshake message', got: opened.contentType === CONTENT_TYPE.alert ? 'Alert' : 'EncryptedRecord' }, out);
  }
  if (opened.contentType === CONTENT_TYPE.alert) {
    const description = ALERTS.name(opened.plaintext[1] ?? -1);
    // RFC 5246 §7.2.1 (and RFC 8446 §6.1): a close_notify is answered with one's own before closing (sealed like every alert here, machine.ts).
    if (description === 'close_notify') out.send.push({ type: 'Alert', description: 'close_notify' });
    return fail({ reason: 'peerAlert', description: description ?? 'decode_error' }, out);
  }
  if (opened.contentType === CONTENT_TYPE.handshake) {
    const joined = joinHandshake(state.heldHandshake, opened.plaintext, { lenient: true });
    if ('reason' in joined) return fail(joined, out);
    let current: Traffic = { ...next, heldHandshake: joined.rest };
    for (const [i, m] of joined.messages.entries()) {
      switch (m.type) {
        case 'NewSessionTicket': {
          // §4.6.1: after the handshake a TLS 1.3 server may send session tickets; kept with their PSK, to resume with later.
          const ticket = state.resumptionSecret ? sessionTicketFrom(m, state.resumptionSecret, nowMs) : undefined;
          if (ticket) out.sessionTicket = ticket;
          out.log.push(ticket ? `A session ticket arrived: kept, to resume with later (early data up to ${ticket.maxEarlyDataSize} bytes).` : 'A session ticket arrived (for resuming later); set aside.');
          break;
        }
        case 'KeyUpdate': {
          const updated = peerKeyUpdate(current, m, joined.messages.slice(i + 1), joined.rest, out);
          if (updated.state.kind === 'Failed') return updated;
          current = updated.state;
          break;
        }
        case 'ClientHello':
        case 'HelloRequest':
          // TLS 1.2 renegotiation, asked by the client (a new ClientHello) or the server (HelloRequest). TLS 1.3 has none (RFC 8446 §4.1.2).
          if (current.sendKeys?.style !== 'tls12') return fail({ reason: 'unexpectedMessage', expected: 'application data', got: m.type }, out);
          current = declineRenegotiation(current, m.type, out);
          break;
        default:
          return fail({ reason: 'unexpectedMessage', expected: 'application data', got: m.type }, out);
      }
    }
    return { state: current, out };
  }
  if (application === 'bytes') {
    out.checks.push({ check: opened.check ?? 'record', passed: true, detail: opened.detail });
    out.data = [opened.plaintext];
    return { state: next, out };
  }
  // Record boundaries mean nothing to the application (RFC 8446 §5.1, RFC 5246 §6.2.1): an HTTP
  // message may end in a later record (node:tls writes a request's head and body as two).
  const data = state.partialHttp ? concat(state.partialHttp, opened.plaintext) : opened.plaintext;
  const { partialHttp: _, ...rest } = next;
  void _;
  let inner: HttpMessage;
  try {
    // Application data is HTTP/1.1 from whoever is on the other end: read it as a server would (any headers).
    inner = parseHttp(data);
  } catch (e) {
    if (e instanceof CodecError && e.reason === 'truncated' && data.length <= MAX_PARTIAL_HTTP) {
      out.checks.push({ check: opened.check ?? 'record', passed: true, detail: opened.detail });
      return { state: { ...rest, partialHttp: data }, out };
    }
    return fail({ reason: 'decodeError', detail: e instanceof Error ? e.message : String(e) }, out);
  }
  out.checks.push({ check: opened.check ?? 'record', passed: true, detail: opened.detail });
  out.delivered.push(inner);
  return { state: rest, out };
}
