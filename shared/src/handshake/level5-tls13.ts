/**
 * Level 5 — Forward secrecy: TLS 1.3 (RFC 8446), byte for byte.
 *   (plain http:// request → redirect, unless HSTS; see http-first.ts) →
 *   ClientHello (supported_versions, supported_groups, signature_algorithms, server_name,
 *   an X25519 key_share) → ServerHello (supported_versions, key_share) → encrypted from here
 *   on (§2): EncryptedExtensions, Certificate, CertificateVerify (§4.4.3, ECDSA P-256 over the
 *   transcript with the certificate's key), Finished (§4.4.4) → client Finished → application
 *   records, the real content type inside each (§5.2).
 * Keys come from the §7.1 key schedule over the ephemeral X25519 secret and the hash of both
 * hellos, so a change to any field of either hello makes the two sides' handshake keys differ:
 * the first encrypted handshake message then fails its tag. Both sides forget the ephemeral
 * secrets after the handshake: a later leak of the server's signing key opens nothing.
 *
 * What the game does not do: HelloRetryRequest, PSK and resumption, 0-RTT, client
 * certificates. It ignores a peer's middlebox-compatibility ChangeCipherSpec (§5, D.4) and
 * sends none; it reads and sets aside a peer's NewSessionTicket (traffic.ts).
 */
import { concat, equalBytes, utf8 } from '../codec/bytes.ts';
import { ecdsaP256Sign, ecdsaP256Verify, x25519KeyPair, x25519SharedSecret, type KeyPair } from '../crypto/primitives.ts';
import { tls13ApplicationSecrets, tls13FinishedVerifyData, tls13HandshakeSecrets, tls13TrafficKeys } from '../crypto/tls13-key-schedule.ts';
import { decodeHandshakes, encodeHandshake } from '../messages/codec.ts';
import { SUITE } from '../messages/codes.ts';
import { GROUP, SCHEME, TLS13 } from '../messages/tls-codes.ts';
import type { HandshakeMessage } from '../messages/tls.ts';
import type { Certificate, Message, MessageOf, MessageType } from '../messages/types.ts';
import type { CertificateCheckName, CheckResult } from '../round/types.ts';
import { failedCertificateChecks, type Failure } from './failures.ts';
import { keyShareOf, supportedVersions } from './hello.ts';
import { certificateWarning, onPlainAnswer, openOverHttp, plainHttpDuringHandshake, redirectToHttps, type ExpectRedirect } from './http-first.ts';
import { keyLogLine } from './key-log.ts';
import { mergeInto, type ClientMachine, type ServerMachine } from './machine.ts';
import { CONTENT_TYPE, openRecord, sealRecord, type RecordKeys } from './record.ts';
import { checkCertificate } from './tls12-common.ts';
import { checkClientHello, fail } from './traffic.ts';
import { append, transcriptHash, type Transcript } from './transcript.ts';
import { emptyOutput, type ClientConfig, type HandshakeContext, type Output, type Phase, type Step } from './types.ts';

interface HandshakeKeys {
  handshakeSecret: Uint8Array;
  clientTrafficSecret: Uint8Array;
  serverTrafficSecret: Uint8Array;
  clientKeys: RecordKeys;
  serverKeys: RecordKeys;
}

/** Every encrypted state: the transcript so far, the handshake keys, whether the first encrypted record has opened yet. */
type Encrypted = { transcript: Transcript; clientRandom: Uint8Array; opened: boolean } & HandshakeKeys;

export type Level5ClientState =
  | ExpectRedirect
  | { kind: 'ExpectServerHello'; transcript: Transcript; ephemeral: KeyPair; clientRandom: Uint8Array }
  | ({ kind: 'ExpectEncryptedExtensions' } & Encrypted)
  | ({ kind: 'ExpectCertificate' } & Encrypted)
  | ({ kind: 'ExpectDecision'; certificate: Certificate; checks: CheckResult[]; pending: HandshakeMessage[] } & Encrypted)
  | ({ kind: 'ExpectCertificateVerify'; certificate: Certificate; clickedThrough: CertificateCheckName[] } & Encrypted)
  | ({ kind: 'ExpectFinished'; clickedThrough: CertificateCheckName[] } & Encrypted);

export type Level5ServerState =
  | { kind: 'ExpectClientHello' }
  | ({ kind: 'ExpectClientFinished'; applicationKeys: { client: RecordKeys; server: RecordKeys } } & Encrypted);

const SUITE5 = SUITE.TLS_AES_128_GCM_SHA256;
const KEY_LENGTH = 16; // TLS_AES_128_GCM_SHA256

function recordKeys(trafficSecret: Uint8Array): RecordKeys {
  const { key, iv } = tls13TrafficKeys(trafficSecret, KEY_LENGTH);
  return { style: 'tls13', key, iv, seq: 0 };
}

/** §7.1: (EC)DHE secret + hash(ClientHello‖ServerHello) → handshake traffic keys, which both sides now hold. */
function handshakeKeys(shared: Uint8Array, transcript: Transcript, clientRandom: Uint8Array, out: Output): HandshakeKeys {
  const s = tls13HandshakeSecrets(shared, transcriptHash(transcript));
  out.learned['client handshake traffic secret'] = s.clientHandshakeTrafficSecret;
  out.learned['server handshake traffic secret'] = s.serverHandshakeTrafficSecret;
  out.keyLog.push(keyLogLine('CLIENT_HANDSHAKE_TRAFFIC_SECRET', clientRandom, s.clientHandshakeTrafficSecret), keyLogLine('SERVER_HANDSHAKE_TRAFFIC_SECRET', clientRandom, s.serverHandshakeTrafficSecret));
  return {
    handshakeSecret: s.handshakeSecret,
    clientTrafficSecret: s.clientHandshakeTrafficSecret,
    serverTrafficSecret: s.serverHandshakeTrafficSecret,
    clientKeys: recordKeys(s.clientHandshakeTrafficSecret),
    serverKeys: recordKeys(s.serverHandshakeTrafficSecret),
  };
}

/** §4.4.3: 64 spaces ‖ context string ‖ 0 ‖ transcript hash. */
export function certificateVerifyContent(transcript: Transcript): Uint8Array {
  return concat(new Uint8Array(64).fill(0x20), utf8('TLS 1.3, server CertificateVerify'), new Uint8Array([0]), transcriptHash(transcript));
}

function applicationKeys(handshakeSecret: Uint8Array, transcript: Transcript, clientRandom: Uint8Array, out: Output) {
  const s = tls13ApplicationSecrets(handshakeSecret, transcriptHash(transcript));
  const client = recordKeys(s.clientApplicationTrafficSecret);
  const server = recordKeys(s.serverApplicationTrafficSecret);
  out.learned['client application key'] = client.key;
  out.learned['server application key'] = server.key;
  out.keyLog.push(
    keyLogLine('CLIENT_TRAFFIC_SECRET_0', clientRandom, s.clientApplicationTrafficSecret),
    keyLogLine('SERVER_TRAFFIC_SECRET_0', clientRandom, s.serverApplicationTrafficSecret),
    keyLogLine('EXPORTER_SECRET', clientRandom, s.exporterMasterSecret),
  );
  return { client, server };
}

function sharedSecret(secretKey: Uint8Array, peerShare: Uint8Array | undefined): Uint8Array | Failure {
  if (!peerShare) return { reason: 'unsupportedHello', detail: 'no X25519 key share (the game does not send HelloRetryRequest)' };
  if (peerShare.length !== 32) return { reason: 'decodeError', detail: 'an X25519 key share is 32 bytes' };
  try {
    return x25519SharedSecret(secretKey, peerShare);
  } catch {
    return { reason: 'decodeError', detail: 'invalid X25519 key share' };
  }
}

function clientHello(ctx: HandshakeContext, config: ClientConfig, out: Output): Step<Level5ClientState> {
  const ephemeral = x25519KeyPair(ctx.rng.bytes(32));
  const hello: MessageOf<'ClientHello'> = {
    type: 'ClientHello',
    random: ctx.rng.bytes(32),
    sessionId: new Uint8Array(0),
    cipherSuites: [SUITE5],
    extensions: [
      { type: 'server_name', hostName: config.serverName },
      { type: 'supported_groups', groups: [GROUP.x25519] },
      { type: 'signature_algorithms', schemes: [SCHEME.ecdsaP256Sha256] },
      { type: 'supported_versions', versions: [TLS13] },
      { type: 'key_share', shares: [{ group: GROUP.x25519, key: ephemeral.publicKey }] },
    ],
  };
  out.send.push(hello);
  out.learned['ephemeral X25519 secret (forgotten after the handshake)'] = ephemeral.secretKey;
  out.log.push(`ClientHello with a fresh ephemeral X25519 key share, for ${config.serverName}.`);
  return { state: { kind: 'ExpectServerHello', transcript: append([], hello), ephemeral, clientRandom: hello.random }, out };
}

/**
 * Decrypts one handshake record under `keys`. The first one is the first encrypted message:
 * if its tag fails, the two sides' keys differ. TLS lets one record carry several messages.
 */
function openHandshake(keys: RecordKeys, message: Message, first: boolean, firstName: MessageType, out: Output, side: 'client' | 'server'): { messages: HandshakeMessage[]; next: RecordKeys } | Failure {
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
  if (opened.contentType !== CONTENT_TYPE.handshake) return { reason: 'unexpectedMessage', expected: 'a handshake message', got: opened.contentType === CONTENT_TYPE.alert ? 'Alert' : 'EncryptedRecord' };
  try {
    return { messages: decodeHandshakes(opened.plaintext, { tls13: true, lenient: true }), next: opened.next };
  } catch {
    return { reason: 'decodeError', detail: 'encrypted handshake message does not decode' };
  }
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
function handshakeStep(state: EncryptedClient, message: HandshakeMessage, ctx: HandshakeContext, config: ClientConfig, out: Output): Step<Phase<Level5ClientState>> {
  if (state.kind === 'ExpectDecision') return { state: { ...state, pending: [...state.pending, message] }, out };
  const transcript = append(state.transcript, message);
  switch (state.kind) {
    case 'ExpectEncryptedExtensions':
      if (message.type !== 'EncryptedExtensions') return fail({ reason: 'unexpectedMessage', expected: 'EncryptedExtensions', got: message.type }, out);
      return { state: { ...state, transcript, kind: 'ExpectCertificate' }, out };
    case 'ExpectCertificate': {
      if (message.type !== 'Certificate') return fail({ reason: 'unexpectedMessage', expected: 'Certificate', got: message.type }, out);
      const checks = checkCertificate(message, config, ctx, 'p256', 'digitalSignature', out);
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
      out.checks.push({ check: 'finished', passed: true, detail: 'server Finished MAC matches our transcript: both sides saw the same handshake' });
      const app = applicationKeys(state.handshakeSecret, transcript, state.clientRandom, out);
      const clientFinished: MessageOf<'Finished'> = { type: 'Finished', verifyData: tls13FinishedVerifyData(state.clientTrafficSecret, transcriptHash(transcript)) };
      const sealed = sealRecord(state.clientKeys, encodeHandshake(clientFinished), CONTENT_TYPE.handshake);
      out.send.push(sealed.record);
      out.log.push(finishedProves(state.clickedThrough));
      return { state: { kind: 'Traffic', sendKeys: app.client, receiveKeys: app.server }, out };
    }
  }
}

/** A record in an encrypted state: decrypt it, then hand each message inside to the state that awaits it. */
function encryptedRecord(state: EncryptedClient, record: Message, ctx: HandshakeContext, config: ClientConfig, out: Output): Step<Phase<Level5ClientState>> {
  const opened = openHandshake(state.serverKeys, record, !state.opened, 'EncryptedExtensions', out, 'client');
  if ('reason' in opened) return fail(opened, out);
  let step: Step<Phase<Level5ClientState>> = { state: { ...state, serverKeys: opened.next, opened: true }, out };
  for (const m of opened.messages) {
    const current = step.state;
    if (current.kind === 'Failed' || current.kind === 'Traffic' || current.kind === 'ExpectRedirect' || current.kind === 'ExpectServerHello') break;
    step = handshakeStep(current, m, ctx, config, out);
  }
  return step;
}

export const level5Client: ClientMachine<Level5ClientState> = {
  start(ctx, config) {
    const out = emptyOutput();
    const first = openOverHttp(config, out);
    return first === 'tls' ? clientHello(ctx, config, out) : { state: first, out };
  },
  awaitsDecision: (state) => state.kind === 'ExpectDecision',
  receive(state, message, ctx, config) {
    if (state.kind === 'ExpectRedirect') return onPlainAnswer(message, config, (out) => clientHello(ctx, config, out));
    const plain = plainHttpDuringHandshake(message, 'the handshake');
    if (plain) return plain;
    const out = emptyOutput();
    // §5: a ChangeCipherSpec before the server's Finished is for middleboxes, and ignored.
    if (message.type === 'ChangeCipherSpec' && state.kind !== 'ExpectServerHello') return { state, out };
    switch (state.kind) {
      case 'ExpectServerHello': {
        if (message.type !== 'ServerHello') return fail({ reason: 'unexpectedMessage', expected: 'ServerHello', got: message.type });
        if (message.cipherSuite !== SUITE5) return fail({ reason: 'unofferedCipherSuite', chosen: message.cipherSuite });
        const versions = supportedVersions(message);
        if (versions.length !== 1 || versions[0] !== TLS13) return fail({ reason: 'unofferedVersion', detail: 'the ServerHello does not choose TLS 1.3 (supported_versions)' });
        const shared = sharedSecret(state.ephemeral.secretKey, keyShareOf(message, GROUP.x25519));
        if (!(shared instanceof Uint8Array)) return fail(shared);
        const transcript = append(state.transcript, message);
        const keys = handshakeKeys(shared, transcript, state.clientRandom, out);
        out.log.push("ServerHello with the server's key share: both sides now share an ECDHE secret; the rest of the handshake is encrypted.");
        return { state: { kind: 'ExpectEncryptedExtensions', transcript, clientRandom: state.clientRandom, opened: false, ...keys }, out };
      }
      default:
        return encryptedRecord(state, message, ctx, config, out);
    }
  },
  decide(state, trust, ctx, config) {
    if (state.kind !== 'ExpectDecision') return { state, out: emptyOutput() };
    if (!trust) return fail({ reason: 'certificateRejected', checks: state.checks });
    const out = emptyOutput();
    out.log.push('Clicked through the certificate warning.');
    const { pending, checks, ...rest } = state;
    void checks;
    let step: Step<Phase<Level5ClientState>> = { state: { ...rest, kind: 'ExpectCertificateVerify', clickedThrough: failedCertificateChecks(state.checks) }, out };
    for (const message of pending) {
      const current = step.state;
      if (current.kind === 'Failed' || current.kind === 'Traffic' || current.kind === 'ExpectRedirect' || current.kind === 'ExpectServerHello') break;
      const next = handshakeStep(current, message, ctx, config, emptyOutput());
      mergeInto(out, next.out);
      step = { state: next.state, out };
    }
    return step;
  },
};

export const level5Server: ServerMachine<Level5ServerState> = {
  initial: () => ({ kind: 'ExpectClientHello' }),
  listening: (state) => state.kind === 'ExpectClientHello',
  // Once its Finished is sent the server writes under its application keys (RFC 8446 §7.3).
  writeKeys: (state) => (state.kind === 'ExpectClientFinished' ? state.applicationKeys.server : undefined),
  receive(state, message, ctx, config) {
    const out = emptyOutput();
    switch (state.kind) {
      case 'ExpectClientHello': {
        const redirect = redirectToHttps(message, config.serverName);
        if (redirect) return { state, out: redirect };
        const problem = checkClientHello(message, SUITE5, config);
        if (problem || message.type !== 'ClientHello' || !config.certificate) return fail(problem ?? { reason: 'unexpectedMessage', expected: 'ClientHello', got: message.type });
        if (!supportedVersions(message).includes(TLS13)) return fail({ reason: 'unsupportedVersion', detail: 'the client does not offer TLS 1.3 (supported_versions), the only version this bank speaks' });
        const ephemeral = x25519KeyPair(ctx.rng.bytes(32));
        const shared = sharedSecret(ephemeral.secretKey, keyShareOf(message, GROUP.x25519));
        if (!(shared instanceof Uint8Array)) return fail(shared);
        const serverHello: MessageOf<'ServerHello'> = {
          type: 'ServerHello',
          random: ctx.rng.bytes(32),
          sessionId: message.sessionId.slice(), // §4.1.3: echoed
          cipherSuite: SUITE5,
          extensions: [
            { type: 'supported_versions', versions: [TLS13] },
            { type: 'key_share', shares: [{ group: GROUP.x25519, key: ephemeral.publicKey }] },
          ],
        };
        let transcript = append([], message, serverHello);
        const keys = handshakeKeys(shared, transcript, message.random, out);
        const flight: HandshakeMessage[] = [
          { type: 'EncryptedExtensions', extensions: [] },
          { type: 'Certificate', context: new Uint8Array(0), certificate: config.certificate, chain: [...(config.chain ?? [])] },
        ];
        transcript = append(transcript, ...flight);
        const verify: HandshakeMessage = { type: 'CertificateVerify', scheme: SCHEME.ecdsaP256Sha256, signature: ecdsaP256Sign(config.signingKey.secretKey, certificateVerifyContent(transcript)) };
        transcript = append(transcript, verify);
        const finished: HandshakeMessage = { type: 'Finished', verifyData: tls13FinishedVerifyData(keys.serverTrafficSecret, transcriptHash(transcript)) };
        transcript = append(transcript, finished);
        let serverKeys = keys.serverKeys;
        out.send.push(serverHello);
        for (const m of [...flight, verify, finished]) {
          const sealed = sealRecord(serverKeys, encodeHandshake(m), CONTENT_TYPE.handshake);
          out.send.push(sealed.record);
          serverKeys = sealed.next;
        }
        const app = applicationKeys(keys.handshakeSecret, transcript, message.random, out);
        out.learned['ephemeral X25519 secret (forgotten after the handshake)'] = ephemeral.secretKey;
        out.log.push('ServerHello with our key share; then, encrypted: EncryptedExtensions, our certificate, CertificateVerify (our signature over the handshake), Finished.');
        return { state: { kind: 'ExpectClientFinished', transcript, clientRandom: message.random, opened: false, ...keys, serverKeys, applicationKeys: app }, out };
      }
      case 'ExpectClientFinished': {
        if (message.type === 'ChangeCipherSpec') return { state, out }; // the client's middlebox-compatibility CCS (§5, D.4)
        const opened = openHandshake(state.clientKeys, message, !state.opened, 'Finished', out, 'server');
        if ('reason' in opened) return fail(opened, out);
        const finished = opened.messages.length === 1 ? opened.messages[0] : undefined;
        if (finished?.type !== 'Finished') return fail({ reason: 'unexpectedMessage', expected: 'Finished', got: finished?.type ?? 'Malformed' }, out);
        const ok = equalBytes(tls13FinishedVerifyData(state.clientTrafficSecret, transcriptHash(state.transcript)), finished.verifyData);
        if (!ok) return fail({ reason: 'badFinished' }, out);
        out.checks.push({ check: 'finished', passed: true, detail: 'client Finished MAC matches our transcript' });
        out.log.push('Client Finished verified: the session is protected; the ephemeral secrets are discarded.');
        return { state: { kind: 'Traffic', sendKeys: state.applicationKeys.server, receiveKeys: state.applicationKeys.client }, out };
      }
    }
  },
};
