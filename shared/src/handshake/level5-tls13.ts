/**
 * Level 5 — Forward secrecy: TLS 1.3 style (RFC 8446).
 *   (plain http:// request → redirect, unless HSTS; see http-first.ts) →
 *   ClientHello + X25519 key share → ServerHello + key share → (encrypted from here on, §2)
 *   Certificate, CertificateVerify (§4.4.3: the server signs the transcript with the key in
 *   its certificate), Finished (§4.4.4) → client Finished → application records.
 * Keys come from the §7.1 key schedule over the ephemeral X25519 secret and the hash of both
 * hellos, so a change to any field of either hello makes the two sides' handshake keys differ:
 * the first encrypted handshake message then fails its tag. Both sides forget the ephemeral
 * secrets after the handshake: a later leak of the server's signing key opens nothing.
 */
import { concat, equalBytes, utf8 } from '../codec/bytes.ts';
import { ecdsaP256Sign, ecdsaP256Verify, x25519KeyPair, x25519SharedSecret, type KeyPair } from '../crypto/primitives.ts';
import { tls13ApplicationSecrets, tls13FinishedVerifyData, tls13HandshakeSecrets, tls13TrafficKeys } from '../crypto/tls13-key-schedule.ts';
import { encodeMessage, tryDecodeMessage } from '../messages/codec.ts';
import { SUITE } from '../messages/codes.ts';
import type { Certificate, Message } from '../messages/types.ts';
import { verifyCertificate } from '../pki/verify.ts';
import type { CertificateCheckName, CheckResult } from '../round/types.ts';
import { failedCertificateChecks, type Failure } from './failures.ts';
import { onPlainAnswer, openOverHttp, plainHttpDuringHandshake, redirectToHttps, type ExpectRedirect } from './http-first.ts';
import { mergeInto, type ClientMachine, type ServerMachine } from './machine.ts';
import { CONTENT_TYPE, openRecord, sealRecord, type RecordKeys } from './record.ts';
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

type Encrypted = { transcript: Transcript } & HandshakeKeys;

export type Level5ClientState =
  | ExpectRedirect
  | { kind: 'ExpectServerHello'; transcript: Transcript; ephemeral: KeyPair }
  | ({ kind: 'ExpectCertificate' } & Encrypted)
  | ({ kind: 'ExpectDecision'; certificate: Certificate; checks: CheckResult[]; pending: Message[] } & Encrypted)
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
function handshakeKeys(shared: Uint8Array, transcript: Transcript, out: Output): HandshakeKeys {
  const s = tls13HandshakeSecrets(shared, transcriptHash(transcript));
  out.learned['client handshake traffic secret'] = s.clientHandshakeTrafficSecret;
  out.learned['server handshake traffic secret'] = s.serverHandshakeTrafficSecret;
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

function applicationKeys(handshakeSecret: Uint8Array, transcript: Transcript, out: Output) {
  const s = tls13ApplicationSecrets(handshakeSecret, transcriptHash(transcript));
  const client = recordKeys(s.clientApplicationTrafficSecret);
  const server = recordKeys(s.serverApplicationTrafficSecret);
  out.learned['client application key'] = client.key;
  out.learned['server application key'] = server.key;
  return { client, server };
}

function sharedSecret(secretKey: Uint8Array, peerShare: Uint8Array): Uint8Array | Failure {
  if (peerShare.length !== 32) return { reason: 'decodeError', detail: 'key share must be 32 bytes' };
  try {
    return x25519SharedSecret(secretKey, peerShare);
  } catch {
    return { reason: 'decodeError', detail: 'invalid X25519 key share' };
  }
}

function clientHello(ctx: HandshakeContext, config: ClientConfig, out: Output): Step<Level5ClientState> {
  const ephemeral = x25519KeyPair(ctx.rng.bytes(32));
  const hello: Message = { type: 'ClientHello', random: ctx.rng.bytes(32), cipherSuites: [SUITE5], serverName: config.serverName, keyShare: ephemeral.publicKey };
  out.send.push(hello);
  out.learned['ephemeral X25519 secret (forgotten after the handshake)'] = ephemeral.secretKey;
  out.log.push(`ClientHello with a fresh ephemeral X25519 key share, for ${config.serverName}.`);
  return { state: { kind: 'ExpectServerHello', transcript: append([], hello), ephemeral }, out };
}

/**
 * Decrypts one handshake record under the server's handshake key. The first one (Certificate)
 * is the first encrypted message: if its tag fails, the two sides' keys differ.
 */
function openHandshake(state: Encrypted, message: Message, first: boolean, out: Output): { message: Message; next: Encrypted } | Failure {
  if (message.type !== 'EncryptedRecord') return { reason: 'unexpectedMessage', expected: 'an encrypted handshake record', got: message.type };
  const opened = openRecord(state.serverKeys, message, CONTENT_TYPE.handshake);
  if (!opened.ok) return first && opened.failure.reason === 'badRecordMac' ? { reason: 'handshakeKeysDiffer', message: 'Certificate' } : opened.failure;
  if (first) out.checks.push({ check: 'handshakeRecord', passed: true, detail: "the first encrypted handshake message opened: both sides derived the same handshake keys from the key shares and both hellos" });
  const inner = tryDecodeMessage(opened.plaintext);
  if (!inner) return { reason: 'decodeError', detail: 'encrypted handshake message does not decode' };
  return { message: inner, next: { ...state, serverKeys: opened.next } };
}

function finishedProves(clickedThrough: CertificateCheckName[]): string {
  if (clickedThrough.length === 0) {
    return 'Server Finished verified; sent ours. Every check passed: a protected session with bank.example. Its keys come from ephemeral shares that are now forgotten: forward secrecy.';
  }
  const n = clickedThrough.length;
  return `Server Finished verified; sent ours. The other end holds the private key of the certificate you accepted — a certificate that failed ${n} check${n > 1 ? 's' : ''}, so nothing says that end is bank.example: this is not a secure session.`;
}

function encryptedStep(
  state: Extract<Level5ClientState, { kind: 'ExpectCertificate' | 'ExpectCertificateVerify' | 'ExpectFinished' }>,
  record: Message,
  ctx: HandshakeContext,
  config: ClientConfig,
  out: Output,
): Step<Phase<Level5ClientState>> {
  const opened = openHandshake(state, record, state.kind === 'ExpectCertificate', out);
  if ('reason' in opened) return fail(opened, out);
  const { message, next } = opened;
  const transcript = append(next.transcript, message);
  switch (state.kind) {
    case 'ExpectCertificate': {
      if (message.type !== 'Certificate') return fail({ reason: 'unexpectedMessage', expected: 'Certificate', got: message.type }, out);
      const checks = verifyCertificate(message.certificate, {
        trustStore: config.trustStore,
        expectedName: config.serverName,
        now: ctx.gameTime,
        expectedKeyType: 'p256',
        expectedUsage: 'digitalSignature',
      });
      out.checks.push(...checks);
      if (checks.every((c) => c.passed)) {
        out.log.push("Certificate checked offline with the CA's pre-installed public key: all checks pass. Now the server must prove it holds the key.");
        return { state: { ...next, transcript, kind: 'ExpectCertificateVerify', certificate: message.certificate, clickedThrough: [] }, out };
      }
      out.decision = { kind: 'certificate', prompt: 'Your connection is not private. The certificate failed a check.', checks, certificate: message.certificate };
      out.log.push('The certificate failed a check: waiting for the player to go back or proceed anyway.');
      return { state: { ...next, transcript, kind: 'ExpectDecision', certificate: message.certificate, checks, pending: [] }, out };
    }
    case 'ExpectCertificateVerify': {
      if (message.type !== 'CertificateVerify') return fail({ reason: 'unexpectedMessage', expected: 'CertificateVerify', got: message.type }, out);
      const ok = ecdsaP256Verify(state.certificate.publicKey, certificateVerifyContent(next.transcript), message.signature);
      if (!ok) return fail({ reason: 'badCertificateVerify' }, out);
      out.checks.push({ check: 'certificateVerify', passed: true, detail: "the server signed our handshake with the certificate's key: it holds the private key" });
      return { state: { ...next, transcript, kind: 'ExpectFinished', clickedThrough: state.clickedThrough }, out };
    }
    case 'ExpectFinished': {
      if (message.type !== 'Finished') return fail({ reason: 'unexpectedMessage', expected: 'Finished', got: message.type }, out);
      const expected = tls13FinishedVerifyData(state.serverTrafficSecret, transcriptHash(next.transcript));
      if (!equalBytes(expected, message.verifyData)) return fail({ reason: 'badFinished' }, out);
      out.checks.push({ check: 'finished', passed: true, detail: 'server Finished MAC matches our transcript: both sides saw the same handshake' });
      const app = applicationKeys(state.handshakeSecret, transcript, out);
      const clientFinished: Message = { type: 'Finished', verifyData: tls13FinishedVerifyData(state.clientTrafficSecret, transcriptHash(transcript)) };
      const sealed = sealRecord(state.clientKeys, encodeMessage(clientFinished), CONTENT_TYPE.handshake);
      out.send.push(sealed.record);
      out.log.push(finishedProves(state.clickedThrough));
      return { state: { kind: 'Traffic', sendKeys: app.client, receiveKeys: app.server }, out };
    }
  }
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
    const plain = plainHttpDuringHandshake(message, config, 'the handshake');
    if (plain) return plain;
    const out = emptyOutput();
    switch (state.kind) {
      case 'ExpectServerHello': {
        if (message.type !== 'ServerHello') return fail({ reason: 'unexpectedMessage', expected: 'ServerHello', got: message.type });
        if (message.cipherSuite !== SUITE5) return fail({ reason: 'unofferedCipherSuite', chosen: message.cipherSuite });
        const shared = sharedSecret(state.ephemeral.secretKey, message.keyShare);
        if (!(shared instanceof Uint8Array)) return fail(shared);
        const transcript = append(state.transcript, message);
        const keys = handshakeKeys(shared, transcript, out);
        out.log.push("ServerHello with the server's key share: both sides now share an ECDHE secret; the rest of the handshake is encrypted.");
        return { state: { kind: 'ExpectCertificate', transcript, ...keys }, out };
      }
      case 'ExpectCertificate':
      case 'ExpectCertificateVerify':
      case 'ExpectFinished':
        return encryptedStep(state, message, ctx, config, out);
      case 'ExpectDecision':
        return { state: { ...state, pending: [...state.pending, message] }, out };
    }
  },
  decide(state, trust, ctx, config) {
    if (state.kind !== 'ExpectDecision') return { state, out: emptyOutput() };
    if (!trust) return fail({ reason: 'certificateRejected', checks: state.checks });
    const out = emptyOutput();
    out.log.push('Clicked through the certificate warning.');
    let step: Step<Phase<Level5ClientState>> = { state: { ...state, kind: 'ExpectCertificateVerify', clickedThrough: failedCertificateChecks(state.checks) }, out };
    for (const message of state.pending) {
      const current = step.state;
      if (current.kind === 'Failed' || current.kind === 'Traffic') break;
      const next = level5Client.receive(current, message, ctx, config);
      mergeInto(out, next.out);
      step = { state: next.state, out };
    }
    return step;
  },
};

export const level5Server: ServerMachine<Level5ServerState> = {
  initial: () => ({ kind: 'ExpectClientHello' }),
  listening: (state) => state.kind === 'ExpectClientHello',
  receive(state, message, ctx, config) {
    const out = emptyOutput();
    switch (state.kind) {
      case 'ExpectClientHello': {
        const redirect = redirectToHttps(message, config.serverName);
        if (redirect) return { state, out: redirect };
        const problem = checkClientHello(message, SUITE5, config);
        if (problem || message.type !== 'ClientHello' || !config.certificate) return fail(problem ?? { reason: 'unexpectedMessage', expected: 'ClientHello', got: message.type });
        const ephemeral = x25519KeyPair(ctx.rng.bytes(32));
        const shared = sharedSecret(ephemeral.secretKey, message.keyShare);
        if (!(shared instanceof Uint8Array)) return fail(shared);
        const serverHello: Message = { type: 'ServerHello', random: ctx.rng.bytes(32), cipherSuite: SUITE5, keyShare: ephemeral.publicKey };
        let transcript = append([], message, serverHello);
        const keys = handshakeKeys(shared, transcript, out);
        const certificate: Message = { type: 'Certificate', certificate: config.certificate };
        transcript = append(transcript, certificate);
        const verify: Message = { type: 'CertificateVerify', signature: ecdsaP256Sign(config.signingKey.secretKey, certificateVerifyContent(transcript)) };
        transcript = append(transcript, verify);
        const finished: Message = { type: 'Finished', verifyData: tls13FinishedVerifyData(keys.serverTrafficSecret, transcriptHash(transcript)) };
        transcript = append(transcript, finished);
        let serverKeys = keys.serverKeys;
        out.send.push(serverHello);
        for (const m of [certificate, verify, finished]) {
          const sealed = sealRecord(serverKeys, encodeMessage(m), CONTENT_TYPE.handshake);
          out.send.push(sealed.record);
          serverKeys = sealed.next;
        }
        const app = applicationKeys(keys.handshakeSecret, transcript, out);
        out.learned['ephemeral X25519 secret (forgotten after the handshake)'] = ephemeral.secretKey;
        out.log.push('ServerHello with our key share; then, encrypted: certificate, CertificateVerify (our signature over the handshake), Finished.');
        return { state: { kind: 'ExpectClientFinished', transcript, ...keys, serverKeys, applicationKeys: app }, out };
      }
      case 'ExpectClientFinished': {
        if (message.type !== 'EncryptedRecord') return fail({ reason: 'unexpectedMessage', expected: 'Finished (encrypted)', got: message.type });
        const opened = openRecord(state.clientKeys, message, CONTENT_TYPE.handshake);
        // The client's Finished is its first encrypted message: a failed tag means the keys differ.
        if (!opened.ok) return fail(opened.failure.reason === 'badRecordMac' ? { reason: 'handshakeKeysDiffer', message: 'Finished' } : opened.failure, out);
        out.checks.push({ check: 'handshakeRecord', passed: true, detail: "the client's first encrypted message opened: both sides derived the same handshake keys" });
        const finished = tryDecodeMessage(opened.plaintext);
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
