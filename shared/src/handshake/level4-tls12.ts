/**
 * Level 4 — Certified: HTTPS as TLS 1.2 (RFC 5246) with RSA key transport
 * (TLS_RSA_WITH_AES_128_GCM_SHA256, RFC 5288), byte for byte:
 *   (plain http:// request → redirect, unless HSTS; see http-first.ts) →
 *   ClientHello → ServerHello, Certificate, ServerHelloDone → the client checks the
 *   certificate → ClientKeyExchange (the pre-master secret RSA-encrypted to the certificate's
 *   key, §7.4.7.1), ChangeCipherSpec, Finished (encrypted) → ChangeCipherSpec, Finished → records.
 * Both sides derive the master secret and the keys (§8.1, §6.3). Finished is each side's first
 * encrypted message, so keys that differ (a changed random, or a pre-master the bank could not
 * decrypt) fail its tag, and any other change to the handshake fails its MAC (§7.4.9).
 *
 * The bank never says that decryption failed (§7.4.7.1, crypto/rsa.ts): a block that does not
 * decode gives a random pre-master, so an attacker learns nothing from the bank's answer
 * (Bleichenbacher's and the Marvin attack read exactly that). TLS 1.3 dropped RSA key
 * transport for this reason and for its lack of forward secrecy.
 *
 * The shared steps (hellos, Finished, ChangeCipherSpec, keys) live in tls12-common.ts, which
 * level 4e's ECDHE machines use too.
 */
import { rsaDecryptRaw, rsaPkcs1Encrypt } from '../crypto/primitives.ts';
import { tlsPreMasterFromBlock } from '../crypto/rsa.ts';
import type { MessageOf } from '../messages/types.ts';
import { rsaPrivateKeyFromDer, rsaPublicKeyFromDer } from '../pki/keys.ts';
import type { CertificateCheckName } from '../basics/checks.ts';
import { rsaKeyLogLine } from './key-log.ts';
import { clickThrough, greetClient, onPlainAnswer, plainHttpDuringHandshake, startHttpFirst, type ExpectRedirect } from './http-first.ts';
import type { ClientMachine, ServerMachine } from './machine.ts';
import {
  CLIENT_VERSION,
  checkCertificate,
  clientFinishedFlight,
  clientFinishing,
  clientHello12,
  expectServerHello12,
  learnKeys,
  serverFinishing,
  serverHello12,
  tls12Keys,
  type ClientFinishing,
  type ExpectServerHello12,
  type Randoms,
  type ServerFinishing,
  serverHelloDone,
  tls12ClientWriteKeys,
  type Checked,
} from './tls12-common.ts';
import type { TlsSpec } from './tls-spec.ts';
import { checkClientHello, LISTENS_FOR_CLIENT_HELLO, fail, isFailure } from './traffic.ts';
import { append, type Transcript } from './transcript.ts';
import { emptyOutput, type ClientConfig, type HandshakeContext, type Output, type Phase, type Step } from './types.ts';

export { CLIENT_VERSION };

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


export type Level4ClientState =
  | ExpectRedirect
  | ExpectServerHello12
  | ({ kind: 'ExpectCertificate'; transcript: Transcript } & Randoms)
  | ({ kind: 'ExpectServerHelloDone'; transcript: Transcript } & Randoms & Checked)
  | ({ kind: 'ExpectDecision'; transcript: Transcript } & Randoms & Checked)
  | ClientFinishing;

export type Level4ServerState =
  | { kind: 'ExpectClientHello' }
  | ({ kind: 'ExpectClientKeyExchange'; transcript: Transcript } & Randoms)
  | ServerFinishing;

/** All checks passed, or the player clicked through: encrypt a pre-master secret to the certificate's key, then ChangeCipherSpec and Finished. */
function sendKeyExchange(
  state: Extract<Level4ClientState, { kind: 'ExpectServerHelloDone' | 'ExpectDecision' }>,
  clickedThrough: CertificateCheckName[],
  ctx: HandshakeContext,
  out: Output,
): Step<Phase<Level4ClientState>> {
  const preMaster = new Uint8Array([...CLIENT_VERSION, ...ctx.rng.bytes(46)]); // §7.4.7.1: version ‖ 46 random bytes
  let encryptedPreMaster: Uint8Array;
  try {
    if (state.certificate.keyType !== 'rsa') throw new Error('not RSA');
    encryptedPreMaster = rsaPkcs1Encrypt(rsaPublicKeyFromDer(state.certificate.publicKey), preMaster, ctx.rng);
  } catch {
    return fail({ reason: 'unusableCertificateKey', detail: "the certificate's key is not an RSA key, so the pre-master secret cannot be encrypted to it" }, out);
  }
  const kex: MessageOf<'ClientKeyExchange'> = { type: 'ClientKeyExchange', encryptedPreMaster, ecdhPublic: new Uint8Array(0) };
  const throughKex = append(state.transcript, kex);
  const keys = tls12Keys(preMaster, state, throughKex);
  out.keyLog.push(rsaKeyLogLine(encryptedPreMaster, preMaster)); // before CLIENT_RANDOM, in OpenSSL's order
  learnKeys(out, preMaster, keys, state);
  const flight = clientFinishedFlight(throughKex, keys, out);
  out.send.unshift(kex);
  out.log.push("Encrypted a fresh pre-master secret to the certificate's RSA key; derived the session keys; ChangeCipherSpec, then Finished (a MAC over the whole handshake, our first encrypted message).");
  return { state: { kind: 'ExpectChangeCipherSpec', transcript: flight.transcript, clientRandom: state.clientRandom, serverRandom: state.serverRandom, extendedMasterSecret: state.extendedMasterSecret, ...keys, clientWrite: flight.clientWrite, clickedThrough }, out };
}

/** Level 4 keeps to RFC 5246 unless told otherwise: no extended master secret, so a changed hello field that feeds no key is Finished's to catch. */
const hello = (ctx: HandshakeContext, config: ClientConfig, spec: TlsSpec<'1.2'>, out: Output) => clientHello12<Level4ClientState>(ctx, config, spec, out, { ems: config.extendedMasterSecret ?? false });

/** The browser's TLS 1.2 client with RSA key transport, speaking the level's suite and checking its certificate key. */
export const level4Client = (spec: TlsSpec<'1.2'>): ClientMachine<Level4ClientState> => ({
  start: (ctx, config) => startHttpFirst(config, (out) => hello(ctx, config, spec, out)),
  awaitsDecision: (state) => state.kind === 'ExpectDecision',
  writeKeys: tls12ClientWriteKeys,
  decide(state, trust, ctx) {
    if (state.kind !== 'ExpectDecision') return { state, out: emptyOutput() };
    return clickThrough(state.checks, trust, (clickedThrough, out) => sendKeyExchange(state, clickedThrough, ctx, out));
  },
  receive(state, message, ctx, config) {
    if (state.kind === 'ExpectRedirect') return onPlainAnswer(message, config, (out) => hello(ctx, config, spec, out));
    const plain = plainHttpDuringHandshake(message, 'the handshake');
    if (plain) return plain;
    const out = emptyOutput();
    switch (state.kind) {
      case 'ExpectServerHello':
        return expectServerHello12(state, message, spec.suite, out);
      case 'ExpectCertificate': {
        if (message.type !== 'Certificate') return fail({ reason: 'unexpectedMessage', expected: 'Certificate', got: message.type });
        const checks = checkCertificate(message, config, ctx, spec.certificateKey, out);
        return { state: { ...state, kind: 'ExpectServerHelloDone', transcript: append(state.transcript, message), certificate: message.certificate, checks }, out };
      }
      case 'ExpectServerHelloDone':
        return serverHelloDone(state, message, config, out, "Certificate checked offline with the CA's pre-installed public key: issuer, signature, name, dates and key usage all pass.", (next) => sendKeyExchange(next, [], ctx, out));
      case 'ExpectChangeCipherSpec':
      case 'ExpectServerFinished':
        return clientFinishing(state, message, out, 'decryptedPreMaster');
      case 'ExpectDecision':
        return fail({ reason: 'unexpectedMessage', expected: "the player's decision", got: message.type });
    }
  },
});

/** The bank's TLS 1.2 server with RSA key transport, speaking the level's suite. */
export const level4Server = (spec: TlsSpec<'1.2'>): ServerMachine<Level4ServerState> => ({
  ...LISTENS_FOR_CLIENT_HELLO,
  receive(state, message, ctx, config) {
    const out = emptyOutput();
    switch (state.kind) {
      case 'ExpectClientHello': {
        const accepted = greetClient(message, config.serverName, (m) => checkClientHello(m, spec.suite, config));
        if ('redirect' in accepted) return { state, out: accepted.redirect };
        if (isFailure(accepted)) return fail(accepted);
        const { hello, certificate } = accepted;
        const { transcript, ...randoms } = serverHello12(hello, spec.suite, certificate, ctx, out, config.chain);
        out.send.push({ type: 'ServerHelloDone' });
        out.log.push('ServerHello (our public random), our certificate signed by the CA, ServerHelloDone.');
        return { state: { kind: 'ExpectClientKeyExchange', transcript: append(transcript, { type: 'ServerHelloDone' }), ...randoms }, out };
      }
      case 'ExpectClientKeyExchange': {
        if (message.type !== 'ClientKeyExchange' || message.encryptedPreMaster.length === 0) return fail({ reason: 'unexpectedMessage', expected: 'ClientKeyExchange (an RSA-encrypted pre-master secret)', got: message.type });
        const fallback = ctx.rng.bytes(48); // drawn before decrypting, used only if decoding fails (§7.4.7.1)
        const preMaster = decryptPreMaster(config.encryptionKey.secretKey, message.encryptedPreMaster, fallback);
        const keys = tls12Keys(preMaster, state, append(state.transcript, message));
        learnKeys(out, preMaster, keys, state);
        out.log.push('Decrypted the pre-master secret with our RSA private key and derived the session keys. Whether it really was encrypted to our key shows only at Finished: TLS never says that decryption failed.');
        return { state: { ...state, kind: 'ExpectChangeCipherSpec', transcript: append(state.transcript, message), ...keys }, out };
      }
      case 'ExpectChangeCipherSpec':
      case 'ExpectClientFinished':
        return serverFinishing(state, message, out, 'Client Finished verified; ChangeCipherSpec and our Finished sent. The session is protected (TLS proves the bank to the client, not the client to the bank).');
    }
  },
});
