/**
 * Level 5's bank: the TLS 1.3 server (RFC 8446), byte for byte — the ClientHello checked (suite,
 * name, TLS 1.3), a group chosen or asked for again (HelloRetryRequest, §4.1.4), the ServerHello,
 * then encrypted EncryptedExtensions, Certificate, CertificateVerify and Finished; the client's
 * Finished checked. With tickets (ServerConfig.tickets, §2.2, §4.6.1, §8.1): a ticket offered is
 * taken or refused (a single-use bank refuses a second use), 0-RTT early data read before the
 * handshake ends, and a NewSessionTicket issued after it. The key schedule: tls13-common.ts; the
 * client: tls13-client.ts.
 */
import { equalBytes } from '../codec/bytes.ts';
import { ecdsaP256Sign } from '../crypto/primitives.ts';
import { tls13EarlySecrets, tls13FinishedVerifyData, tls13ResumptionMasterSecret, tls13TicketPsk } from '../crypto/tls13-key-schedule.ts';
import { parseHttp } from '../messages/http.ts';
import { binderFor, clientEarlyTrafficSecret, clockMs, encodeTicketBody, freshness, openTicket, pskOffer, PSK_MODE, sealTicket, ticketId, type TicketState } from './tls13-tickets.ts';
import { encodeHandshake } from '../messages/codec.ts';
import { SCHEME } from '../messages/tls-codes.ts';
import type { HandshakeMessage } from '../messages/tls.ts';
import type { Message, MessageOf } from '../messages/types.ts';
import type { Failure } from './failures.ts';
import { keyShareGroups, keyShareOf, supportedGroups, supportedVersions } from './hello.ts';
import { answerShare, ephemeralName, groupName } from './groups.ts';
import { greetClient } from './http-first.ts';
import { joinHandshake, keyChangeAligned } from './fragments.ts';
import { keyLogLine } from './key-log.ts';
import type { ServerMachine } from './machine.ts';
import { CONTENT_TYPE, openRecord, sealRecord, tls13RecordKeys, type RecordKeys } from './record.ts';
import { checkClientHello, LISTENS_FOR_CLIENT_HELLO, fail, isFailure, servedNames, type AcceptedHello } from './traffic.ts';
import { applicationKeys, certificateVerifyContent, groupsOf, handshakeKeys, openHandshake, type ApplicationKeys, type Encrypted, type Tls13Spec } from './tls13-common.ts';
import { append, transcriptAfterRetry, transcriptHash, type Transcript } from './transcript.ts';
import { emptyOutput, type HandshakeContext, type Output, type Phase, type ServerConfig, type Step } from './types.ts';

export type Level5ServerState =
  | { kind: 'ExpectClientHello' }
  /** After our HelloRetryRequest: the ClientHello again, with a share for `group` (§4.1.4). */
  | { kind: 'ExpectSecondClientHello'; transcript: Transcript; group: number }
  /** A resumed session whose 0-RTT data we read: early data records, then EndOfEarlyData (§4.5). */
  | ({ kind: 'ExpectEndOfEarlyData'; applicationKeys: ApplicationKeys; earlyKeys: RecordKeys } & Encrypted)
  /** `skipEarly`: the client sent early data we refused: its records, which open under no key we hold, are skipped until its first handshake record (§4.2.10). */
  | ({ kind: 'ExpectClientFinished'; applicationKeys: ApplicationKeys; skipEarly?: boolean } & Encrypted);

/** What the bank checks in a ClientHello (the first, or the one after its HelloRetryRequest): the suite, the name, TLS 1.3. */
function checkHello(message: Message, config: ServerConfig, spec: Tls13Spec): AcceptedHello | Failure {
  const accepted = checkClientHello(message, spec.suite, config);
  if (isFailure(accepted)) return accepted;
  if (!supportedVersions(accepted.hello).includes(spec.versionCode)) return { reason: 'unsupportedVersion', detail: `the client does not offer TLS ${spec.version} (supported_versions), the only version this bank speaks` };
  return accepted;
}

/**
 * The group of the key exchange (§4.2.8): the first of ours the client sent a share for; else
 * the first of ours it lists in supported_groups, to ask for with a HelloRetryRequest.
 */
function chooseGroup(hello: MessageOf<'ClientHello'>, ours: readonly number[]): { group: number; shared: boolean } | Failure {
  const shares = keyShareGroups(hello);
  const withShare = ours.find((g) => shares.includes(g));
  if (withShare !== undefined) return { group: withShare, shared: true };
  const listed = supportedGroups(hello) ?? [];
  const toAsk = ours.find((g) => listed.includes(g));
  if (toAsk !== undefined) return { group: toAsk, shared: false };
  return { reason: 'unsupportedHello', detail: `no key-exchange group in common: the client offers ${listed.map(groupName).join(', ') || 'none'}, the bank speaks ${ours.map(groupName).join(' and ')}` };
}

/** §4.1.4: no share we can use, but a group we speak is offered: a HelloRetryRequest naming it. */
function askAgain(hello: MessageOf<'ClientHello'>, group: number, spec: Tls13Spec, out: Output): Step<Phase<Level5ServerState>> {
  const retry: MessageOf<'HelloRetryRequest'> = {
    type: 'HelloRetryRequest',
    sessionId: hello.sessionId.slice(), // §4.1.3: echoed
    cipherSuite: spec.suite,
    extensions: [
      { type: 'supported_versions', versions: [spec.versionCode] },
      { type: 'key_share', shares: [{ group, key: new Uint8Array(0) }] },
    ],
  };
  out.send.push(retry);
  out.log.push(`HelloRetryRequest: the ClientHello has no key share we can use, but offers ${groupName(group)}; we ask for the ClientHello again with a share in it.`);
  return { state: { kind: 'ExpectSecondClientHello', transcript: append(transcriptAfterRetry(append([], hello)), retry), group }, out };
}

/** Our one-time share in `group`, the ServerHello, then (encrypted) EncryptedExtensions, Certificate, CertificateVerify and Finished. */
function answerHello({ hello, certificate }: AcceptedHello, before: Transcript, group: number, ctx: HandshakeContext, config: ServerConfig, spec: Tls13Spec, out: Output, resumption?: TicketTaken): Step<Phase<Level5ServerState>> {
  const answer = answerShare(group, keyShareOf(hello, group)!, ctx.rng);
  if ('reason' in answer) return fail(answer);
  const { keys: ephemeral, shared } = answer;
  const taken = resumption?.kind === 'taken' ? resumption : undefined;
  const serverHello: MessageOf<'ServerHello'> = {
    type: 'ServerHello',
    random: ctx.rng.bytes(32),
    sessionId: hello.sessionId.slice(), // §4.1.3: echoed
    cipherSuite: spec.suite,
    extensions: [
      { type: 'supported_versions', versions: [spec.versionCode] },
      { type: 'key_share', shares: [{ group, key: ephemeral.publicKey }] },
      ...(taken ? [{ type: 'pre_shared_key' as const, selected: 0 }] : []),
    ],
  };
  let transcript = append(before, hello, serverHello);
  const keys = handshakeKeys(shared, transcript, hello.random, spec, out, taken?.earlySecret);
  // §2.2: a resumed session sends no certificate: the ticket's secret proves this is the bank that issued it.
  const flight: HandshakeMessage[] = taken
    ? [{ type: 'EncryptedExtensions', extensions: taken.earlyKeys ? [{ type: 'early_data' }] : [] }]
    : [
        { type: 'EncryptedExtensions', extensions: [] },
        // §4.4.2.1: the OCSP answer goes in the certificate's entry only for a client that asked (status_request).
        { type: 'Certificate', context: new Uint8Array(0), certificate, chain: [...(config.chain ?? [])], ...(config.ocspStaple && hello.extensions.some((e) => e.type === 'status_request') ? { ocspStaple: config.ocspStaple } : {}) },
      ];
  transcript = append(transcript, ...flight);
  if (!taken) {
    const verify: HandshakeMessage = { type: 'CertificateVerify', scheme: SCHEME.ecdsaP256Sha256, signature: ecdsaP256Sign(config.signingKey.secretKey, certificateVerifyContent(transcript)) };
    flight.push(verify);
    transcript = append(transcript, verify);
  }
  const finished: HandshakeMessage = { type: 'Finished', verifyData: tls13FinishedVerifyData(keys.serverTrafficSecret, transcriptHash(transcript)) };
  transcript = append(transcript, finished);
  let serverKeys = keys.serverKeys;
  out.send.push(serverHello);
  for (const m of [...flight, finished]) {
    const sealed = sealRecord(serverKeys, encodeHandshake(m), CONTENT_TYPE.handshake);
    out.send.push(sealed.record);
    serverKeys = sealed.next;
  }
  const app = applicationKeys(keys.handshakeSecret, transcript, hello.random, spec, out);
  out.learned[ephemeralName(group)] = ephemeral.secretKey;
  const base = { transcript, clientRandom: hello.random, opened: false, ...keys, serverKeys, applicationKeys: app };
  if (taken) {
    out.log.push(`ServerHello taking the client's ticket, with our key share; then, encrypted: EncryptedExtensions${taken.earlyKeys ? ' (early_data: we read its 0-RTT data)' : ''} and Finished — no certificate on a resumed session.`);
    if (taken.earlyKeys) return { state: { kind: 'ExpectEndOfEarlyData', ...base, earlyKeys: taken.earlyKeys }, out };
    return { state: { kind: 'ExpectClientFinished', ...base, ...(taken.earlyDataSkipped ? { skipEarly: true } : {}) }, out };
  }
  out.log.push('ServerHello with our key share; then, encrypted: EncryptedExtensions, our certificate, CertificateVerify (our signature over the handshake), Finished.');
  return { state: { kind: 'ExpectClientFinished', ...base, ...(resumption?.kind === 'refused' && resumption.earlyData ? { skipEarly: true } : {}) }, out };
}

/**
 * What the bank makes of a ticket offered in a ClientHello: taken (its PSK, and the early data's
 * keys when it reads the early data), or refused (a full handshake; its early data skipped).
 */
type TicketTaken = { kind: 'taken'; earlySecret: Uint8Array; earlyKeys?: RecordKeys; earlyDataSkipped?: boolean } | { kind: 'refused'; earlyData: boolean };

/**
 * §4.2.11, §8.1, §8.3: the bank opens the ticket with its ticket key and checks the binder (a
 * binder that does not verify is an attack: decrypt_error); a single-use bank then refuses a
 * ticket it has seen before. It reads early data on a ticket it takes if the ticket allows some
 * and, when it checks freshness, the hello arrives when the ticket's age says it should.
 */
function takeTicket(hello: MessageOf<'ClientHello'>, ctx: HandshakeContext, config: ServerConfig, spec: Tls13Spec, out: Output): TicketTaken | Failure | undefined {
  const offer = pskOffer(hello);
  const policy = config.tickets;
  if (!offer) return undefined;
  const earlyData = hello.extensions.some((e) => e.type === 'early_data');
  if (hello.extensions.at(-1)?.type !== 'pre_shared_key') return { reason: 'badBinder', detail: 'pre_shared_key is not the last extension of the ClientHello (RFC 8446 §4.2.11)' };
  const modes = hello.extensions.find((e) => e.type === 'psk_key_exchange_modes');
  const refused = (line: string): TicketTaken => {
    out.log.push(line);
    return { kind: 'refused', earlyData };
  };
  if (!policy) return refused('The client offers a session ticket; this bank issues none: a full handshake.');
  if (!modes?.modes.includes(PSK_MODE.pskDheKe)) return refused('The client offers its ticket without a fresh key exchange (psk_ke only); this bank resumes only with psk_dhe_ke: a full handshake.');
  const identity = offer.identities[0]!;
  const state: TicketState | undefined = openTicket(policy.key, identity.identity);
  if (!state) return refused('The client offers a ticket our ticket key does not open: a full handshake.');
  if (!equalBytes(binderFor(hello, state.psk), offer.binders[0]!)) return { reason: 'badBinder', detail: 'the HMAC over the ClientHello does not match the ticket’s secret: the hello was changed, or the sender does not hold the ticket’s secret' };
  out.checks.push({ check: 'pskBinder', passed: true, detail: "the binder verifies: the ClientHello comes from someone holding the ticket's secret, unchanged" });
  const id = ticketId(identity.identity);
  const seen = policy.used.has(id);
  policy.used.add(id);
  if (policy.antiReplay === 'singleUse') {
    if (seen) {
      out.checks.push({ check: 'earlyDataReplay', passed: false, detail: 'this ticket was used before: a copy of an earlier ClientHello. A single-use ticket is not taken twice, so its early data is not read again' });
      return refused('This ticket was already used: single-use tickets (RFC 8446 §8.1), so not taken again — a full handshake, and the early data that came with it is skipped unread.');
    }
    out.checks.push({ check: 'earlyDataReplay', passed: true, detail: 'first use of this ticket: single-use tickets, so a copy of this ClientHello will not be taken again' });
  }
  const { earlySecret } = tls13EarlySecrets(state.psk);
  if (!earlyData || state.maxEarlyDataSize === 0) return { kind: 'taken', earlySecret, ...(earlyData ? { earlyDataSkipped: true } : {}) };
  if (policy.freshnessWindowMs !== undefined && !fresh(state, identity.obfuscatedTicketAge, clockMs(ctx), policy.freshnessWindowMs, out)) {
    return { kind: 'taken', earlySecret, earlyDataSkipped: true };
  }
  const secret = clientEarlyTrafficSecret(earlySecret, hello);
  out.learned['client early traffic secret'] = secret;
  out.keyLog.push(keyLogLine('CLIENT_EARLY_TRAFFIC_SECRET', hello.random, secret));
  return { kind: 'taken', earlySecret, earlyKeys: tls13RecordKeys(secret, spec.keyLength) };
}

/**
 * §8.3 freshness, on a ticket that allows early data: when the hello should arrive by the ticket's
 * age (expected_arrival_time = adjusted_creation_time + clients_ticket_age), against when it did.
 * Outside the window, §4.2.10: "the server SHOULD proceed with the handshake but reject 0-RTT".
 */
function fresh(state: TicketState, obfuscatedTicketAge: number, nowMs: number, windowMs: number, out: Output): boolean {
  const f = freshness(state, obfuscatedTicketAge, nowMs, windowMs);
  const seconds = (ms: number) => `${(Math.abs(ms) / 1000).toFixed(1)} s`;
  const off = f.offBy >= 0 ? `${seconds(f.offBy)} later than` : `${seconds(f.offBy)} earlier than`;
  const window = `${windowMs / 1000} s`;
  if (f.fresh) {
    out.checks.push({ check: 'ticketFreshness', passed: true, detail: `the ticket's age in the hello (${f.clientsTicketAge} ms) puts its arrival ${off} it came: within ${window}, so fresh — but a copy sent at once is fresh too` });
    return true;
  }
  out.checks.push({ check: 'ticketFreshness', passed: false, detail: `the ticket's age in the hello (${f.clientsTicketAge} ms) says it should have arrived ${seconds(f.offBy)} ${f.offBy >= 0 ? 'earlier' : 'later'}: outside ${window}, an old hello (a delayed copy, or a wrong clock). Its early data is not read` });
  out.log.push(`The hello arrived ${off} its ticket's age says (RFC 8446 §8.3: more than ${window} off): the ticket is taken, its 0-RTT early data skipped unread, and the handshake goes on in 1-RTT.`);
  return false;
}

/**
 * §4.6.1: after a full handshake, a bank that issues tickets seals this session's PSK (from the
 * resumption master secret and a fresh nonce) under its ticket key and sends it in a
 * NewSessionTicket, under its application keys.
 */
function issueTicket(app: ApplicationKeys, clientFinishedHash: Uint8Array, sendKeys: RecordKeys, ctx: HandshakeContext, config: ServerConfig, out: Output): RecordKeys {
  const policy = config.tickets;
  if (!policy?.issue) return sendKeys;
  const nonce = ctx.rng.bytes(8);
  const ageAdd = new DataView(ctx.rng.bytes(4).buffer).getUint32(0);
  const psk = tls13TicketPsk(tls13ResumptionMasterSecret(app.masterSecret, clientFinishedHash), nonce);
  const ticket = sealTicket(policy.key, { psk, issuedAtMs: clockMs(ctx), ageAdd, maxEarlyDataSize: policy.maxEarlyDataSize }, ctx.rng);
  const body = encodeTicketBody({ lifetime: 7 * 86_400, ageAdd, nonce, ticket, ...(policy.maxEarlyDataSize > 0 ? { maxEarlyDataSize: policy.maxEarlyDataSize } : {}) });
  const sealed = sealRecord(sendKeys, encodeHandshake({ type: 'NewSessionTicket', body }), CONTENT_TYPE.handshake);
  out.send.push(sealed.record);
  out.log.push('Sent a session ticket (NewSessionTicket): the client may resume with it later.');
  return sealed.next;
}

/** 0-RTT data under the early keys (§2.3), read before the handshake is over; then EndOfEarlyData (§4.5). */
function readEarlyData(state: Extract<Level5ServerState, { kind: 'ExpectEndOfEarlyData' }>, message: Message, config: ServerConfig, out: Output): Step<Phase<Level5ServerState>> {
  if (message.type !== 'EncryptedRecord') return fail({ reason: 'unexpectedMessage', expected: 'early data or EndOfEarlyData', got: message.type }, out);
  const opened = openRecord(state.earlyKeys, message);
  if (!opened.ok) return fail(opened.failure, out);
  const next = { ...state, earlyKeys: opened.next };
  if (opened.contentType === CONTENT_TYPE.applicationData) {
    out.checks.push({ check: 'record', passed: true, detail: 'an early data record opened under the client early traffic key' });
    out.log.push('0-RTT early data arrived, sealed under the ticket’s early key: read before the handshake is over.');
    if (config.applicationData === 'bytes') out.data = [opened.plaintext];
    else {
      try {
        const inner = parseHttp(opened.plaintext);
        out.delivered.push(inner);
      } catch (e) {
        return fail({ reason: 'decodeError', detail: e instanceof Error ? e.message : String(e) }, out);
      }
    }
    return { state: next, out };
  }
  if (opened.contentType !== CONTENT_TYPE.handshake) return fail({ reason: 'unexpectedMessage', expected: 'early data or EndOfEarlyData', got: 'EncryptedRecord' }, out);
  const joined = joinHandshake(undefined, opened.plaintext, { tls13: true, lenient: true });
  if ('reason' in joined) return fail(joined, out);
  const [end, ...following] = joined.messages;
  if (end?.type !== 'EndOfEarlyData' || following.length > 0 || joined.rest.length > 0) return fail({ reason: 'unexpectedMessage', expected: 'EndOfEarlyData', got: end?.type ?? 'EncryptedRecord' }, out);
  out.log.push('EndOfEarlyData: the early data is over; the client Finished comes under the handshake keys.');
  const { earlyKeys: _, kind: __, ...rest } = next;
  void _;
  void __;
  return { state: { ...rest, kind: 'ExpectClientFinished', transcript: append(state.transcript, end) }, out };
}

/** The bank's TLS 1.3 server, speaking the level's suite, groups (its order of preference) and version. */
export function level5Server(spec: Tls13Spec): ServerMachine<Level5ServerState> {
  return {
    ...LISTENS_FOR_CLIENT_HELLO,
    // Once its Finished is sent the server writes under its application keys (RFC 8446 §7.3).
    writeKeys: (state) => (state.kind === 'ExpectClientFinished' || state.kind === 'ExpectEndOfEarlyData' ? state.applicationKeys.server : undefined),
    receive(state, message, ctx, config) {
      const out = emptyOutput();
      switch (state.kind) {
        case 'ExpectClientHello': {
          const accepted = greetClient(state, message, servedNames(config), (m) => checkHello(m, config, spec));
          if ('answer' in accepted) return accepted.answer;
          const { hello } = accepted;
          const choice = chooseGroup(hello, groupsOf(config, spec));
          if ('reason' in choice) return fail(choice);
          if (!choice.shared) return askAgain(hello, choice.group, spec, out);
          const ticket = takeTicket(hello, ctx, config, spec, out);
          if (ticket && 'reason' in ticket) return fail(ticket, out);
          return answerHello(accepted, [], choice.group, ctx, config, spec, out, ticket);
        }
        case 'ExpectEndOfEarlyData':
          if (message.type === 'ChangeCipherSpec') return { state, out }; // the client's middlebox-compatibility CCS (§5, D.4)
          return readEarlyData(state, message, config, out);
        case 'ExpectSecondClientHello': {
          if (message.type === 'ChangeCipherSpec') return { state, out }; // a middlebox-compatibility CCS before the second ClientHello (§D.4)
          const accepted = checkHello(message, config, spec);
          if (isFailure(accepted)) return fail(accepted);
          const { hello } = accepted;
          const groups = keyShareGroups(hello);
          if (groups.length !== 1 || groups[0] !== state.group) return fail({ reason: 'badHelloRetry', detail: `the second ClientHello must carry one key share, in ${groupName(state.group)} as asked` });
          return answerHello(accepted, state.transcript, state.group, ctx, config, spec, out);
        }
        case 'ExpectClientFinished': {
          if (message.type === 'ChangeCipherSpec') return { state, out }; // the client's middlebox-compatibility CCS (§5, D.4)
          // §4.2.10: early data we refused opens under no key we hold: skipped, up to the client's first handshake record.
          if (state.skipEarly && !state.opened && message.type === 'EncryptedRecord' && !openRecord(state.clientKeys, message).ok) {
            out.log.push('Skipped a 0-RTT early data record unread: we did not take the ticket it came with.');
            return { state, out };
          }
          const opened = openHandshake(state.clientKeys, message, !state.opened, 'Finished', out, 'server', state.held);
          if ('reason' in opened) return fail(opened, out);
          const [finished, ...following] = opened.messages;
          if (!finished) return { state: { ...state, clientKeys: opened.next, opened: true, held: opened.rest }, out }; // Finished runs on into the next record
          if (finished.type !== 'Finished') return fail({ reason: 'unexpectedMessage', expected: 'Finished', got: finished.type }, out);
          const misaligned = keyChangeAligned('Finished', following, opened.rest);
          if (misaligned) return fail(misaligned, out);
          const ok = equalBytes(tls13FinishedVerifyData(state.clientTrafficSecret, transcriptHash(state.transcript)), finished.verifyData);
          if (!ok) return fail({ reason: 'badFinished' }, out);
          out.checks.push({ check: 'finished', passed: true, detail: 'client Finished MAC matches our transcript' });
          out.log.push('Client Finished verified: the session is protected; the ephemeral secrets are discarded.');
          const app = state.applicationKeys;
          const sendKeys = issueTicket(app, transcriptHash(append(state.transcript, finished)), app.server, ctx, config, out);
          return { state: { kind: 'Traffic', sendKeys, receiveKeys: app.client, secrets: { send: app.serverSecret, receive: app.clientSecret } }, out };
        }
      }
    },
  };
}
