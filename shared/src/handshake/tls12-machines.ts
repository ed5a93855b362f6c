/**
 * TLS 1.2's client and server (RFC 5246), with the key exchange plugged in: RSA key transport
 * (level4-tls12.ts) or ECDHE (level4e-ecdhe.ts). What every TLS 1.2 handshake does runs here —
 * the http:// first step, the hellos, the certificate checks and the player's decision,
 * ServerHelloDone, ChangeCipherSpec and Finished both ways (tls12-common.ts) — speaking the
 * level's suite and groups and checking its certificate key (tls-spec.ts). The key exchange
 * says the rest: what the server sends after its Certificate (§7.4.3) and how the client reads
 * it, and how each side comes to the pre-master secret (§7.4.7).
 */
import type { MessageOf, Message } from '../messages/types.ts';
import type { HandshakeMessage } from '../messages/tls.ts';
import type { CertificateCheckName } from '../basics/checks.ts';
import type { Failure } from './failures.ts';
import { clickThrough, greetClient, onPlainAnswer, plainHttpDuringHandshake, startHttpFirst, type ExpectRedirect } from './http-first.ts';
import {
  checkCertificate,
  clientFinishedFlight,
  clientFinishing,
  clientHello12,
  expectServerHello12,
  learnKeys,
  serverFinishing,
  serverHello12,
  serverHelloDone,
  tls12ClientWriteKeys,
  tls12Keys,
  type Checked,
  type ClientFinishing,
  type ExpectServerHello12,
  type KeyProof,
  type Randoms,
  type ServerFinishing,
} from './tls12-common.ts';
import type { TlsSpec } from './tls-spec.ts';
import { checkClientHello, fail, isFailure, LISTENS_FOR_CLIENT_HELLO, servedNames } from './traffic.ts';
import { append, type Transcript } from './transcript.ts';
import { checkRevocation } from './revocation.ts';
import { mergeInto, type ClientMachine, type ServerMachine } from './machine.ts';
import { emptyOutput, type ClientConfig, type HandshakeContext, type Output, type Phase, type ServerConfig, type Step } from './types.ts';

/** The TLS 1.2 a level speaks: its suite, groups and certificate key, from its module. */
export type Tls12Spec = TlsSpec<'1.2'>;

/** The browser, whose key exchange needs the server's parameters `P` (ECDHE: its signed share; RSA: none, the certificate's key is enough). */
export type Tls12ClientState<P> =
  | ExpectRedirect
  | ExpectServerHello12
  | ({ kind: 'ExpectCertificate'; transcript: Transcript } & Randoms)
  /** A browser that checks revocation: the server's CertificateStatus may come next (RFC 6066 §8), or not. */
  | ({ kind: 'ExpectCertificateStatus'; transcript: Transcript; certificateMessage: MessageOf<'Certificate'> } & Randoms & Checked)
  | ({ kind: 'ExpectServerKeyExchange'; transcript: Transcript } & Randoms & Checked)
  | ({ kind: 'ExpectServerHelloDone'; transcript: Transcript; params: P } & Randoms & Checked)
  | ({ kind: 'ExpectDecision'; transcript: Transcript; params: P } & Randoms & Checked)
  | ClientFinishing;

/** The bank, which keeps `K` for the client's key exchange (ECDHE: its one-time key pair; RSA: nothing, its long-term key is in its config). */
export type Tls12ServerState<K> =
  | { kind: 'ExpectClientHello' }
  | ({ kind: 'ExpectClientKeyExchange'; transcript: Transcript; kept: K } & Randoms)
  | ServerFinishing;

type ClientBeforeKeyExchange<P> = Extract<Tls12ClientState<P>, { kind: 'ExpectServerHelloDone' | 'ExpectDecision' }>;

/** What a pre-master secret came with: the message or the words the level's key exchange adds. */
export interface ClientKeyExchangeMade {
  kex: MessageOf<'ClientKeyExchange'>;
  preMaster: Uint8Array;
  /** The client's log line once it has sent ClientKeyExchange, ChangeCipherSpec and Finished. */
  log: string;
}

/**
 * One TLS 1.2 key exchange: `P` what the client learns of the server's parameters, `C` what the
 * server makes of the ClientHello before it answers, `K` what the server keeps for the client's
 * key exchange.
 */
export interface Tls12KeyExchange<P, C, K> {
  /** RFC 7627's extended master secret when the client's config does not say (4e offers it, as browsers do; level 4 keeps to RFC 5246 alone). */
  readonly offersExtendedMasterSecret: boolean;
  readonly client: {
    /** §7.4.3: the server's parameters come in its ServerKeyExchange (`read` checks them), or none is sent and `P` is `value`. */
    readonly serverParams: { readonly sent: false; readonly value: P } | { readonly sent: true; read(state: Checked & Randoms, message: Message, spec: Tls12Spec, out: Output): P | Failure };
    /** The log line at ServerHelloDone when every certificate check passed. */
    readonly allPassed: string;
    /** §7.4.7: our ClientKeyExchange and the pre-master secret (what we learn pushed to `out` first), or why we cannot make one. */
    keyExchange(state: ClientBeforeKeyExchange<P>, ctx: HandshakeContext, out: Output): ClientKeyExchangeMade | Failure;
    /** What proved the other end holds the certificate's key, for the words at the server's Finished. */
    readonly proof: KeyProof;
    /** What the level adds once the server's Finished checks out and no check was clicked through. */
    readonly verified?: string[];
  };
  readonly server: {
    /** The ClientHello accepted (suite, name): what this key exchange makes of it before anything is sent, or why it cannot answer it. */
    accept(hello: MessageOf<'ClientHello'>, spec: Tls12Spec): { choice: C } | Failure;
    /** §7.4.3: what we send between Certificate and ServerHelloDone, what we keep, and our log line for the flight. */
    serverKeyExchange(choice: C, randoms: Randoms, ctx: HandshakeContext, config: ServerConfig, out: Output): { send: HandshakeMessage[]; kept: K; log: string };
    /** The ClientKeyExchange this key exchange needs, in the words of a refusal: "ClientKeyExchange (an RSA-encrypted pre-master secret)". */
    readonly awaits: string;
    /** Whether the ClientKeyExchange carries this key exchange's part at all. */
    carries(message: MessageOf<'ClientKeyExchange'>): boolean;
    /** §7.4.7: the pre-master secret from the client's part and what we kept, and our log line; or why not. */
    preMaster(kept: K, message: MessageOf<'ClientKeyExchange'>, ctx: HandshakeContext, config: ServerConfig): { preMaster: Uint8Array; log: string } | Failure;
    /** Our log line once the client's Finished is verified and ours sent. */
    readonly done: string;
  };
}

/** The browser's TLS 1.2 client: the level's suite, groups and certificate key, and the key exchange `kx`. */
export function tls12Client<P, C, K>(spec: Tls12Spec, kx: Tls12KeyExchange<P, C, K>): ClientMachine<Tls12ClientState<P>> {
  type State = Tls12ClientState<P>;
  const hello = (ctx: HandshakeContext, config: ClientConfig, out: Output) => clientHello12<State>(ctx, config, spec, out, { ems: config.extendedMasterSecret ?? kx.offersExtendedMasterSecret });

  /** All checks passed, or the player clicked through: our ClientKeyExchange, then ChangeCipherSpec and Finished (our first encrypted message). */
  function sendKeyExchange(state: ClientBeforeKeyExchange<P>, clickedThrough: CertificateCheckName[], ctx: HandshakeContext, out: Output): Step<Phase<State>> {
    const made = kx.client.keyExchange(state, ctx, out);
    if (isFailure(made)) return fail(made, out);
    const throughKex = append(state.transcript, made.kex);
    const keys = tls12Keys(made.preMaster, state, throughKex, spec.keyLength);
    learnKeys(out, made.preMaster, keys, state);
    const flight = clientFinishedFlight(throughKex, keys, out);
    out.send.unshift(made.kex);
    out.log.push(made.log);
    const { clientRandom, serverRandom, extendedMasterSecret } = state;
    return { state: { kind: 'ExpectChangeCipherSpec', transcript: flight.transcript, clientRandom, serverRandom, extendedMasterSecret, ...keys, clientWrite: flight.clientWrite, clickedThrough }, out };
  }

  return {
    start: (ctx, config) => startHttpFirst(config, ctx.gameTime, (out) => hello(ctx, config, out)),
    awaitsDecision: (state) => state.kind === 'ExpectDecision',
    writeKeys: tls12ClientWriteKeys,
    decide(state, trust, ctx) {
      if (state.kind !== 'ExpectDecision') return { state, out: emptyOutput() };
      return clickThrough(state.checks, trust, (clickedThrough, out) => sendKeyExchange(state, clickedThrough, ctx, out));
    },
    receive,
  };

  function receive(state: State, message: Message, ctx: HandshakeContext, config: ClientConfig): Step<Phase<State>> {
      if (state.kind === 'ExpectRedirect') return onPlainAnswer(message, config, (out) => hello(ctx, config, out));
      const plain = plainHttpDuringHandshake(message, 'the handshake');
      if (plain) return plain;
      const out = emptyOutput();
      const params = kx.client.serverParams;
      const afterCertificate = <T extends Checked & Randoms & { transcript: Transcript }>(checked: T): State =>
        params.sent ? { ...checked, kind: 'ExpectServerKeyExchange' } : { ...checked, kind: 'ExpectServerHelloDone', params: params.value };
      switch (state.kind) {
        case 'ExpectServerHello':
          return expectServerHello12(state, message, spec.suite, out);
        case 'ExpectCertificate': {
          if (message.type !== 'Certificate') return fail({ reason: 'unexpectedMessage', expected: 'Certificate', got: message.type });
          const checks = checkCertificate(message, config, ctx, spec.certificateKey, out);
          const checked = { ...state, transcript: append(state.transcript, message), certificate: message.certificate, checks };
          if (config.revocation) return { state: { ...checked, kind: 'ExpectCertificateStatus', certificateMessage: message }, out };
          return { state: afterCertificate(checked), out };
        }
        case 'ExpectCertificateStatus': {
          // RFC 6066 §8: the staple, if the server sends one, comes right after its Certificate; the revocation check runs either way.
          const { certificateMessage, kind, ...checked } = state;
          void kind;
          const stapled = message.type === 'CertificateStatus';
          const revocation = checkRevocation({ ...certificateMessage, ...(stapled ? { ocspStaple: message.ocspResponse } : {}) }, config.trustStore, config.revocation!, ctx);
          out.checks.push(revocation);
          const next = afterCertificate({ ...checked, checks: [...checked.checks, revocation], ...(stapled ? { transcript: append(checked.transcript, message) } : {}) });
          if (stapled) return { state: next, out };
          const step = receive(next, message, ctx, config);
          mergeInto(out, step.out);
          return { state: step.state, out };
        }
        case 'ExpectServerKeyExchange': {
          const read = params.sent ? params.read(state, message, spec, out) : ({ reason: 'unexpectedMessage', expected: 'ServerHelloDone', got: message.type } as const);
          if (isFailure(read)) return fail(read, out);
          return { state: { ...state, kind: 'ExpectServerHelloDone', transcript: append(state.transcript, message as MessageOf<'ServerKeyExchange'>), params: read }, out };
        }
        case 'ExpectServerHelloDone':
          return serverHelloDone(state, message, config, ctx.gameTime, out, kx.client.allPassed, (next) => sendKeyExchange(next, [], ctx, out));
        case 'ExpectChangeCipherSpec':
        case 'ExpectServerFinished':
          return clientFinishing(state, message, out, kx.client.proof, kx.client.verified);
        case 'ExpectDecision':
          return fail({ reason: 'unexpectedMessage', expected: "the player's decision", got: message.type });
      }
  }
}

/** The bank's TLS 1.2 server: the level's suite, and the key exchange `kx`; `sentinel` ends its random when it also speaks TLS 1.3 (RFC 8446 §4.1.3). */
export function tls12Server<P, C, K>(spec: Tls12Spec, kx: Tls12KeyExchange<P, C, K>, sentinel?: Uint8Array): ServerMachine<Tls12ServerState<K>> {
  return {
    ...LISTENS_FOR_CLIENT_HELLO,
    receive(state, message, ctx, config) {
      const out = emptyOutput();
      switch (state.kind) {
        case 'ExpectClientHello': {
          const greeted = greetClient(state, message, servedNames(config), (m) => checkClientHello(m, spec.suite, config));
          if ('answer' in greeted) return greeted.answer;
          const accepted = kx.server.accept(greeted.hello, spec);
          if (isFailure(accepted)) return fail(accepted);
          const { transcript, ...randoms } = serverHello12(greeted.hello, spec.suite, greeted.certificate, ctx, out, config.chain, config.ocspStaple, sentinel);
          const flight = kx.server.serverKeyExchange(accepted.choice, randoms, ctx, config, out);
          out.send.push(...flight.send, { type: 'ServerHelloDone' });
          out.log.push(flight.log);
          return { state: { kind: 'ExpectClientKeyExchange', transcript: append(transcript, ...flight.send, { type: 'ServerHelloDone' }), kept: flight.kept, ...randoms }, out };
        }
        case 'ExpectClientKeyExchange': {
          if (message.type !== 'ClientKeyExchange' || !kx.server.carries(message)) return fail({ reason: 'unexpectedMessage', expected: kx.server.awaits, got: message.type });
          const got = kx.server.preMaster(state.kept, message, ctx, config);
          if (isFailure(got)) return fail(got, out);
          const keys = tls12Keys(got.preMaster, state, append(state.transcript, message), spec.keyLength);
          learnKeys(out, got.preMaster, keys, state);
          out.log.push(got.log);
          const { clientRandom, serverRandom, extendedMasterSecret } = state;
          return { state: { kind: 'ExpectChangeCipherSpec', transcript: append(state.transcript, message), clientRandom, serverRandom, extendedMasterSecret, ...keys }, out };
        }
        case 'ExpectChangeCipherSpec':
        case 'ExpectClientFinished':
          return serverFinishing(state, message, out, kx.server.done);
      }
    },
  };
}
