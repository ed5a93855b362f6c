/**
 * Level 4e — TLS 1.2 with ephemeral ECDH (RFC 5246 with RFC 8422; RFC 5289's
 * TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0xC02B), byte for byte:
 *   (plain http:// request → redirect, unless HSTS) →
 *   ClientHello (+ supported_groups secp256r1, ec_point_formats) → ServerHello, Certificate
 *   (an ECDSA P-256 key), ServerKeyExchange (a one-time P-256 share, signed with the
 *   certificate's key over client_random ‖ server_random ‖ params, §5.4), ServerHelloDone →
 *   the client checks the certificate, then the signature → ClientKeyExchange (its own one-time
 *   share, §5.7), ChangeCipherSpec, Finished → ChangeCipherSpec, Finished → records.
 * The pre-master secret is the x-coordinate of the shared point (§5.10); the master secret and
 * keys follow as at level 4 (tls12-common.ts). Both one-time secrets are forgotten after the
 * handshake, so a later leak of the certificate's key opens none of the recording: forward
 * secrecy comes from the key exchange, not from the version number.
 *
 * A swapped share in ServerKeyExchange breaks its signature: decrypt_error (RFC 5246 §7.2.2).
 * A swapped share in ClientKeyExchange (which nothing signs) makes the two sides' keys differ:
 * the first encrypted message, Finished, fails its tag.
 */
import { concat } from '../codec/bytes.ts';
import { ecdsaP256Sign, ecdsaP256Verify, type KeyPair } from '../crypto/primitives.ts';
import { NAMED_GROUPS, SCHEME, showCode } from '../messages/tls-codes.ts';
import type { Message, MessageOf } from '../messages/types.ts';
import type { CertificateCheckName } from '../basics/checks.ts';
import type { Failure } from './failures.ts';
import { agree, ephemeralName, ephemeralShare, groupName, shareShape } from './groups.ts';
import { supportedGroups } from './hello.ts';
import { clickThrough, greetClient, onPlainAnswer, plainHttpDuringHandshake, startHttpFirst, type ExpectRedirect } from './http-first.ts';
import type { ClientMachine, ServerMachine } from './machine.ts';
import {
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
import { emptyOutput, type HandshakeContext, type Output, type Phase, type Step } from './types.ts';

/** RFC 8422 §5.4: ECCurveType named_curve. */
const NAMED_CURVE = 3;

/**
 * RFC 8422 §5.4: what the server signs — client_random ‖ server_random ‖ ServerECDHParams
 * (curve_type, named curve, the point with its 1-byte length).
 */
export function serverKeyExchangeSigned(r: Randoms, group: number, publicKey: Uint8Array): Uint8Array {
  return concat(r.clientRandom, r.serverRandom, new Uint8Array([NAMED_CURVE, group >> 8, group & 0xff, publicKey.length]), publicKey);
}

/** The server's verified one-time share, and its group. */
interface ServerShare {
  serverShare: Uint8Array;
  group: number;
}

export type Level4eClientState =
  | ExpectRedirect
  | ExpectServerHello12
  | ({ kind: 'ExpectCertificate'; transcript: Transcript } & Randoms)
  | ({ kind: 'ExpectServerKeyExchange'; transcript: Transcript } & Randoms & Checked)
  | ({ kind: 'ExpectServerHelloDone'; transcript: Transcript } & Randoms & Checked & ServerShare)
  | ({ kind: 'ExpectDecision'; transcript: Transcript } & Randoms & Checked & ServerShare)
  | ClientFinishing;

export type Level4eServerState =
  | { kind: 'ExpectClientHello' }
  | ({ kind: 'ExpectClientKeyExchange'; transcript: Transcript; group: number; ephemeral: KeyPair } & Randoms)
  | ServerFinishing;

/** §5.10: the pre-master secret is the x-coordinate of the shared point; a share that is not a point of the group is refused. */
function preMasterFrom(group: number, secretKey: Uint8Array, peerShare: Uint8Array): Uint8Array | Failure {
  try {
    return agree(group, secretKey, peerShare);
  } catch {
    return { reason: 'decodeError', detail: `the key share is not ${shareShape(group)}` };
  }
}

/** The groups in the registry's own names, for a refusal: "secp256r1". */
const registryNames = (groups: readonly number[]) => groups.map((g) => NAMED_GROUPS.name(g) ?? showCode(NAMED_GROUPS, g)).join(', ');

/** RFC 8422 §5.4: the signature must verify with the certificate's ECDSA key; a swapped share fails here. */
function checkServerKeyExchange(state: Extract<Level4eClientState, { kind: 'ExpectServerKeyExchange' }>, message: Message, spec: TlsSpec<'1.2'>, out: Output): Failure | ServerShare {
  if (message.type !== 'ServerKeyExchange') return { reason: 'unexpectedMessage', expected: 'ServerKeyExchange', got: message.type };
  if (state.certificate.keyType !== 'p256') return { reason: 'unusableCertificateKey', detail: "the certificate's key is not an ECDSA P-256 key, so it cannot have signed the key share" };
  if (!spec.groups.includes(message.group)) return { reason: 'decodeError', detail: `the key share is not on the curve we offered (${registryNames(spec.groups)})` };
  const signed = serverKeyExchangeSigned(state, message.group, message.publicKey);
  if (message.scheme !== SCHEME.ecdsaP256Sha256 || !ecdsaP256Verify(state.certificate.publicKey, signed, message.signature)) return { reason: 'badServerKeyExchange' };
  out.checks.push({ check: 'serverKeyExchange', passed: true, detail: "the one-time key share is signed with the certificate's key, over both randoms: the share is the certificate holder's, and fresh" });
  return { serverShare: message.publicKey, group: message.group };
}

/** All checks passed, or the player clicked through: our own one-time share, the pre-master secret, then ChangeCipherSpec and Finished. */
function sendKeyExchange(
  state: Extract<Level4eClientState, { kind: 'ExpectServerHelloDone' | 'ExpectDecision' }>,
  clickedThrough: CertificateCheckName[],
  ctx: HandshakeContext,
  out: Output,
): Step<Phase<Level4eClientState>> {
  const ephemeral = ephemeralShare(state.group, ctx.rng);
  const preMaster = preMasterFrom(state.group, ephemeral.secretKey, state.serverShare);
  if (!(preMaster instanceof Uint8Array)) return fail(preMaster, out);
  const kex: MessageOf<'ClientKeyExchange'> = { type: 'ClientKeyExchange', encryptedPreMaster: new Uint8Array(0), ecdhPublic: ephemeral.publicKey };
  const throughKex = append(state.transcript, kex);
  const keys = tls12Keys(preMaster, state, throughKex);
  out.learned[ephemeralName(state.group)] = ephemeral.secretKey;
  learnKeys(out, preMaster, keys, state);
  const flight = clientFinishedFlight(throughKex, keys, out);
  out.send.unshift(kex);
  out.log.push(`Sent our own one-time ${groupName(state.group)} key share; with the server's signed share it makes the pre-master secret, which never crosses the wire. ChangeCipherSpec, then Finished (our first encrypted message).`);
  return { state: { kind: 'ExpectChangeCipherSpec', transcript: flight.transcript, clientRandom: state.clientRandom, serverRandom: state.serverRandom, extendedMasterSecret: state.extendedMasterSecret, ...keys, clientWrite: flight.clientWrite, clickedThrough }, out };
}

/** TLS 1.2 as browsers speak it: ECDHE on the level's groups, and the extended master secret (RFC 7627) unless told otherwise. */
const hello = (ctx: HandshakeContext, config: Parameters<typeof clientHello12>[1], spec: TlsSpec<'1.2'>, out: Output) =>
  clientHello12<Level4eClientState>(ctx, config, spec, out, { ems: config.extendedMasterSecret ?? true });

/** The browser's TLS 1.2 ECDHE client, speaking the level's suite and groups and checking its certificate key. */
export const level4eClient = (spec: TlsSpec<'1.2'>): ClientMachine<Level4eClientState> => ({
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
        return { state: { ...state, kind: 'ExpectServerKeyExchange', transcript: append(state.transcript, message), certificate: message.certificate, checks }, out };
      }
      case 'ExpectServerKeyExchange': {
        const share = checkServerKeyExchange(state, message, spec, out);
        if (isFailure(share)) return fail(share, out);
        return { state: { ...state, kind: 'ExpectServerHelloDone', transcript: append(state.transcript, message as MessageOf<'ServerKeyExchange'>), ...share }, out };
      }
      case 'ExpectServerHelloDone':
        return serverHelloDone(state, message, config, out, "Certificate checked offline with the CA's pre-installed public key, and its key signed the one-time share: every check passes.", (next) => sendKeyExchange(next, [], ctx, out));
      case 'ExpectChangeCipherSpec':
      case 'ExpectServerFinished':
        return clientFinishing(state, message, out, 'signedShare', ['Both one-time secrets are now forgotten: a later leak of the bank’s key cannot recreate these session keys (forward secrecy).']);
      case 'ExpectDecision':
        return fail({ reason: 'unexpectedMessage', expected: "the player's decision", got: message.type });
    }
  },
});

/** The bank's TLS 1.2 ECDHE server, speaking the level's suite on the first of its groups the client lists. */
export const level4eServer = (spec: TlsSpec<'1.2'>): ServerMachine<Level4eServerState> => ({
  ...LISTENS_FOR_CLIENT_HELLO,
  receive(state, message, ctx, config) {
    const out = emptyOutput();
    switch (state.kind) {
      case 'ExpectClientHello': {
        const accepted = greetClient(message, config.serverName, (m) => checkClientHello(m, spec.suite, config));
        if ('redirect' in accepted) return { state, out: accepted.redirect };
        if (isFailure(accepted)) return fail(accepted);
        const { hello, certificate } = accepted;
        // RFC 8422 §5.1.1: an ECDHE suite only on a curve the client lists (no list: any curve it implements).
        const listed = supportedGroups(hello);
        const group = listed ? spec.groups.find((g) => listed.includes(g)) : spec.groups[0];
        if (group === undefined) return fail({ reason: 'unsupportedHello', detail: `the client offers no curve we speak (${registryNames(spec.groups)}) in supported_groups` });
        const { transcript, ...randoms } = serverHello12(hello, spec.suite, certificate, ctx, out, config.chain);
        const ephemeral = ephemeralShare(group, ctx.rng);
        const ske: MessageOf<'ServerKeyExchange'> = {
          type: 'ServerKeyExchange',
          group,
          publicKey: ephemeral.publicKey,
          scheme: SCHEME.ecdsaP256Sha256,
          signature: ecdsaP256Sign(config.signingKey.secretKey, serverKeyExchangeSigned(randoms, group, ephemeral.publicKey)),
        };
        out.send.push(ske, { type: 'ServerHelloDone' });
        out.learned[ephemeralName(group)] = ephemeral.secretKey;
        out.log.push(`ServerHello (our public random), our certificate signed by the CA, a one-time ${groupName(group)} key share signed with the certificate’s key (ServerKeyExchange), ServerHelloDone.`);
        return {
          state: { kind: 'ExpectClientKeyExchange', transcript: append(transcript, ske, { type: 'ServerHelloDone' }), group, ephemeral, ...randoms },
          out,
        };
      }
      case 'ExpectClientKeyExchange': {
        if (message.type !== 'ClientKeyExchange' || message.ecdhPublic.length === 0) return fail({ reason: 'unexpectedMessage', expected: 'ClientKeyExchange (the client’s ECDH key share)', got: message.type });
        const preMaster = preMasterFrom(state.group, state.ephemeral.secretKey, message.ecdhPublic);
        if (!(preMaster instanceof Uint8Array)) return fail(preMaster, out);
        const keys = tls12Keys(preMaster, state, append(state.transcript, message));
        learnKeys(out, preMaster, keys, state);
        out.log.push("The client's one-time share and ours make the pre-master secret; derived the session keys. Whether the client had our real share shows at Finished.");
        return { state: { kind: 'ExpectChangeCipherSpec', transcript: append(state.transcript, message), clientRandom: state.clientRandom, serverRandom: state.serverRandom, extendedMasterSecret: state.extendedMasterSecret, ...keys }, out };
      }
      case 'ExpectChangeCipherSpec':
      case 'ExpectClientFinished':
        return serverFinishing(state, message, out, 'Client Finished verified; ChangeCipherSpec and our Finished sent. The session is protected; our one-time secret is discarded.');
    }
  },
});
