/**
 * Level 5 — Forward secrecy: TLS 1.3 (RFC 8446), byte for byte.
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
import { concat, equalBytes, utf8 } from '../codec/bytes.ts';
import { ecdsaP256Sign, ecdsaP256Verify, type KeyPair } from '../crypto/primitives.ts';
import { tls13ApplicationSecrets, tls13EarlySecrets, tls13FinishedVerifyData, tls13HandshakeSecrets, tls13ResumptionMasterSecret, tls13TicketPsk } from '../crypto/tls13-key-schedule.ts';
import { parseHttp } from '../messages/http.ts';
import { binderFor, clientEarlyTrafficSecret, encodeTicketBody, offerTicket, openTicket, pskOffer, PSK_MODE, sealTicket, ticketId, type TicketState } from './tls13-tickets.ts';
import { encodeHandshake } from '../messages/codec.ts';
import { SCHEME } from '../messages/tls-codes.ts';
import type { HandshakeMessage } from '../messages/tls.ts';
import type { Certificate, Extension, Message, MessageOf, MessageType } from '../messages/types.ts';
import type { CertificateCheckName, CheckResult } from '../basics/checks.ts';
import type { Failure } from './failures.ts';
import { keyShareGroups, keyShareOf, supportedGroups, supportedVersions, withExtension } from './hello.ts';
import { answerShare, ephemeralName, ephemeralShare, groupName, sharedSecretFor } from './groups.ts';
import { certificateWarning, clickThrough, onPlainAnswer, greetClient, plainHttpDuringHandshake, startHttpFirst, type ExpectRedirect } from './http-first.ts';
import { joinHandshake, keyChangeAligned, type Joined } from './fragments.ts';
import { keyLogLine } from './key-log.ts';
import { mergeInto, type ClientMachine, type ServerMachine } from './machine.ts';
import { CONTENT_TYPE, openRecord, sealRecord, tls13RecordKeys, type RecordKeys } from './record.ts';
import { checkCertificate } from './tls12-common.ts';
import { checkRevocation } from './revocation.ts';
import { checkClientHello, LISTENS_FOR_CLIENT_HELLO, fail, isFailure, type AcceptedHello } from './traffic.ts';
import type { TlsSpec } from './tls-spec.ts';
import { append, transcriptAfterRetry, transcriptHash, type Transcript } from './transcript.ts';
import { emptyOutput, type ClientConfig, type HandshakeContext, type Output, type Phase, type ServerConfig, type Step } from './types.ts';

interface HandshakeKeys {
  handshakeSecret: Uint8Array;
  clientTrafficSecret: Uint8Array;
  serverTrafficSecret: Uint8Array;
  clientKeys: RecordKeys;
  serverKeys: RecordKeys;
}

/**
 * Every encrypted state: the transcript so far, the handshake keys, whether the first encrypted
 * record has opened yet, and the start of a handshake message whose rest is in a later record.
 */
type Encrypted = { transcript: Transcript; clientRandom: Uint8Array; opened: boolean; held?: Uint8Array; resumed?: Resumed } & HandshakeKeys;

/**
 * A client's resumed session (the bank took its ticket): the early data's keys, whether it sent
 * some, and whether the bank read it (early_data in EncryptedExtensions) — if not, it goes again
 * after the handshake, as browsers resend a rejected 0-RTT request.
 */
interface Resumed {
  /** The bank took the ticket: no certificate comes, the ticket's secret vouches for the bank. */
  psk?: boolean;
  earlyKeys?: RecordKeys;
  earlyData?: Uint8Array;
  accepted?: boolean;
}

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

export type Level5ServerState =
  | { kind: 'ExpectClientHello' }
  /** After our HelloRetryRequest: the ClientHello again, with a share for `group` (§4.1.4). */
  | { kind: 'ExpectSecondClientHello'; transcript: Transcript; group: number }
  /** A resumed session whose 0-RTT data we read: early data records, then EndOfEarlyData (§4.5). */
  | ({ kind: 'ExpectEndOfEarlyData'; applicationKeys: ApplicationKeys; earlyKeys: RecordKeys } & Encrypted)
  /** `skipEarly`: the client sent early data we refused: its records, which open under no key we hold, are skipped until its first handshake record (§4.2.10). */
  | ({ kind: 'ExpectClientFinished'; applicationKeys: ApplicationKeys; skipEarly?: boolean } & Encrypted);

/** §7.1 and §7.3: each side's application traffic secret (which a KeyUpdate moves on) and the record keys from it. */
interface ApplicationKeys {
  client: RecordKeys;
  server: RecordKeys;
  clientSecret: Uint8Array;
  serverSecret: Uint8Array;
  /** §7.1: the master secret, from which the resumption master secret comes once the client's Finished is in. */
  masterSecret: Uint8Array;
}

/** The TLS 1.3 these machines speak: its version, suite (and key length), groups and certificate key, from the level's module. */
type Tls13Spec = TlsSpec<'1.3'>;

/** §7.1: (EC)DHE secret + hash(ClientHello‖ServerHello) → handshake traffic keys, which both sides now hold. */
function handshakeKeys(shared: Uint8Array, transcript: Transcript, clientRandom: Uint8Array, spec: Tls13Spec, out: Output, earlySecret?: Uint8Array): HandshakeKeys {
  const s = tls13HandshakeSecrets(shared, transcriptHash(transcript), ...(earlySecret ? [earlySecret] : []));
  out.learned['client handshake traffic secret'] = s.clientHandshakeTrafficSecret;
  out.learned['server handshake traffic secret'] = s.serverHandshakeTrafficSecret;
  out.keyLog.push(keyLogLine('CLIENT_HANDSHAKE_TRAFFIC_SECRET', clientRandom, s.clientHandshakeTrafficSecret), keyLogLine('SERVER_HANDSHAKE_TRAFFIC_SECRET', clientRandom, s.serverHandshakeTrafficSecret));
  return {
    handshakeSecret: s.handshakeSecret,
    clientTrafficSecret: s.clientHandshakeTrafficSecret,
    serverTrafficSecret: s.serverHandshakeTrafficSecret,
    clientKeys: tls13RecordKeys(s.clientHandshakeTrafficSecret, spec.keyLength),
    serverKeys: tls13RecordKeys(s.serverHandshakeTrafficSecret, spec.keyLength),
  };
}

/** §4.4.3: 64 spaces ‖ context string ‖ 0 ‖ transcript hash. */
export function certificateVerifyContent(transcript: Transcript): Uint8Array {
  return concat(new Uint8Array(64).fill(0x20), utf8('TLS 1.3, server CertificateVerify'), new Uint8Array([0]), transcriptHash(transcript));
}

function applicationKeys(handshakeSecret: Uint8Array, transcript: Transcript, clientRandom: Uint8Array, spec: Tls13Spec, out: Output): ApplicationKeys {
  const s = tls13ApplicationSecrets(handshakeSecret, transcriptHash(transcript));
  const client = tls13RecordKeys(s.clientApplicationTrafficSecret, spec.keyLength);
  const server = tls13RecordKeys(s.serverApplicationTrafficSecret, spec.keyLength);
  out.learned['client application key'] = client.key;
  out.learned['server application key'] = server.key;
  out.keyLog.push(
    keyLogLine('CLIENT_TRAFFIC_SECRET_0', clientRandom, s.clientApplicationTrafficSecret),
    keyLogLine('SERVER_TRAFFIC_SECRET_0', clientRandom, s.serverApplicationTrafficSecret),
    keyLogLine('EXPORTER_SECRET', clientRandom, s.exporterMasterSecret),
  );
  return { client, server, clientSecret: s.clientApplicationTrafficSecret, serverSecret: s.serverApplicationTrafficSecret, masterSecret: s.masterSecret };
}

/** The groups a side speaks this round: an event's (ClientConfig.groups, ServerConfig.groups), else the level's. */
const groupsOf = (config: { groups?: readonly number[] }, spec: Tls13Spec): readonly number[] => config.groups ?? spec.groups;

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
  if (config.resumption) return resumingHello(hello, share, config, spec, out);
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
function resumingHello(base: MessageOf<'ClientHello'>, share: { group: number; keys: KeyPair }, config: ClientConfig, spec: Tls13Spec, out: Output): Step<Level5ClientState> {
  const resumption = config.resumption!;
  const early = resumption.earlyData;
  const withModes: MessageOf<'ClientHello'> = {
    ...base,
    extensions: [...base.extensions, { type: 'psk_key_exchange_modes', modes: [PSK_MODE.pskDheKe] }, ...(early ? [{ type: 'early_data' as const }] : [])],
  };
  const hello = offerTicket(withModes, resumption);
  out.send.push(hello);
  const transcript = append([], hello);
  const { earlySecret } = tls13EarlySecrets(resumption.ticket.psk);
  out.learned['resumption PSK (from the ticket)'] = resumption.ticket.psk;
  out.log.push(`ClientHello for ${config.serverName} offering the session ticket from our last visit (pre_shared_key, with its binder), and a fresh ephemeral ${groupName(share.group)} key share (psk_dhe_ke).`);
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

/**
 * Decrypts one handshake record under `keys`. The first one is the first encrypted message:
 * if its tag fails, the two sides' keys differ. A record may carry several messages, and a
 * message may run on into the next record (fragments.ts): `held` is what earlier records left.
 */
function openHandshake(keys: RecordKeys, message: Message, first: boolean, firstName: MessageType, out: Output, side: 'client' | 'server', held: Uint8Array | undefined): (Joined & { next: RecordKeys }) | Failure {
  if (message.type !== 'EncryptedRecord') return { reason: 'unexpectedMessage', expected: 'an encrypted handshake record', got: message.type };
  const opened = openRecord(keys, message);
  if (!opened.ok) return first && opened.failure.reason === 'badRecordMac' ? { reason: 'handshakeKeysDiffer', message: firstName } : opened.failure;
  if (first) {
    const detail =
      side === 'client'
        ? 'the first encrypted handshake message opened: both sides derived the same handshake keys from the key shares and both hellos'
        : "the client's first encrypted message opened: both sides derived the same handshake keys";
    out.checks.push({ check: 'handshakeRecord', passed: true, detail });
  }
  if (opened.contentType !== CONTENT_TYPE.handshake) return { reason: 'unexpectedMessage', expected: held?.length ? 'the rest of a handshake message' : 'a handshake message', got: opened.contentType === CONTENT_TYPE.alert ? 'Alert' : 'EncryptedRecord' };
  const joined = joinHandshake(held, opened.plaintext, { tls13: true, lenient: true });
  return 'reason' in joined ? joined : { ...joined, next: opened.next };
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
        const revocation = checkRevocation(message, { ...config, revocation: config.revocation }, ctx);
        checks.push(revocation);
        out.checks.push(revocation);
      }
      if (checks.every((c) => c.passed)) {
        out.log.push("Certificate checked offline with the CA's pre-installed public key: all checks pass. Now the server must prove it holds the key.");
        return { state: { ...state, transcript, kind: 'ExpectCertificateVerify', certificate: message.certificate, clickedThrough: [] }, out };
      }
      out.decision = { kind: 'certificate', prompt: 'Your connection is not private. The certificate failed a check.', checks, certificate: message.certificate };
      out.log.push(certificateWarning(config));
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
    start: (ctx, config) => startHttpFirst(config, (out) => hello(ctx, config, out)),
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
    return { state: { kind: 'ExpectClientFinished', ...base }, out };
  }
  out.log.push('ServerHello with our key share; then, encrypted: EncryptedExtensions, our certificate, CertificateVerify (our signature over the handshake), Finished.');
  return { state: { kind: 'ExpectClientFinished', ...base, ...(resumption?.kind === 'refused' && resumption.earlyData ? { skipEarly: true } : {}) }, out };
}

/**
 * What the bank makes of a ticket offered in a ClientHello: taken (its PSK, and the early data's
 * keys when it reads the early data), or refused (a full handshake; its early data skipped).
 */
type TicketTaken = { kind: 'taken'; earlySecret: Uint8Array; earlyKeys?: RecordKeys } | { kind: 'refused'; earlyData: boolean };

/**
 * §4.2.11, §8.1: the bank opens the ticket with its ticket key and checks the binder (a binder
 * that does not verify is an attack: decrypt_error); a single-use bank then refuses a ticket it
 * has seen before. It reads early data on a ticket it takes if the ticket allows some.
 */
function takeTicket(hello: MessageOf<'ClientHello'>, config: ServerConfig, spec: Tls13Spec, out: Output): TicketTaken | Failure | undefined {
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
  if (!earlyData || state.maxEarlyDataSize === 0) return { kind: 'taken', earlySecret };
  const secret = clientEarlyTrafficSecret(earlySecret, hello);
  out.learned['client early traffic secret'] = secret;
  out.keyLog.push(keyLogLine('CLIENT_EARLY_TRAFFIC_SECRET', hello.random, secret));
  return { kind: 'taken', earlySecret, earlyKeys: tls13RecordKeys(secret, spec.keyLength) };
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
  const ticket = sealTicket(policy.key, { psk, issuedAt: ctx.gameTime, ageAdd, maxEarlyDataSize: policy.maxEarlyDataSize }, ctx.rng);
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
          const accepted = greetClient(state, message, config.serverName, (m) => checkHello(m, config, spec));
          if ('answer' in accepted) return accepted.answer;
          const { hello } = accepted;
          const choice = chooseGroup(hello, groupsOf(config, spec));
          if ('reason' in choice) return fail(choice);
          if (!choice.shared) return askAgain(hello, choice.group, spec, out);
          const ticket = takeTicket(hello, config, spec, out);
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
