/**
 * What TLS 1.2's two key exchanges share (levels 4 and 4e, RFC 5246): the hellos, the
 * certificate checks, the master secret and key block (§8.1, §6.3), ChangeCipherSpec (§7.1)
 * and the encrypted Finished both ways (§7.4.9), and the key log line (CLIENT_RANDOM).
 */
import { equalBytes } from '../codec/bytes.ts';
import { tls12ExtendedMasterSecret, tls12FinishedVerifyData, tls12KeyBlock, tls12MasterSecret } from '../crypto/tls12-prf.ts';
import { encodeHandshake } from '../messages/codec.ts';
import { SCHEME } from '../messages/tls-codes.ts';
import type { Certificate, Extension, Message, MessageOf } from '../messages/types.ts';
import { CERTIFICATE_SIGNATURE_SCHEMES } from '../pki/signatures.ts';
import { checksOf, validateCertificatePath } from '../pki/verify.ts';
import { pathTransparencyCheck } from '../pki/ct-check.ts';
import type { CertificateCheckName, CheckResult } from '../basics/checks.ts';
import type { Failure } from './failures.ts';
import { joinHandshake, keyChangeAligned } from './fragments.ts';
import { hasExtendedMasterSecret, serverNameOf } from './hello.ts';
import { keyLogLine } from './key-log.ts';
import { CONTENT_TYPE, openRecord, sealRecord, type RecordKeys } from './record.ts';
import { fail } from './traffic.ts';
import type { CertificateKey, TlsSpec } from './tls-spec.ts';
import { append, transcriptHash, type Transcript } from './transcript.ts';
import type { ClientConfig, Failed, HandshakeContext, Output, Phase, Step } from './types.ts';
import { certificateWarning } from './http-first.ts';

/** §7.4.7.1: the pre-master starts with the version the client offered (TLS 1.2). */
export const CLIENT_VERSION = [3, 3] as const;

/** What the key derivation takes from the hellos: both randoms, and whether RFC 7627's extended master secret was agreed. */
export interface Randoms {
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
  /** Both hellos carried extended_master_secret: the master secret comes from the session hash (RFC 7627 §4). */
  extendedMasterSecret: boolean;
}
export interface Tls12Keys {
  clientWrite: RecordKeys;
  serverWrite: RecordKeys;
  masterSecret: Uint8Array;
}

/**
 * §8.1 and §6.3: pre-master → master secret → key block (AES-GCM, RFC 5288 §3: the suite's
 * `keyLength`-byte keys, 4-byte salts). With the extended master secret (RFC 7627 §4) the master
 * secret comes from the hash of `throughKeyExchange`, every handshake message up to and including
 * ClientKeyExchange.
 */
export function tls12Keys(preMaster: Uint8Array, r: Randoms, throughKeyExchange: Transcript, keyLength: number): Tls12Keys {
  const masterSecret = r.extendedMasterSecret ? tls12ExtendedMasterSecret(preMaster, transcriptHash(throughKeyExchange)) : tls12MasterSecret(preMaster, r.clientRandom, r.serverRandom);
  const block = tls12KeyBlock(masterSecret, r.clientRandom, r.serverRandom, keyLength, 4);
  return {
    masterSecret,
    clientWrite: { style: 'tls12', key: block.clientWriteKey, iv: block.clientWriteIv, seq: 0 },
    serverWrite: { style: 'tls12', key: block.serverWriteKey, iv: block.serverWriteIv, seq: 0 },
  };
}

/** What this party now holds, and the key log line that lets Wireshark decrypt the session (the master secret, whichever way it was made). */
export function learnKeys(out: Output, preMaster: Uint8Array, keys: Tls12Keys, r: Randoms): void {
  const { clientRandom } = r;
  if (r.extendedMasterSecret) out.log.push('Extended master secret (RFC 7627): the master secret is made from a hash of every handshake message so far, so it belongs to this handshake alone.');
  out.learned['pre-master secret'] = preMaster;
  out.learned['master secret'] = keys.masterSecret;
  out.learned['client write key'] = keys.clientWrite.key;
  out.learned['server write key'] = keys.serverWrite.key;
  out.keyLog.push(keyLogLine('CLIENT_RANDOM', clientRandom, keys.masterSecret));
}

/** The TLS 1.2 client before the ServerHello: its hello, and whether it offered the extended master secret. */
export interface ExpectServerHello12 {
  kind: 'ExpectServerHello';
  transcript: Transcript;
  clientRandom: Uint8Array;
  offersExtendedMasterSecret: boolean;
}

/**
 * The TLS 1.2 ClientHello: the level's suite, the name wanted (SNI), the signature schemes the
 * browser checks, secure renegotiation (RFC 5746, which OpenSSL 3 insists on); for ECDHE (a level
 * with groups) the groups and point formats (RFC 8422 §5.1); the extended master secret when
 * `ems` (RFC 7627).
 */
export function clientHello12<S>(ctx: HandshakeContext, config: ClientConfig, spec: TlsSpec<'1.2'>, out: Output, options: { ems: boolean }): Step<S | ExpectServerHello12> {
  const extensions: Extension[] = [{ type: 'server_name', hostName: config.serverName }];
  if (spec.groups.length > 0) extensions.push({ type: 'supported_groups', groups: [...spec.groups] }, { type: 'ec_point_formats', formats: [0] });
  // The leaked-key event: ask for the server's stapled OCSP answer (RFC 6066 §8).
  if (config.revocation) extensions.push({ type: 'status_request' });
  extensions.push({ type: 'signature_algorithms', schemes: [SCHEME.ecdsaP256Sha256, SCHEME.rsaPkcs1Sha256] });
  if (options.ems) extensions.push({ type: 'extended_master_secret' });
  extensions.push({ type: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) });
  const hello: MessageOf<'ClientHello'> = { type: 'ClientHello', random: ctx.rng.bytes(32), sessionId: new Uint8Array(0), cipherSuites: [spec.suite], extensions };
  out.send.push(hello);
  out.log.push(`ClientHello: a fresh public random, our cipher suite, and the name we want: ${config.serverName}.`);
  return { state: { kind: 'ExpectServerHello', transcript: append([], hello), clientRandom: hello.random, offersExtendedMasterSecret: options.ems }, out };
}

/** The ServerHello must pick the suite offered, and carry the extended master secret only if offered; TLS 1.2 has no supported_versions in it. */
export function expectServerHello12(state: ExpectServerHello12, message: Message, suite: number, out: Output): Step<Phase<{ kind: 'ExpectCertificate'; transcript: Transcript } & Randoms>> {
  if (message.type !== 'ServerHello') return fail({ reason: 'unexpectedMessage', expected: 'ServerHello', got: message.type });
  if (message.cipherSuite !== suite) return fail({ reason: 'unofferedCipherSuite', chosen: message.cipherSuite });
  const ems = hasExtendedMasterSecret(message);
  if (ems && !state.offersExtendedMasterSecret) return fail({ reason: 'unofferedExtension', extension: 'extended_master_secret' });
  return { state: { kind: 'ExpectCertificate', transcript: append(state.transcript, message), clientRandom: state.clientRandom, serverRandom: message.random, extendedMasterSecret: ems }, out };
}

/**
 * The browser's certificate checks, run offline with the trust store: RFC 5280 §6 path
 * validation from the server's certificate through the CA certificates sent after it
 * (pki/verify.ts), with the certificate signatures this browser checks, expecting the key the
 * level's certificates carry.
 */
export function checkCertificate(message: MessageOf<'Certificate'>, config: ClientConfig, ctx: HandshakeContext, expected: CertificateKey, out: Output): CheckResult[] {
  const validation = validateCertificatePath(message.certificate, {
    chain: message.chain,
    trustStore: config.trustStore,
    expectedName: config.serverName,
    now: ctx.gameTime,
    expectedKeyType: expected.keyType,
    expectedUsage: expected.keyUsage,
    signatureSchemes: CERTIFICATE_SIGNATURE_SCHEMES,
  });
  if (typeof validation !== 'string') out.certificatePath = validation;
  const checks = checksOf(validation);
  // A browser that requires Certificate Transparency: an SCT from a log it knows, over this certificate.
  if (config.ctLogs) checks.push(pathTransparencyCheck(validation, config.ctLogs));
  out.checks.push(...checks);
  return checks;
}


/**
 * The server's answer to a ClientHello: ServerHello (a fresh random; renegotiation_info, and an
 * empty server_name when the client sent SNI, RFC 6066 §3) and the Certificate with the CA
 * certificates that lead to the root (RFC 5246 §7.4.2); with an OCSP answer to staple and a
 * client that asked (status_request), an empty status_request and a CertificateStatus after the
 * Certificate (RFC 6066 §8).
 */
export function serverHello12(
  clientHello: MessageOf<'ClientHello'>,
  suite: number,
  certificate: Certificate,
  ctx: HandshakeContext,
  out: Output,
  chain: readonly Certificate[] = [],
  ocspStaple: Uint8Array | undefined = undefined,
  /** RFC 8446 §4.1.3: a server that also speaks TLS 1.3 ends its TLS 1.2 random with this sentinel. */
  sentinel?: Uint8Array,
): { transcript: Transcript } & Randoms {
  const ems = hasExtendedMasterSecret(clientHello); // RFC 7627 §5.2: agreed whenever offered
  const staple = ocspStaple && clientHello.extensions.some((e) => e.type === 'status_request') ? ocspStaple : undefined;
  const extensions: Extension[] = [
    ...(serverNameOf(clientHello) !== undefined ? [{ type: 'server_name', hostName: '' } as const] : []),
    ...(staple ? [{ type: 'status_request' } as const] : []),
    ...(ems ? [{ type: 'extended_master_secret' } as const] : []),
    { type: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) },
  ];
  const random = ctx.rng.bytes(32);
  if (sentinel) random.set(sentinel, 32 - sentinel.length);
  const serverHello: MessageOf<'ServerHello'> = { type: 'ServerHello', random, sessionId: new Uint8Array(0), cipherSuite: suite, extensions };
  const cert: MessageOf<'Certificate'> = { type: 'Certificate', certificate, chain: [...chain] };
  const status: MessageOf<'CertificateStatus'>[] = staple ? [{ type: 'CertificateStatus', ocspResponse: staple }] : [];
  out.send.push(serverHello, cert, ...status);
  return { transcript: append([], clientHello, serverHello, cert, ...status), clientRandom: clientHello.random, serverRandom: serverHello.random, extendedMasterSecret: ems };
}

/** ChangeCipherSpec, then Finished sealed under the new keys: the client's first encrypted message. */
export function clientFinishedFlight(transcript: Transcript, keys: Tls12Keys, out: Output): { transcript: Transcript; clientWrite: RecordKeys } {
  const finished: MessageOf<'Finished'> = { type: 'Finished', verifyData: tls12FinishedVerifyData(keys.masterSecret, 'client', transcriptHash(transcript)) };
  const sealed = sealRecord(keys.clientWrite, encodeHandshake(finished), CONTENT_TYPE.handshake);
  out.send.push({ type: 'ChangeCipherSpec' }, sealed.record);
  return { transcript: append(transcript, finished), clientWrite: sealed.next };
}

/** The server's ChangeCipherSpec and Finished (over the transcript including the client's Finished). */
export function serverFinishedFlight(transcript: Transcript, keys: Tls12Keys, out: Output): RecordKeys {
  const finished: MessageOf<'Finished'> = { type: 'Finished', verifyData: tls12FinishedVerifyData(keys.masterSecret, 'server', transcriptHash(transcript)) };
  const sealed = sealRecord(keys.serverWrite, encodeHandshake(finished), CONTENT_TYPE.handshake);
  out.send.push({ type: 'ChangeCipherSpec' }, sealed.record);
  return sealed.next;
}

/** The start of the peer's Finished, when its first encrypted record did not hold all of it (undefined before that record). */
export interface FinishedSoFar {
  held?: Uint8Array;
}

/**
 * §7.4.9: open the peer's encrypted Finished — its first encrypted message, so a tag that
 * fails means the two sides hold different keys — and compare its verify_data with ours. The
 * message may come in pieces over several records (§6.2.1): until it is whole, `held`.
 */
export function openFinished(
  keys: RecordKeys,
  message: Message,
  masterSecret: Uint8Array,
  sender: 'client' | 'server',
  transcript: Transcript,
  out: Output,
  held: Uint8Array | undefined,
): { finished: MessageOf<'Finished'>; next: RecordKeys } | { held: Uint8Array; next: RecordKeys } | Failure {
  if (message.type !== 'EncryptedRecord' || message.contentType !== 'handshake') return { reason: 'unexpectedMessage', expected: held ? 'the rest of Finished (encrypted)' : 'Finished (encrypted)', got: message.type };
  const opened = openRecord(keys, message);
  if (!opened.ok) return opened.failure.reason === 'badRecordMac' && !held ? { reason: 'handshakeKeysDiffer', message: 'Finished' } : opened.failure;
  if (!held) out.checks.push({ check: 'handshakeRecord', passed: true, detail: `the ${sender}'s first encrypted message opened: both sides derived the same keys from the randoms and the pre-master secret` });
  const joined = joinHandshake(held, opened.plaintext, {});
  if ('reason' in joined) return joined;
  const [finished, ...following] = joined.messages;
  if (!finished) return { held: joined.rest, next: opened.next };
  if (finished.type !== 'Finished') return { reason: 'unexpectedMessage', expected: 'Finished', got: finished.type };
  const misaligned = keyChangeAligned('Finished', following, joined.rest);
  if (misaligned) return misaligned;
  const ok = equalBytes(tls12FinishedVerifyData(masterSecret, sender, transcriptHash(transcript)), finished.verifyData);
  if (!ok) return { reason: 'badFinished' };
  out.checks.push({ check: 'finished', passed: true, detail: `${sender} Finished MAC matches our transcript: both sides saw the same handshake` });
  return { finished, next: opened.next };
}

/** What the browser made of the server's certificate. */
export interface Checked {
  certificate: Certificate;
  checks: CheckResult[];
}

/**
 * RFC 5246 §7.4.5: ServerHelloDone ends the server's flight. With every certificate check passed
 * the browser goes on with its key exchange (`allPassed` says what it checked); otherwise it
 * warns and asks the player.
 */
export function serverHelloDone<T extends { transcript: Transcript } & Checked, R>(
  state: T,
  message: Message,
  config: ClientConfig,
  now: number,
  out: Output,
  allPassed: string,
  sendKeyExchange: (next: T) => R,
): R | Step<Failed> | { state: Omit<T, 'kind'> & { kind: 'ExpectDecision' }; out: Output } {
  if (message.type !== 'ServerHelloDone') return fail({ reason: 'unexpectedMessage', expected: 'ServerHelloDone', got: message.type });
  const next = { ...state, transcript: append(state.transcript, message) };
  if (state.checks.every((c) => c.passed)) {
    out.log.push(allPassed);
    return sendKeyExchange(next);
  }
  out.decision = { kind: 'certificate', prompt: 'Your connection is not private. The certificate failed a check.', checks: state.checks, certificate: state.certificate };
  out.log.push(certificateWarning(config, now));
  return { state: { ...next, kind: 'ExpectDecision' }, out };
}

/** The certificate checks the player went past (empty when every check passed). */
export interface Accepted {
  clickedThrough: CertificateCheckName[];
}

/** The client after its own Finished, whatever the key exchange: the server's ChangeCipherSpec, then its Finished. */
export type ClientFinishing =
  | ({ kind: 'ExpectChangeCipherSpec'; transcript: Transcript } & Randoms & Tls12Keys & Accepted)
  | ({ kind: 'ExpectServerFinished'; transcript: Transcript } & Randoms & Tls12Keys & Accepted & FinishedSoFar);

/** After its ChangeCipherSpec a TLS 1.2 client writes under its keys (RFC 5246 §7.1), its alerts too (§7.2): OpenSSL reads no plain alert there. */
export function tls12ClientWriteKeys(state: { kind: string } | ClientFinishing): RecordKeys | undefined {
  return 'clientWrite' in state && (state.kind === 'ExpectChangeCipherSpec' || state.kind === 'ExpectServerFinished') ? state.clientWrite : undefined;
}

/** The server after the key exchange: the client's ChangeCipherSpec, then its Finished. */
export type ServerFinishing =
  | ({ kind: 'ExpectChangeCipherSpec'; transcript: Transcript } & Randoms & Tls12Keys)
  | ({ kind: 'ExpectClientFinished'; transcript: Transcript } & Randoms & Tls12Keys & FinishedSoFar);

/**
 * What proved the other end holds the certificate's private key: at level 4 only the server's
 * Finished can (it decrypted the pre-master secret, RFC 5246 §7.4.7.1); with ECDHE the
 * ServerKeyExchange signature did (RFC 8422 §5.4), and Finished proves the share's secret.
 */
export type KeyProof = 'decryptedPreMaster' | 'signedShare';

/** §7.1: the peer's ChangeCipherSpec, after which its records (its Finished first) come under the new keys. */
function changeCipherSpec<S>(message: Message, next: S, out: Output): Step<S | Failed> {
  if (message.type !== 'ChangeCipherSpec') return fail({ reason: 'unexpectedMessage', expected: 'ChangeCipherSpec', got: message.type });
  return { state: next, out };
}

/** §7.1 then §7.4.9 on the client; `verified` adds what the level has to say once the server's Finished checks out. */
export function clientFinishing(state: ClientFinishing, message: Message, out: Output, proof: KeyProof, verified: string[] = []): Step<Phase<ClientFinishing>> {
  if (state.kind === 'ExpectChangeCipherSpec') return changeCipherSpec(message, { ...state, kind: 'ExpectServerFinished' }, out);
  const opened = openFinished(state.serverWrite, message, state.masterSecret, 'server', state.transcript, out, state.held);
  if ('reason' in opened) return fail(opened, out);
  if ('held' in opened) return { state: { ...state, serverWrite: opened.next, held: opened.held }, out };
  out.log.push(finishedProves(state.clickedThrough, proof));
  if (state.clickedThrough.length === 0) out.log.push(...verified);
  return { state: { kind: 'Traffic', sendKeys: state.clientWrite, receiveKeys: opened.next }, out };
}

/** §7.1 then §7.4.9 on the server: the client's Finished verified, ours sent; `done` is the level's log line. */
export function serverFinishing(state: ServerFinishing, message: Message, out: Output, done: string): Step<Phase<ServerFinishing>> {
  if (state.kind === 'ExpectChangeCipherSpec') return changeCipherSpec(message, { ...state, kind: 'ExpectClientFinished' }, out);
  const opened = openFinished(state.clientWrite, message, state.masterSecret, 'client', state.transcript, out, state.held);
  if ('reason' in opened) return fail(opened, out);
  if ('held' in opened) return { state: { ...state, clientWrite: opened.next, held: opened.held }, out };
  const sent = serverFinishedFlight(append(state.transcript, opened.finished), state, out);
  out.log.push(done);
  return { state: { kind: 'Traffic', sendKeys: sent, receiveKeys: opened.next }, out };
}

/** What a verified server Finished proves (by the key exchange), and what it does not when a check was clicked through. */
export function finishedProves(clickedThrough: CertificateCheckName[], proof: KeyProof): string {
  const n = clickedThrough.length;
  const notSecure = `But that certificate failed ${n} check${n > 1 ? 's' : ''}, so nothing says that end is bank.example: this is not a secure session.`;
  switch (proof) {
    case 'decryptedPreMaster':
      return n === 0
        ? 'Server Finished verified: the other end decrypted our pre-master secret, so it holds the private key of the certificate, and it saw the same handshake. Every check passed on that certificate: a protected session with bank.example.'
        : `Server Finished verified: the other end decrypted our pre-master secret, so it holds the private key of the certificate you accepted. ${notSecure}`;
    case 'signedShare':
      return n === 0
        ? "Server Finished verified: the other end holds the secret of its key share and saw the same handshake. Its ServerKeyExchange signature proved it holds the certificate's private key, and every check passed on that certificate: a protected session with bank.example."
        : `Server Finished verified: the other end holds the secret of its key share, and its ServerKeyExchange signature proved it holds the private key of the certificate you accepted. ${notSecure}`;
  }
}
