/**
 * Level 3 — Two keys: public-key encryption without a CA. The server sends its bare X25519
 * public key; the browser shows its fingerprint and asks the player whether to use it; the
 * client then seals a fresh AES-256 session key to it (see crypto/seal.ts). Nothing says
 * whose key arrived, so a key swapped on the wire looks just the same.
 */
import { openSealed, sealToPublicKey, type SealedBox } from '../crypto/seal.ts';
import { sha256 } from '../crypto/primitives.ts';
import { SUITE } from '../messages/codes.ts';
import type { Message } from '../messages/types.ts';
import { sessionKeyDirections } from './level2-symmetric.ts';
import type { ClientMachine, ServerMachine } from './machine.ts';
import { fail } from './traffic.ts';
import { emptyOutput, type HandshakeContext, type Phase, type Step } from './types.ts';

export const LEVEL3_SEAL_INFO = 'handshake-heist level 3 session key';

export type Level3ClientState = { kind: 'ExpectServerPublicKey' } | { kind: 'ExpectKeyDecision'; publicKey: Uint8Array };
export type Level3ServerState = { kind: 'ExpectClientHello' } | { kind: 'ExpectSealedKey' };

/** A key's fingerprint as a browser or ssh shows one: the first 16 bytes of its SHA-256, in hex pairs. */
export function fingerprint(publicKey: Uint8Array): string {
  return [...sha256(publicKey).slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export const level3Client: ClientMachine<Level3ClientState> = {
  start(ctx, config) {
    const out = emptyOutput();
    // A TLS-framed hello offering the game's own suite: what follows is the game's construction, not TLS.
    out.send.push({ type: 'ClientHello', random: ctx.rng.bytes(32), sessionId: new Uint8Array(0), cipherSuites: [SUITE.GAME_AES_256_GCM], extensions: [{ type: 'server_name', hostName: config.serverName }] });
    out.log.push(`Asked ${config.serverName} for its public key.`);
    return { state: { kind: 'ExpectServerPublicKey' }, out };
  },
  awaitsDecision: (state) => state.kind === 'ExpectKeyDecision',
  receive(state, message) {
    if (state.kind !== 'ExpectServerPublicKey' || message.type !== 'ServerPublicKey') {
      return fail({ reason: 'unexpectedMessage', expected: state.kind === 'ExpectServerPublicKey' ? 'ServerPublicKey' : 'your decision', got: message.type });
    }
    const out = emptyOutput();
    const print = fingerprint(message.publicKey);
    out.decision = {
      kind: 'bareKey',
      prompt: `A public key arrived, said to be the bank's. Its fingerprint: ${print}. No certificate, no signature: nothing here says whose key this is. Use it, or abort?`,
      checks: [],
      fingerprint: print,
    };
    out.log.push('A bare public key arrived: nothing proves whose it is. Waiting for the player to use it or abort.');
    return { state: { kind: 'ExpectKeyDecision', publicKey: message.publicKey }, out };
  },
  decide(state, trust, ctx) {
    if (state.kind !== 'ExpectKeyDecision') return { state, out: emptyOutput() };
    if (!trust) return fail({ reason: 'keyRejected' });
    const out = emptyOutput();
    const sessionKey = ctx.rng.bytes(32);
    const sealed = trySeal(state.publicKey, sessionKey, ctx, LEVEL3_SEAL_INFO);
    if (!sealed) return fail({ reason: 'decodeError', detail: 'the public key is not a usable X25519 key' }, out);
    out.send.push({ type: 'SealedKey', ephemeralPublicKey: sealed.ephemeralPublicKey, nonce: sealed.nonce, sealedSecret: sealed.sealed });
    out.learned['AES-256 session key'] = sessionKey;
    out.log.push('Used the key: sealed a fresh session key to it. Whoever holds the matching private key can open it — bank or not.');
    return { state: { kind: 'Traffic', ...sessionKeyDirections(sessionKey, 'client') }, out };
  },
};

export const level3Server: ServerMachine<Level3ServerState> = {
  initial: () => ({ kind: 'ExpectClientHello' }),
  listening: (state) => state.kind === 'ExpectClientHello',
  receive(state, message: Message, _ctx, config): Step<Phase<Level3ServerState>> {
    const out = emptyOutput();
    if (state.kind === 'ExpectClientHello') {
      if (message.type !== 'ClientHello') return fail({ reason: 'unexpectedMessage', expected: 'ClientHello', got: message.type });
      if (!message.cipherSuites.includes(SUITE.GAME_AES_256_GCM)) return fail({ reason: 'noCommonCipherSuite', offered: message.cipherSuites });
      out.send.push({ type: 'ServerPublicKey', publicKey: config.encryptionKey.publicKey });
      out.log.push('Sent our public key.');
      return { state: { kind: 'ExpectSealedKey' }, out };
    }
    if (message.type !== 'SealedKey') return fail({ reason: 'unexpectedMessage', expected: 'SealedKey', got: message.type });
    const sessionKey = openSealed(config.encryptionKey, message.ephemeralPublicKey, message.nonce, message.sealedSecret, LEVEL3_SEAL_INFO);
    if (!sessionKey || sessionKey.length !== 32) return fail({ reason: 'cannotOpenKeyExchange' }, out);
    out.learned['AES-256 session key'] = sessionKey;
    out.checks.push({ check: 'keyExchange', passed: true, detail: 'opened the sealed session key with our private key' });
    out.log.push('Opened the sealed session key with our private key.');
    return { state: { kind: 'Traffic', ...sessionKeyDirections(sessionKey, 'server') }, out };
  },
};

/** Seals to a peer's key, or undefined when the key is unusable (wrong length, low order): a forged key must not crash us. */
export function trySeal(publicKey: Uint8Array, secret: Uint8Array, ctx: HandshakeContext, info: string): SealedBox | undefined {
  try {
    return sealToPublicKey(publicKey, secret, ctx.rng.bytes(32), ctx.rng.bytes(12), info);
  } catch {
    return undefined;
  }
}
