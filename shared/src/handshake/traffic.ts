/**
 * The Traffic state every level ends in: HTTP messages in the clear (level 1, or a stripped
 * connection) or inside AEAD records. Also the one way any machine fails.
 */
import { decodeMessage, encodeMessage } from '../messages/codec.ts';
import type { Message } from '../messages/types.ts';
import { alertFor, checkOf, explainFailure, type Failure } from './failures.ts';
import { CONTENT_TYPE, openRecord, sealRecord } from './record.ts';
import { emptyOutput, type Failed, type HttpMessage, type Output, type Step, type Traffic } from './types.ts';

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

/** What every certified server checks in a ClientHello before answering (levels 4-5). */
export function checkClientHello(message: Message, suite: number, config: { serverName: string; certificate?: unknown }): Failure | undefined {
  if (message.type !== 'ClientHello') return { reason: 'unexpectedMessage', expected: 'ClientHello', got: message.type };
  if (!message.cipherSuites.includes(suite)) return { reason: 'noCommonCipherSuite', offered: message.cipherSuites };
  if (message.serverName !== config.serverName) return { reason: 'unrecognizedName', name: message.serverName };
  if (!config.certificate) return { reason: 'unexpectedMessage', expected: 'a certificate from the CA first', got: message.type };
  return undefined;
}

export function trafficSend(state: Traffic, message: HttpMessage): Step<Traffic> {
  const out = emptyOutput();
  if (!state.sendKeys) {
    out.send.push(message);
    return { state, out };
  }
  const sealed = sealRecord(state.sendKeys, encodeMessage(message), CONTENT_TYPE.applicationData);
  out.send.push(sealed.record);
  return { state: { ...state, sendKeys: sealed.next }, out };
}

export function trafficReceive(state: Traffic, message: Message): Step<Traffic | Failed> {
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
  let inner: Message;
  try {
    inner = decodeMessage(opened.plaintext);
  } catch (e) {
    return fail({ reason: 'decodeError', detail: e instanceof Error ? e.message : String(e) }, out);
  }
  if (!isHttp(inner)) return fail({ reason: 'unexpectedMessage', expected: 'an HTTP message', got: inner.type }, out);
  out.checks.push({ check: 'record', passed: true, detail: opened.detail });
  out.delivered.push(inner);
  return { state: { ...state, receiveKeys: opened.next }, out };
}
