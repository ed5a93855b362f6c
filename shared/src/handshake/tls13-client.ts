/**
 * Level 5 — Forward secrecy: TLS 1.3 (RFC 8446), byte for byte. This file: the client (the bank: tls13-server.ts).
 *   (plain http:// request → redirect, unless HSTS; see http-first.ts) →
 *   ClientHello (supported_versions, supported_groups — the level's, X25519 and P-256 —,
 *   signature_algorithms, server_name, a key_share for the first group) → [HelloRetryRequest naming the group the server wants →
 *   the ClientHello again, with a share for it (§4.1.4)] → ServerHello (supported_versions,
 *   key_share) → encrypted from here
 *   on (§2): EncryptedExtensions, Certificate, CertificateVerify (§4.4.3, ECDSA P-256 over the
 *   transcript with the certificate's key), Finished (§4.4.4) → client Finished → application
 *   records, the real content type inside each (§5.2).
 * Keys come from the §7.1 key schedule over the ephemeral (EC)DHE secret (X25519 or P-256,
 * groups.ts) and the hash of both hellos (after a HelloRetryRequest, of all of them,
 * ClientHello1 as its hash: §4.4.1), so a change to any field of a hello makes the two sides'
 * handshake keys differ: the first encrypted handshake message then fails its tag. Both sides forget the ephemeral
 * secrets after the handshake: a later leak of the server's signing key opens nothing.
 *
 * Resumption (§2.2) and 0-RTT (§2.3): a client with a ticket (ClientConfig.resumption) offers it
 * in pre_shared_key with psk_dhe_ke, so a fresh X25519 exchange still feeds the keys, and may
 * send early data at once, sealed under client_early_traffic_secret; a bank that takes the ticket
 * (ServerConfig.tickets) skips its certificate and CertificateVerify (the PSK proves it is the
 * bank that issued the ticket), says early_data in EncryptedExtensions when it reads the early
 * data, and reads it before the handshake is over; EndOfEarlyData (sealed under the early keys)
 * closes it. A single-use bank (§8.1) refuses a ticket's second use: a full handshake, the early
 * data skipped. Tickets and binders: tls13-tickets.ts.
 *
 * What the game does not do: psk_ke (the ticket alone), client certificates; the bank keeps
 * what a HelloRetryRequest needs in its state and sends no cookie (it echoes a peer's). It
 * ignores a peer's middlebox-compatibility ChangeCipherSpec (§5, D.4) and sends none; it reads
 * and sets aside a peer's NewSessionTicket (traffic.ts).
 */
import { equalBytes } from '../codec/bytes.ts';
import { ecdsaP256Verify, type KeyPair } from '../crypto/primitives.ts';
import { tls13EarlySecrets, tls13FinishedVerifyData, tls13ResumptionMasterSecret } from '../crypto/tls13-key-schedule.ts';
import { clientEarlyTrafficSecret, clockMs, obfuscateTicketAge, offerTicket, PSK_MODE, ticketAgeMs } from './tls13-tickets.ts';
import { encodeHandshake } from '../messages/codec.ts';
import { SCHEME } from '../messages/tls-codes.ts';
import type { HandshakeMessage } from '../messages/tls.ts';
import type { Certificate, Extension, Message, MessageOf } from '../messages/types.ts';
import type { CertificateCheckName, CheckResult } from '../basics/checks.ts';
import type { Failure } from './failures.ts';
import { keyShareGroups, keyShareOf, supportedVersions, withExtension } from './hello.ts';
import { ephemeralName, ephemeralShare, groupName, sharedSecretFor } from './groups.ts';
import { certificateWarning, clickThrough, onPlainAnswer, plainHttpDuringHandshake, startHttpFirst, type ExpectRedirect } from './http-first.ts';
import { keyChangeAligned } from './fragments.ts';
import { keyLogLine } from './key-log.ts';
import { mergeInto, type ClientMachine } from './machine.ts';
import { CONTENT_TYPE, sealRecord, tls13RecordKeys, type RecordKeys } from './record.ts';
import { checkCertificate } from './tls12-common.ts';
import { checkRevocation } from './revocation.ts';
import { fail } from './traffic.ts';
import type { TlsSpec } from './tls-spec.ts';
import { applicationKeys, certificateVerifyContent, groupsOf, handshakeKeys, openHandshake, type Encrypted, type Resumed, type Tls13Spec } from './tls13-common.ts';
import { append, transcriptAfterRetry, transcriptHash, type Transcript } from './transcript.ts';
import { emptyOutput, type ClientConfig, type HandshakeContext, type Output, type Phase, type Step } from './types.ts';

export type Level5ClientState =
  | ExpectRedirect
  | {
      kind: 'ExpectServerHello';
      transcript: Transcript;
      /** Our one-time share, and its group. */
      share: { group: number; keys: KeyPair };
      clientRandom: Uint8Array;
      hello: MessageOf<'ClientHello'>;
      /** The HelloRetryRequest already answered (§4.1.4: only one per connection), with what the ServerHello must repeat. */
      retried?: { cipherSuite: number };
      /** The ticket offered: the early secret from its PSK, and the early data sent under its keys. */
      resuming?: { earlySecret: Uint8Array } & Resumed;
    }
  | ({ kind: 'ExpectEncryptedExtensions' } & Encrypted)
  | ({ kind: 'ExpectCertificate' } & Encrypted)
  | ({ kind: 'ExpectDecision'; certificate: Certificate; checks: CheckResult[]; pending: HandshakeMessage[] } & Encrypted)
  | ({ kind: 'ExpectCertificateVerify'; certificate: Certificate; clickedThrough: CertificateCheckName[] } & Encrypted)
  | ({ kind: 'ExpectFinished'; clickedThrough: CertificateCheckName[] } & Encrypted);

/**
 * The ClientHello: the level's groups offered, a share for `group` (its first) alone, as browsers send it.
 * A browser that also speaks TLS 1.2 (the downgrade event: `also12`, and the config says so) offers
 * 1.2's version and suite beside 1.3's, with what its TLS 1.2 needs (point formats, the extended
 * master secret, secure renegotiation), as browsers do.
 */
function clientHello(ctx: HandshakeContext, config: ClientConfig, spec: Tls13Spec, out: Output, also12?: TlsSpec<'1.2'>): Step<Level5ClientState> {
  const groups = groupsOf(config, spec);
  const group = groups[0];
  if (group === undefined) throw new Error('a TLS 1.3 client offers at least one key-exchange group');
  const share = { group, keys: ephemeralShare(group, ctx.rng) };
  const twelve = config.tls12Fallback ? also12 : undefined;
  const hello: MessageOf<'ClientHello'> = {
    type: 'ClientHello',
    random: ctx.rng.bytes(32),
    sessionId: new Uint8Array(0),
    cipherSuites: twelve ? [spec.suite, twelve.suite] : [spec.suite],
    extensions: [
      { type: 'server_name', hostName: config.serverName },
      ...(config.revocation ? ([{ type: 'status_request' }] satisfies Extension[]) : []),
      { type: 'supported_groups', groups: [...groups] },
      ...(twelve ? ([{ type: 'ec_point_formats', formats: [0] }] satisfies Extension[]) : []),
      { type: 'signature_algorithms', schemes: [SCHEME.ecdsaP256Sha256] },
      { type: 'supported_versions', versions: twelve ? [spec.versionCode, twelve.versionCode] : [spec.versionCode] },
      { type: 'key_share', shares: [{ group: share.group, key: share.keys.publicKey }] },
      ...(twelve ? ([{ type: 'extended_master_secret' }, { type: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) }] satisfies Extension[]) : []),
    ],
  };
  out.learned[ephemeralName(share.group)] = share.keys.secretKey;
  if (config.resumption) {
    // §4.2.11.1: "Clients MUST NOT attempt to use tickets which have ages greater than the "ticket_lifetime"" (seconds).
    const age = ticketAgeMs(config.resumption.ticket, clockMs(ctx));
    if (age <= config.resumption.ticket.lifetime * 1000) return resumingHello(hello, share, age, config, spec, out);
    out.log.push(`Our session ticket is ${Math.floor(age / 1000)} s old, past its lifetime (${config.resumption.ticket.lifetime} s): not offered — a full handshake.`);
  }
  out.send.push(hello);
  out.log.push(`ClientHello with a fresh ephemeral ${groupName(share.group)} key share, for ${config.serverName}.`);
  return { state: { kind: 'ExpectServerHello', transcript: append([], hello), share, clientRandom: hello.random, hello }, out };
}

/** A record of application bytes sealed under the client's early traffic keys (§2.3: sent right after the ClientHello). */
function sealEarlyData(keys: RecordKeys, data: Uint8Array): { record: Message; next: RecordKeys } {
  return sealRecord(keys, data, CONTENT_TYPE.applicationData);
}

/**
 * §2.2-2.3: the ClientHello offering the ticket (psk_dhe_ke: a fresh key share still feeds the
 * keys; early_data when there is some to send; pre_shared_key last, with its binder), then the
 * early data at once, under client_early_traffic_secret — keys from the ticket's PSK and this
 * ClientHello alone.
 */
function resumingHello(base: MessageOf<'ClientHello'>, share: { group: number; keys: KeyPair }, ageMs: number, config: ClientConfig, spec: Tls13Spec, out: Output): Step<Level5ClientState> {
  const resumption = config.resumption!;
  const early = resumption.earlyData;
  const withModes: MessageOf<'ClientHello'> = {
    ...base,
    extensions: [...base.extensions, { type: 'psk_key_exchange_modes', modes: [PSK_MODE.pskDheKe] }, ...(early ? [{ type: 'early_data' as const }] : [])],
  };
  const hello = offerTicket(withModes, resumption, ageMs);
  out.send.push(hello);
  const transcript = append([], hello);
  const { earlySecret } = tls13EarlySecrets(resumption.ticket.psk);
  out.learned['resumption PSK (from the ticket)'] = resumption.ticket.psk;
  out.log.push(`ClientHello for ${config.serverName} offering the session ticket from our last visit (pre_shared_key, with its binder), and a fresh ephemeral ${groupName(share.group)} key share (psk_dhe_ke).`);
  out.log.push(`The ticket's age, ${ageMs} ms since its NewSessionTicket arrived, goes in obfuscated_ticket_age plus the ticket's ticket_age_add, modulo 2^32: ${obfuscateTicketAge(ageMs, resumption.ticket.ageAdd)} (RFC 8446 §4.2.11.1). The binder covers it: nobody can change it on the way.`);
  let resuming: Extract<Level5ClientState, { kind: 'ExpectServerHello' }>['resuming'] = { earlySecret };
  if (early) {
    const secret = clientEarlyTrafficSecret(earlySecret, hello);
    out.learned['client early traffic secret'] = secret;
    out.keyLog.push(keyLogLine('CLIENT_EARLY_TRAFFIC_SECRET', hello.random, secret));
    const sealed = sealEarlyData(tls13RecordKeys(secret, spec.keyLength), early);
    out.send.push(sealed.record);
    resuming = { earlySecret, earlyKeys: sealed.next, earlyData: early };
    out.log.push('Sent our request at once as 0-RTT early data, sealed under the client early traffic secret (from the ticket and this ClientHello): no round trip to wait for.');
  }
  return { state: { kind: 'ExpectServerHello', transcript, share, clientRandom: hello.random, hello, resuming }, out };
}

/** What a ServerHello and a HelloRetryRequest must both get right: our suite, TLS 1.3, our session id echoed (§4.1.3-4.1.4). */
function checkServerHelloBasics(state: Extract<Level5ClientState, { kind: 'ExpectServerHello' }>, message: MessageOf<'ServerHello' | 'HelloRetryRequest'>, spec: Tls13Spec): Failure | undefined {
  if (message.cipherSuite !== spec.suite) return { reason: 'unofferedCipherSuite', chosen: message.cipherSuite };
  const versions = supportedVersions(message);
  if (versions.length !== 1 || versions[0] !== spec.versionCode) return { reason: 'unofferedVersion', detail: `the ${message.type} does not choose TLS ${spec.version} (supported_versions)` };
  if (!equalBytes(message.sessionId, state.hello.sessionId)) return { reason: 'sessionIdNotEchoed', message: message.type };
  return undefined;
}

/**
 * §4.1.4: the server asks for a share in another group. It must name one we offered and did
 * not send a share for; we send the same ClientHello with one share, for that group (and its
 * cookie echoed), and the transcript starts again from ClientHello1's hash (§4.4.1).
 */
function answerRetry(state: Extract<Level5ClientState, { kind: 'ExpectServerHello' }>, retry: MessageOf<'HelloRetryRequest'>, ctx: HandshakeContext, config: ClientConfig, spec: Tls13Spec, out: Output): Step<Phase<Level5ClientState>> {
  if (state.retried) return fail({ reason: 'unexpectedMessage', expected: 'ServerHello (a second HelloRetryRequest is not allowed)', got: retry.type }, out);
  const basics = checkServerHelloBasics(state, retry, spec);
  if (basics) return fail(basics, out);
  const group = keyShareGroups(retry)[0];
  const cookie = retry.extensions.find((e) => e.type === 'cookie');
  if (group === undefined && !cookie) return fail({ reason: 'badHelloRetry', detail: 'the HelloRetryRequest asks for nothing: no group, no cookie' }, out);
  if (group !== undefined && !groupsOf(config, spec).includes(group)) return fail({ reason: 'badHelloRetry', detail: `the HelloRetryRequest asks for a share in ${groupName(group)}, which we did not offer` }, out);
  if (group === state.share.group) return fail({ reason: 'badHelloRetry', detail: `the HelloRetryRequest asks for a share in ${groupName(group)}, which we already sent` }, out);
  const share = group === undefined ? state.share : { group, keys: ephemeralShare(group, ctx.rng) };
  // A retried hello goes without the ticket and the early data (§4.1.2: early_data is removed; the game does not offer the ticket again).
  const { resuming: _dropped, ...unresumed } = state;
  void _dropped;
  const first = { ...state.hello, extensions: state.hello.extensions.filter((e) => e.type !== 'pre_shared_key' && e.type !== 'early_data' && e.type !== 'psk_key_exchange_modes') };
  let hello = withExtension(first, { type: 'key_share', shares: [{ group: share.group, key: share.keys.publicKey }] });
  if (cookie) hello = withExtension(hello, cookie);
  out.send.push(hello);
  if (share !== state.share) out.learned[ephemeralName(share.group)] = share.keys.secretKey;
  out.log.push(
    group === undefined
      ? 'HelloRetryRequest: the bank asks for our ClientHello again, with its cookie. Sent it.'
      : `HelloRetryRequest: the server has no use for our ${groupName(state.share.group)} share and asks for one in ${groupName(group)}. Sent the ClientHello again with a fresh ${groupName(group)} share.`,
  );
  const transcript = append(transcriptAfterRetry(state.transcript), retry, hello);
  return { state: { ...unresumed, transcript, share, hello, retried: { cipherSuite: retry.cipherSuite } }, out };
}

/** The ServerHello: our suite and version, our session id, a share in the group we sent one for (§4.2.8) — and the handshake keys. */
function readServerHello(state: Extract<Level5ClientState, { kind: 'ExpectServerHello' }>, message: MessageOf<'ServerHello'>, spec: Tls13Spec, out: Output): Step<Phase<Level5ClientState>> {
  const basics = checkServerHelloBasics(state, message, spec);
  if (basics) return fail(basics, out);
  if (state.retried && message.cipherSuite !== state.retried.cipherSuite) return fail({ reason: 'badHelloRetry', detail: 'the ServerHello picked another cipher suite than the HelloRetryRequest' }, out);
  const group = keyShareGroups(message)[0];
  if (group === undefined) return fail({ reason: 'unsupportedHello', detail: 'the ServerHello carries no key share' }, out);
  if (group !== state.share.group) return fail({ reason: 'unofferedGroup', group: groupName(group) }, out);
  const shared = sharedSecretFor(group, state.share.keys.secretKey, keyShareOf(message, group)!);
  if (!(shared instanceof Uint8Array)) return fail(shared, out);
  const transcript = append(state.transcript, message);
  const psk = message.extensions.find((e) => e.type === 'pre_shared_key');
  if (psk && (!state.resuming || psk.selected !== 0)) return fail({ reason: 'unofferedExtension', extension: 'a pre_shared_key naming a ticket we did not offer' }, out);
  const keys = handshakeKeys(shared, transcript, state.clientRandom, spec, out, psk ? state.resuming!.earlySecret : undefined);
  if (psk && state.resuming) {
    const { earlySecret: _, ...early } = state.resuming;
    void _;
    const resumed: Resumed = { ...early, psk: true };
    out.log.push("ServerHello accepting our ticket, with the server's key share: the keys come from the ticket's secret and a fresh ECDHE secret; the rest of the handshake is encrypted.");
    return { state: { kind: 'ExpectEncryptedExtensions', transcript, clientRandom: state.clientRandom, opened: false, resumed, ...keys }, out };
  }
  out.log.push(
    state.resuming
      ? "ServerHello without our ticket: the bank wants a full handshake (its certificate and all); our early data was not read."
      : "ServerHello with the server's key share: both sides now share an ECDHE secret; the rest of the handshake is encrypted.",
  );
  const unread = state.resuming?.earlyData ? { resumed: { earlyData: state.resuming.earlyData, accepted: false } } : {};
  return { state: { kind: 'ExpectEncryptedExtensions', transcript, clientRandom: state.clientRandom, opened: false, ...unread, ...keys }, out };
}

function finishedProves(clickedThrough: CertificateCheckName[]): string {
  if (clickedThrough.length === 0) {
    return 'Server Finished verified; sent ours. Every check passed: a protected session with bank.example. Its keys come from ephemeral shares that are now forgotten: forward secrecy.';
  }
  const n = clickedThrough.length;
  return `Server Finished verified; sent ours. The other end holds the private key of the certificate you accepted — a certificate that failed ${n} check${n > 1 ? 's' : ''}, so nothing says that end is bank.example: this is not a secure session.`;
}

type EncryptedClient = Extract<Level5ClientState, { kind: 'ExpectEncryptedExtensions' | 'ExpectCertificate' | 'ExpectDecision' | 'ExpectCertificateVerify' | 'ExpectFinished' }>;

/** One decrypted handshake message, in the state that awaits it. */
function handshakeStep(state: EncryptedClient, message: HandshakeMessage, ctx: HandshakeContext, config: ClientConfig, spec: Tls13Spec, out: Output): Step<Phase<Level5ClientState>> {
  if (state.kind === 'ExpectDecision') return { state: { ...state, pending: [...state.pending, message] }, out };
  const transcript = append(state.transcript, message);
  switch (state.kind) {
    case 'ExpectEncryptedExtensions': {
      if (message.type !== 'EncryptedExtensions') return fail({ reason: 'unexpectedMessage', expected: 'EncryptedExtensions', got: message.type }, out);
      const earlyRead = message.extensions.some((e) => e.type === 'early_data');
      if (earlyRead && !(state.resumed?.psk && state.resumed.earlyData)) return fail({ reason: 'unofferedExtension', extension: 'early_data (we sent no early data it could read)' }, out);
      if (!state.resumed?.psk) return { state: { ...state, transcript, kind: 'ExpectCertificate' }, out };
      // §2.2: on a resumed session the ticket's secret stands for the bank's certificate: Finished comes next.
      const resumed = { ...state.resumed, accepted: earlyRead };
      if (state.resumed.earlyData) out.log.push(earlyRead ? 'EncryptedExtensions: the bank read our early data (early_data).' : 'EncryptedExtensions: the bank did not read our early data; we send it again once the handshake is over.');
      return { state: { ...state, transcript, resumed, kind: 'ExpectFinished', clickedThrough: [] }, out };
    }
    case 'ExpectCertificate': {
      if (message.type !== 'Certificate') return fail({ reason: 'unexpectedMessage', expected: 'Certificate', got: message.type }, out);
      const checks = checkCertificate(message, config, ctx, spec.certificateKey, out);
      if (config.revocation) {
        const revocation = checkRevocation(message, config.trustStore, config.revocation, ctx);
        checks.push(revocation);
        out.checks.push(revocation);
      }
      if (checks.every((c) => c.passed)) {
        out.log.push("Certificate checked offline with the CA's pre-installed public key: all checks pass. Now the server must prove it holds the key.");
        return { state: { ...state, transcript, kind: 'ExpectCertificateVerify', certificate: message.certificate, clickedThrough: [] }, out };
      }
      out.decision = { kind: 'certificate', prompt: 'Your connection is not private. The certificate failed a check.', checks, certificate: message.certificate };
      out.log.push(certificateWarning(config, ctx.gameTime));
      return { state: { ...state, transcript, kind: 'ExpectDecision', certificate: message.certificate, checks, pending: [] }, out };
    }
    case 'ExpectCertificateVerify': {
      if (message.type !== 'CertificateVerify') return fail({ reason: 'unexpectedMessage', expected: 'CertificateVerify', got: message.type }, out);
      const ok = message.scheme === SCHEME.ecdsaP256Sha256 && ecdsaP256Verify(state.certificate.publicKey, certificateVerifyContent(state.transcript), message.signature);
      if (!ok) return fail({ reason: 'badCertificateVerify' }, out);
      out.checks.push({ check: 'certificateVerify', passed: true, detail: "the server signed our handshake with the certificate's key: it holds the private key" });
      return { state: { ...state, transcript, kind: 'ExpectFinished', clickedThrough: state.clickedThrough }, out };
    }
    case 'ExpectFinished': {
      if (message.type !== 'Finished') return fail({ reason: 'unexpectedMessage', expected: 'Finished', got: message.type }, out);
      const expected = tls13FinishedVerifyData(state.serverTrafficSecret, transcriptHash(state.transcript));
      if (!equalBytes(expected, message.verifyData)) return fail({ reason: 'badFinished' }, out);
      const resumed = state.resumed;
      out.checks.push({
        check: 'finished',
        passed: true,
        detail: resumed?.psk ? "server Finished MAC matches our transcript: the bank holds our ticket's secret, and both sides saw the same handshake" : 'server Finished MAC matches our transcript: both sides saw the same handshake',
      });
      const app = applicationKeys(state.handshakeSecret, transcript, state.clientRandom, spec, out);
      // §4.5: where the bank read our early data, EndOfEarlyData closes it, under the early keys, and joins the transcript.
      let finishedTranscript = transcript;
      if (resumed?.accepted && resumed.earlyKeys) {
        const end: HandshakeMessage = { type: 'EndOfEarlyData' };
        out.send.push(sealRecord(resumed.earlyKeys, encodeHandshake(end), CONTENT_TYPE.handshake).record);
        finishedTranscript = append(transcript, end);
      }
      const clientFinished: MessageOf<'Finished'> = { type: 'Finished', verifyData: tls13FinishedVerifyData(state.clientTrafficSecret, transcriptHash(finishedTranscript)) };
      const sealed = sealRecord(state.clientKeys, encodeHandshake(clientFinished), CONTENT_TYPE.handshake);
      out.send.push(sealed.record);
      out.log.push(resumed?.psk ? 'Server Finished verified; sent ours. A resumed session with bank.example: the ticket from our last visit, and a fresh key exchange for forward secrecy.' : finishedProves(state.clickedThrough));
      let sendKeys = app.client;
      // Early data the bank did not read goes again, now under the application keys.
      if (resumed?.earlyData && !resumed.accepted) {
        const again = sealRecord(sendKeys, resumed.earlyData, CONTENT_TYPE.applicationData);
        out.send.push(again.record);
        sendKeys = again.next;
        out.log.push('Sent our request again, now inside the session (the bank did not read it as early data).');
      }
      const resumptionSecret = tls13ResumptionMasterSecret(app.masterSecret, transcriptHash(append(finishedTranscript, clientFinished)));
      return { state: { kind: 'Traffic', sendKeys, receiveKeys: app.server, secrets: { send: app.clientSecret, receive: app.serverSecret }, resumptionSecret }, out };
    }
  }
}

/** A record in an encrypted state: decrypt it, then hand each message it completes to the state that awaits it. */
function encryptedRecord(state: EncryptedClient, record: Message, ctx: HandshakeContext, config: ClientConfig, spec: Tls13Spec, out: Output): Step<Phase<Level5ClientState>> {
  const opened = openHandshake(state.serverKeys, record, !state.opened, 'EncryptedExtensions', out, 'client', state.held);
  if ('reason' in opened) return fail(opened, out);
  let step: Step<Phase<Level5ClientState>> = { state: { ...state, serverKeys: opened.next, opened: true, held: opened.rest }, out };
  for (const [i, m] of opened.messages.entries()) {
    const current = step.state;
    if (current.kind === 'Failed') break;
    if (current.kind === 'Traffic' || current.kind === 'ExpectRedirect' || current.kind === 'ExpectServerHello') {
      return fail(keyChangeAligned('Finished', opened.messages.slice(i), opened.rest)!, out);
    }
    step = handshakeStep(current, m, ctx, config, spec, out);
  }
  if (step.state.kind === 'Traffic') {
    const misaligned = keyChangeAligned('Finished', [], opened.rest);
    if (misaligned) return fail(misaligned, out);
  }
  return step;
}

/**
 * The browser's TLS 1.3 client, speaking the level's suite, groups and version and checking its
 * certificate key; with `also12`, a browser that may also offer that TLS 1.2 (downgrade.ts answers a 1.2 ServerHello).
 */
export function level5Client(spec: Tls13Spec, also12?: TlsSpec<'1.2'>): ClientMachine<Level5ClientState> {
  if (spec.groups[0] === undefined) throw new Error('a TLS 1.3 level names at least one key-exchange group (its module’s tls.groups)');
  const hello = (ctx: HandshakeContext, config: ClientConfig, out: Output) => clientHello(ctx, config, spec, out, also12);
  return {
    start: (ctx, config) => startHttpFirst(config, ctx.gameTime, (out) => hello(ctx, config, out)),
    awaitsDecision: (state) => state.kind === 'ExpectDecision',
    receive(state, message, ctx, config) {
      if (state.kind === 'ExpectRedirect') return onPlainAnswer(message, config, (out) => hello(ctx, config, out));
      const plain = plainHttpDuringHandshake(message, 'the handshake');
      if (plain) return plain;
      const out = emptyOutput();
      // §5, D.4: a ChangeCipherSpec after the ServerHello or the HelloRetryRequest, before the server's Finished, is for middleboxes, and ignored.
      if (message.type === 'ChangeCipherSpec' && (state.kind !== 'ExpectServerHello' || state.retried)) return { state, out };
      switch (state.kind) {
        case 'ExpectServerHello':
          if (message.type === 'HelloRetryRequest') return answerRetry(state, message, ctx, config, spec, out);
          if (message.type !== 'ServerHello') return fail({ reason: 'unexpectedMessage', expected: 'ServerHello', got: message.type });
          return readServerHello(state, message, spec, out);
        default:
          return encryptedRecord(state, message, ctx, config, spec, out);
      }
    },
    decide(state, trust, ctx, config) {
      if (state.kind !== 'ExpectDecision') return { state, out: emptyOutput() };
      return clickThrough(state.checks, trust, (clickedThrough, out) => {
        const { pending, checks, ...rest } = state;
        void checks;
        let step: Step<Phase<Level5ClientState>> = { state: { ...rest, kind: 'ExpectCertificateVerify', clickedThrough }, out };
        for (const message of pending) {
          const current = step.state;
          if (current.kind === 'Failed' || current.kind === 'Traffic' || current.kind === 'ExpectRedirect' || current.kind === 'ExpectServerHello') break;
          const next = handshakeStep(current, message, ctx, config, spec, emptyOutput());
          mergeInto(out, next.out);
          step = { state: next.state, out };
        }
        return step;
      });
    },
  };
}
