/**
 * Level 4 — Certified: HTTPS as TLS 1.2 tells it (RFC 5246), with RSA key transport
 * (TLS_RSA_WITH_AES_128_GCM_SHA256, RFC 5288).
 *   (plain http:// request → redirect, unless HSTS; see http-first.ts) →
 *   ClientHello → ServerHello + Certificate → client checks the certificate →
 *   ClientKeyExchange (the pre-master secret RSA-encrypted to the certificate's key, §7.4.7.1) →
 *   both derive master secret and keys (§8.1, §6.3) → Finished both ways (§7.4.9) → records.
 * Finished is sent encrypted under the new keys, as after ChangeCipherSpec in TLS 1.2: it is
 * each side's first encrypted message, so keys that differ (a changed random, or a pre-master
 * the bank could not decrypt) fail its tag, and any other change to the handshake fails its MAC.
 *
 * The bank never says that decryption failed (RFC 5246 §7.4.7.1, crypto/rsa.ts): a block that
 * does not decode gives a random pre-master, so an attacker learns nothing from the bank's
 * answer (Bleichenbacher's and the Marvin attack read exactly that). TLS 1.3 dropped RSA key
 * transport for this reason and for its lack of forward secrecy.
 */
import { rsaDecryptRaw, rsaPkcs1Encrypt } from '../crypto/primitives.ts';
import { tlsPreMasterFromBlock } from '../crypto/rsa.ts';
import { rsaPrivateKeyFromDer, rsaPublicKeyFromDer } from '../pki/keys.ts';
import { tls12FinishedVerifyData, tls12KeyBlock, tls12MasterSecret } from '../crypto/tls12-prf.ts';
import { equalBytes } from '../codec/bytes.ts';
import { encodeMessage, tryDecodeMessage } from '../messages/codec.ts';
import { SUITE } from '../messages/codes.ts';
import type { Certificate, Message, MessageOf } from '../messages/types.ts';
import { verifyCertificate } from '../pki/verify.ts';
import type { CertificateCheckName, CheckResult } from '../round/types.ts';
import { failedCertificateChecks, type Failure } from './failures.ts';
import { onPlainAnswer, openOverHttp, plainHttpDuringHandshake, redirectToHttps, type ExpectRedirect } from './http-first.ts';
import type { ClientMachine, ServerMachine } from './machine.ts';
import { CONTENT_TYPE, openRecord, sealRecord, type RecordKeys } from './record.ts';
import { checkClientHello, fail } from './traffic.ts';
import { append, transcriptHash, type Transcript } from './transcript.ts';
import { emptyOutput, type ClientConfig, type HandshakeContext, type Output, type Phase, type Step } from './types.ts';

const SUITE4 = SUITE.TLS_RSA_WITH_AES_128_GCM_SHA256;
/** §7.4.7.1: the pre-master starts with the version the client offered (TLS 1.2). */
export const CLIENT_VERSION = [3, 3] as const;

/**
 * The server's side of §7.4.7.1: RSA-decrypt, then decode the padding without saying where it
 * failed. `fallback` (48 random bytes, drawn before decrypting) stands in when it does.
 */
export function decryptPreMaster(secretKeyDer: Uint8Array, encrypted: Uint8Array, fallback: Uint8Array): Uint8Array {
  let block: Uint8Array | null = null;
  try {
    block = rsaDecryptRaw(rsaPrivateKeyFromDer(secretKeyDer), encrypted);
  } catch {
    block = null; // not an RSA key (a misconfigured bank): decoding below still runs, on zeros
  }
  return tlsPreMasterFromBlock(block ?? new Uint8Array(256), CLIENT_VERSION, fallback);
}

interface Randoms {
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
}
interface Keys {
  clientWrite: RecordKeys;
  serverWrite: RecordKeys;
  masterSecret: Uint8Array;
}
/** The certificate checks the player went past (empty when every check passed). */
interface Accepted {
  clickedThrough: CertificateCheckName[];
}

export type Level4ClientState =
  | ExpectRedirect
  | { kind: 'ExpectServerHello'; transcript: Transcript; clientRandom: Uint8Array }
  | ({ kind: 'ExpectCertificate'; transcript: Transcript } & Randoms)
  | ({ kind: 'ExpectDecision'; transcript: Transcript; certificate: Certificate; checks: CheckResult[] } & Randoms)
  | ({ kind: 'ExpectServerFinished'; transcript: Transcript } & Keys & Accepted);

export type Level4ServerState =
  | { kind: 'ExpectClientHello' }
  | ({ kind: 'ExpectClientKeyExchange'; transcript: Transcript } & Randoms)
  | ({ kind: 'ExpectClientFinished'; transcript: Transcript } & Keys);

/** §8.1 and §6.3: pre-master → master secret → key block (AES-128-GCM: 16-byte keys, 4-byte salts). */
export function level4Keys(preMaster: Uint8Array, r: Randoms): Keys {
  const masterSecret = tls12MasterSecret(preMaster, r.clientRandom, r.serverRandom);
  const block = tls12KeyBlock(masterSecret, r.clientRandom, r.serverRandom, 16, 4);
  return {
    masterSecret,
    clientWrite: { style: 'tls12', key: block.clientWriteKey, iv: block.clientWriteIv, seq: 0 },
    serverWrite: { style: 'tls12', key: block.serverWriteKey, iv: block.serverWriteIv, seq: 0 },
  };
}

function learnKeys(out: Output, preMaster: Uint8Array, keys: Keys): void {
  out.learned['pre-master secret'] = preMaster;
  out.learned['master secret'] = keys.masterSecret;
  out.learned['client write key'] = keys.clientWrite.key;
  out.learned['server write key'] = keys.serverWrite.key;
}

function clientHello(ctx: HandshakeContext, config: ClientConfig, out: Output): Step<Level4ClientState> {
  const hello: Message = { type: 'ClientHello', random: ctx.rng.bytes(32), cipherSuites: [SUITE4], serverName: config.serverName, keyShare: new Uint8Array(0) };
  out.send.push(hello);
  out.log.push(`ClientHello: a fresh public random, our cipher suite, and the name we want: ${config.serverName}.`);
  return { state: { kind: 'ExpectServerHello', transcript: append([], hello), clientRandom: hello.random }, out };
}

/** All checks passed, or the player clicked through: seal a pre-master secret and send Finished. */
function sendKeyExchange(
  state: Extract<Level4ClientState, { kind: 'ExpectCertificate' | 'ExpectDecision' }>,
  certificate: Certificate,
  clickedThrough: CertificateCheckName[],
  ctx: HandshakeContext,
  out: Output,
): Step<Phase<Level4ClientState>> {
  const preMaster = new Uint8Array([...CLIENT_VERSION, ...ctx.rng.bytes(46)]); // §7.4.7.1: version ‖ 46 random bytes
  let encryptedPreMaster: Uint8Array;
  try {
    if (certificate.keyType !== 'rsa') throw new Error('not RSA');
    encryptedPreMaster = rsaPkcs1Encrypt(rsaPublicKeyFromDer(certificate.publicKey), preMaster, ctx.rng);
  } catch {
    return fail({ reason: 'unusableCertificateKey', detail: "the certificate's key is not an RSA key, so the pre-master secret cannot be encrypted to it" }, out);
  }
  const kex: Message = { type: 'ClientKeyExchange', encryptedPreMaster };
  const keys = level4Keys(preMaster, state);
  let transcript = append(state.transcript, kex);
  const finished: Message = { type: 'Finished', verifyData: tls12FinishedVerifyData(keys.masterSecret, 'client', transcriptHash(transcript)) };
  transcript = append(transcript, finished);
  const sealedFinished = sealRecord(keys.clientWrite, encodeMessage(finished), CONTENT_TYPE.handshake);
  out.send.push(kex, sealedFinished.record);
  learnKeys(out, preMaster, keys);
  out.log.push("Encrypted a fresh pre-master secret to the certificate's RSA key; derived the session keys; sent Finished (a MAC over the whole handshake).");
  return { state: { kind: 'ExpectServerFinished', transcript, ...keys, clientWrite: sealedFinished.next, clickedThrough }, out };
}

/** What a verified server Finished proves, and what it does not when a check was clicked through. */
function finishedProves(clickedThrough: CertificateCheckName[]): string {
  if (clickedThrough.length === 0) {
    return 'Server Finished verified: the other end saw the same handshake and holds the session keys, so it holds the private key of the certificate — and every check passed on that certificate. A protected session with bank.example.';
  }
  const n = clickedThrough.length;
  return `Server Finished verified: the other end holds the private key of the certificate you accepted. But that certificate failed ${n} check${n > 1 ? 's' : ''}, so nothing says that end is bank.example: this is not a secure session.`;
}

export const level4Client: ClientMachine<Level4ClientState> = {
  start(ctx, config) {
    const out = emptyOutput();
    const first = openOverHttp(config, out);
    return first === 'tls' ? clientHello(ctx, config, out) : { state: first, out };
  },
  awaitsDecision: (state) => state.kind === 'ExpectDecision',
  decide(state, trust, ctx) {
    if (state.kind !== 'ExpectDecision') return { state, out: emptyOutput() };
    if (!trust) return fail({ reason: 'certificateRejected', checks: state.checks });
    const out = emptyOutput();
    out.log.push('Clicked through the certificate warning.');
    return sendKeyExchange(state, state.certificate, failedCertificateChecks(state.checks), ctx, out);
  },
  receive(state, message, ctx, config) {
    if (state.kind === 'ExpectRedirect') return onPlainAnswer(message, config, (out) => clientHello(ctx, config, out));
    const plain = plainHttpDuringHandshake(message, config, 'the handshake');
    if (plain) return plain;
    const out = emptyOutput();
    switch (state.kind) {
      case 'ExpectServerHello': {
        if (message.type !== 'ServerHello') return fail({ reason: 'unexpectedMessage', expected: 'ServerHello', got: message.type });
        if (message.cipherSuite !== SUITE4) return fail({ reason: 'unofferedCipherSuite', chosen: message.cipherSuite });
        return { state: { kind: 'ExpectCertificate', transcript: append(state.transcript, message), clientRandom: state.clientRandom, serverRandom: message.random }, out };
      }
      case 'ExpectCertificate': {
        if (message.type !== 'Certificate') return fail({ reason: 'unexpectedMessage', expected: 'Certificate', got: message.type });
        const checks = verifyCertificate(message.certificate, {
          trustStore: config.trustStore,
          expectedName: config.serverName,
          now: ctx.gameTime,
          expectedKeyType: 'rsa',
          expectedUsage: 'keyEncipherment',
        });
        out.checks.push(...checks);
        const next = { ...state, transcript: append(state.transcript, message) };
        if (checks.every((c) => c.passed)) {
          out.log.push("Certificate checked offline with the CA's pre-installed public key: issuer, signature, name, dates and key usage all pass.");
          return sendKeyExchange(next, message.certificate, [], ctx, out);
        }
        out.decision = { kind: 'certificate', prompt: 'Your connection is not private. The certificate failed a check.', checks, certificate: message.certificate };
        out.log.push('The certificate failed a check: waiting for the player to go back or proceed anyway.');
        return { state: { ...next, kind: 'ExpectDecision', certificate: message.certificate, checks }, out };
      }
      case 'ExpectServerFinished': {
        const verified = openFinished(state.serverWrite, message, state.masterSecret, 'server', state.transcript, out);
        if ('reason' in verified) return fail(verified, out);
        out.log.push(finishedProves(state.clickedThrough));
        return { state: { kind: 'Traffic', sendKeys: state.clientWrite, receiveKeys: verified.next }, out };
      }
      case 'ExpectDecision':
        return fail({ reason: 'unexpectedMessage', expected: "the player's decision", got: message.type });
    }
  },
};

export const level4Server: ServerMachine<Level4ServerState> = {
  initial: () => ({ kind: 'ExpectClientHello' }),
  listening: (state) => state.kind === 'ExpectClientHello',
  receive(state, message, ctx, config) {
    const out = emptyOutput();
    switch (state.kind) {
      case 'ExpectClientHello': {
        const redirect = redirectToHttps(message, config.serverName);
        if (redirect) return { state, out: redirect };
        const problem = checkClientHello(message, SUITE4, config);
        if (problem || message.type !== 'ClientHello' || !config.certificate) return fail(problem ?? { reason: 'unexpectedMessage', expected: 'ClientHello', got: message.type });
        const serverHello: Message = { type: 'ServerHello', random: ctx.rng.bytes(32), cipherSuite: SUITE4, keyShare: new Uint8Array(0) };
        const certificate: Message = { type: 'Certificate', certificate: config.certificate };
        out.send.push(serverHello, certificate);
        out.log.push('ServerHello (our public random) and our certificate, signed by the CA.');
        return {
          state: { kind: 'ExpectClientKeyExchange', transcript: append([], message, serverHello, certificate), clientRandom: message.random, serverRandom: serverHello.random },
          out,
        };
      }
      case 'ExpectClientKeyExchange': {
        if (message.type !== 'ClientKeyExchange') return fail({ reason: 'unexpectedMessage', expected: 'ClientKeyExchange', got: message.type });
        const fallback = ctx.rng.bytes(48); // drawn before decrypting, used only if decoding fails (§7.4.7.1)
        const preMaster = decryptPreMaster(config.encryptionKey.secretKey, message.encryptedPreMaster, fallback);
        const keys = level4Keys(preMaster, state);
        learnKeys(out, preMaster, keys);
        out.log.push('Decrypted the pre-master secret with our RSA private key and derived the session keys. Whether it really was encrypted to our key shows only at Finished: TLS never says that decryption failed.');
        return { state: { kind: 'ExpectClientFinished', transcript: append(state.transcript, message), ...keys }, out };
      }
      case 'ExpectClientFinished': {
        const verified = openFinished(state.clientWrite, message, state.masterSecret, 'client', state.transcript, out);
        if ('reason' in verified) return fail(verified, out);
        const transcript = append(state.transcript, verified.finished);
        const serverFinished: Message = { type: 'Finished', verifyData: tls12FinishedVerifyData(state.masterSecret, 'server', transcriptHash(transcript)) };
        const sealed = sealRecord(state.serverWrite, encodeMessage(serverFinished), CONTENT_TYPE.handshake);
        out.send.push(sealed.record);
        out.log.push('Client Finished verified; sent our Finished. The session is protected (TLS proves the bank to the client, not the client to the bank).');
        return { state: { kind: 'Traffic', sendKeys: sealed.next, receiveKeys: verified.next }, out };
      }
    }
  },
};

/**
 * §7.4.9: open the peer's encrypted Finished — its first encrypted message, so a tag that
 * fails means the two sides hold different keys — and compare its verify_data with ours.
 */
function openFinished(
  keys: RecordKeys,
  message: Message,
  masterSecret: Uint8Array,
  sender: 'client' | 'server',
  transcript: Transcript,
  out: Output,
): { finished: MessageOf<'Finished'>; next: RecordKeys } | Failure {
  if (message.type !== 'EncryptedRecord') return { reason: 'unexpectedMessage', expected: 'Finished (encrypted)', got: message.type };
  const opened = openRecord(keys, message, CONTENT_TYPE.handshake);
  if (!opened.ok) return opened.failure.reason === 'badRecordMac' ? { reason: 'handshakeKeysDiffer', message: 'Finished' } : opened.failure;
  out.checks.push({ check: 'handshakeRecord', passed: true, detail: `the ${sender}'s first encrypted message opened: both sides derived the same keys from the randoms and the pre-master secret` });
  const finished = tryDecodeMessage(opened.plaintext);
  if (finished?.type !== 'Finished') return { reason: 'unexpectedMessage', expected: 'Finished', got: finished?.type ?? 'Malformed' };
  const ok = equalBytes(tls12FinishedVerifyData(masterSecret, sender, transcriptHash(transcript)), finished.verifyData);
  if (!ok) return { reason: 'badFinished' };
  out.checks.push({ check: 'finished', passed: true, detail: `${sender} Finished MAC matches our transcript: both sides saw the same handshake` });
  return { finished, next: opened.next };
}
