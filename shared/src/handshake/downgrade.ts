/**
 * A bank and a browser that speak TLS 1.3 and TLS 1.2 (the downgrade event), and TLS 1.3's
 * defence against being talked down to 1.2 (RFC 8446 §4.1.3, §4.2.1, Appendix D.2, E.1).
 *
 * The browser offers both (supported_versions 1.3 and 1.2; TLS_AES_128_GCM_SHA256 and 1.2's
 * ECDHE suite). The bank answers 1.3 when the offer has it (tls13-server.ts); else, where it also
 * speaks 1.2, it answers in 1.2 with level 4e's ECDHE handshake (level4e-ecdhe.ts) and — because
 * it speaks 1.3 — ends its ServerHello.random with the sentinel 44 4F 57 4E 47 52 44 01
 * ("DOWNGRD" and 01). A browser that speaks 1.3 and gets a 1.2 ServerHello checks those last 8
 * bytes: the sentinel means the bank was offered no 1.3, though the browser offered it, so
 * someone changed the offer — it aborts with illegal_parameter. The random is signed in 1.2's
 * ServerKeyExchange (RFC 8422 §5.4), so Mallory cannot rub the sentinel out either.
 *
 * An old TLS stack that does not look for the sentinel carries on in 1.2. Then what catches the
 * edited ClientHello is 1.2's own defence: the extended master secret (RFC 7627) and Finished
 * (RFC 5246 §7.4.9) cover the whole transcript, and the bank's transcript holds the edited hello,
 * Alice's the original — the keys differ and Alice's Finished fails at the bank. RFC 8446 §4.1.3
 * calls the sentinel "limited protection against downgrade attacks over and above what is
 * provided by the Finished exchange": it matters when Mallory can also break the 1.2 key exchange
 * during the handshake (export-grade keys in FREAK and Logjam, 2015), for then she can fix up both
 * Finished messages — and only the signed sentinel still stands.
 */
import type { Message, MessageOf } from '../messages/types.ts';
import { carriesDowngradeSentinel, DOWNGRADE_SENTINEL } from '../messages/tls.ts';
import { ECDHE_ECDSA, type OneTimeKey, type ServerShare } from './level4e-ecdhe.ts';
import { level5Client, type Level5ClientState } from './tls13-client.ts';
import { level5Server, type Level5ServerState } from './tls13-server.ts';
import { supportedVersions } from './hello.ts';
import type { ClientMachine, ServerMachine } from './machine.ts';
import type { ExpectServerHello12 } from './tls12-common.ts';
import { tls12Client, tls12Server, type Tls12ClientState, type Tls12ServerState } from './tls12-machines.ts';
import type { TlsSpec } from './tls-spec.ts';
import { fail } from './traffic.ts';
import { isFailed, isTraffic, type ClientConfig, type HandshakeContext, type Phase, type Step } from './types.ts';

/** Either side once TLS 1.2 was chosen: level 4e's machine from here on. */
export type NegotiatingClientState = Level5ClientState | { kind: 'Tls12'; inner: Tls12ClientState<ServerShare> };
export type NegotiatingServerState = Level5ServerState | { kind: 'Tls12'; inner: Tls12ServerState<OneTimeKey> };

/** A TLS 1.2 machine's step, inside the negotiating machine's state (Traffic and Failed are every level's own). */
function lift<S extends { kind: string }>(step: Step<Phase<S>>): Step<Phase<{ kind: 'Tls12'; inner: S }>> {
  const { state } = step;
  return { state: isTraffic(state) || isFailed(state) ? state : { kind: 'Tls12', inner: state }, out: step.out };
}

/** A ServerHello that chooses TLS 1.2: no supported_versions (§4.1.3: 1.2 says its version in legacy_version alone). */
const choosesTls12 = (message: Message, config: ClientConfig): message is MessageOf<'ServerHello'> => config.tls12Fallback !== undefined && message.type === 'ServerHello' && supportedVersions(message).length === 0;

/**
 * The browser of the downgrade event: level 5's TLS 1.3 client, which (told so by its config)
 * offers `spec12` too and, answered in TLS 1.2, checks for the sentinel — or, an old stack, does not.
 */
export function negotiatingClient(spec13: TlsSpec<'1.3'>, spec12: TlsSpec<'1.2'>): ClientMachine<NegotiatingClientState> {
  const m13 = level5Client(spec13, spec12);
  const m12 = tls12Client(spec12, ECDHE_ECDSA);

  function answeredIn12(state: Extract<Level5ClientState, { kind: 'ExpectServerHello' }>, message: MessageOf<'ServerHello'>, ctx: HandshakeContext, config: ClientConfig): Step<Phase<NegotiatingClientState>> {
    const checked = config.tls12Fallback?.checksSentinel === true;
    if (checked && carriesDowngradeSentinel(message.random)) return fail({ reason: 'downgradeSentinel' });
    const twelve: ExpectServerHello12 = { kind: 'ExpectServerHello', transcript: state.transcript, clientRandom: state.clientRandom, offersExtendedMasterSecret: true };
    const step = lift(m12.receive(twelve, message, ctx, config));
    if (checked) step.out.checks.unshift({ check: 'downgradeSentinel', passed: true, detail: 'the bank answered in TLS 1.2 and its random carries no downgrade sentinel: it speaks nothing newer' });
    else step.out.log.unshift('ServerHello: TLS 1.2. This old browser does not look for TLS 1.3’s downgrade sentinel in the random, and carries on in TLS 1.2.');
    return step;
  }

  return {
    start: (ctx, config) => m13.start(ctx, config),
    awaitsDecision: (state) => (state.kind === 'Tls12' ? m12.awaitsDecision(state.inner) : m13.awaitsDecision(state)),
    writeKeys: (state) => (state.kind === 'Tls12' ? m12.writeKeys?.(state.inner) : m13.writeKeys?.(state)),
    receive(state, message, ctx, config) {
      if (state.kind === 'Tls12') return lift(m12.receive(state.inner, message, ctx, config));
      if (state.kind === 'ExpectServerHello' && !state.retried && choosesTls12(message, config)) return answeredIn12(state, message, ctx, config);
      return m13.receive(state, message, ctx, config);
    },
    decide(state, trust, ctx, config) {
      return state.kind === 'Tls12' ? lift(m12.decide(state.inner, trust, ctx, config)) : m13.decide(state, trust, ctx, config);
    },
  };
}

/**
 * The bank of the downgrade event: level 5's TLS 1.3 server; where its config says it also speaks
 * TLS 1.2, a ClientHello without 1.3 in supported_versions (or without the extension: §4.2.1, D.2)
 * gets level 4e's TLS 1.2 handshake, its random ending with the sentinel.
 */
export function negotiatingServer(spec13: TlsSpec<'1.3'>, spec12: TlsSpec<'1.2'>): ServerMachine<NegotiatingServerState> {
  const s13 = level5Server(spec13);
  const s12 = tls12Server(spec12, ECDHE_ECDSA, DOWNGRADE_SENTINEL.tls12);
  return {
    initial: (config) => s13.initial(config),
    listening: (state) => state.kind !== 'Tls12' && s13.listening(state),
    writeKeys: (state) => (state.kind === 'Tls12' ? s12.writeKeys?.(state.inner) : s13.writeKeys?.(state)),
    receive(state, message, ctx, config) {
      if (state.kind === 'Tls12') return lift(s12.receive(state.inner, message, ctx, config));
      if (state.kind !== 'ExpectClientHello' || !config.alsoTls12 || message.type !== 'ClientHello') return s13.receive(state, message, ctx, config);
      const versions = supportedVersions(message);
      if (versions.includes(spec13.versionCode)) return s13.receive(state, message, ctx, config);
      if (versions.length > 0 && !versions.includes(spec12.versionCode)) return fail({ reason: 'unsupportedVersion', detail: 'the client offers neither TLS 1.3 nor TLS 1.2 (supported_versions), the versions this bank speaks' });
      const step = lift(s12.receive({ kind: 'ExpectClientHello' }, message, ctx, config));
      if (!step.out.failure) step.out.log.unshift('The ClientHello offers no TLS 1.3: we answer in TLS 1.2, and, since we speak 1.3, end our random with the downgrade sentinel 44 4F 57 4E 47 52 44 01 (RFC 8446 §4.1.3).');
      return step;
    },
  };
}
