/**
 * Level 3 — Two keys: public-key encryption without a CA. The server sends its bare X25519
 * public key; the client seals a fresh AES-256 session key to it (see crypto/seal.ts).
 * Nothing says whose key arrived, so a key swapped on the wire is accepted just the same.
 */
import { openSealed, sealToPublicKey, type SealedBox } from '../crypto/seal.ts';
import { SUITE } from '../messages/codes.ts';
import type { Message } from '../messages/types.ts';
import { level2Directions } from './level2-symmetric.ts';
import { fail } from './traffic.ts';
import { emptyOutput, type Failed, type HandshakeContext, type ServerConfig, type Step, type Traffic } from './types.ts';

export const LEVEL3_SEAL_INFO = 'handshake-heist level 3 session key';

export type Level3ClientState = { kind: 'ExpectServerPublicKey' } | Traffic | Failed;
export type Level3ServerState = { kind: 'ExpectClientHello' } | { kind: 'ExpectClientKeyExchange' } | Traffic | Failed;

export function level3ClientStart(ctx: HandshakeContext, serverName: string): Step<Level3ClientState> {
  const out = emptyOutput();
  out.send.push({ type: 'ClientHello', random: ctx.rng.bytes(32), cipherSuites: [SUITE.GAME_AES_256_GCM], serverName, keyShare: new Uint8Array(0) });
  out.log.push(`Asked ${serverName} for its public key.`);
  return { state: { kind: 'ExpectServerPublicKey' }, out };
}

export function level3ClientReceive(state: Level3ClientState, message: Message, ctx: HandshakeContext): Step<Level3ClientState> {
  if (state.kind !== 'ExpectServerPublicKey' || message.type !== 'ServerPublicKey') {
    return fail({ reason: 'unexpectedMessage', expected: 'ServerPublicKey', got: message.type });
  }
  const out = emptyOutput();
  const sessionKey = ctx.rng.bytes(32);
  const sealed = trySeal(message.publicKey, sessionKey, ctx, LEVEL3_SEAL_INFO);
  if (!sealed) return fail({ reason: 'decodeError', detail: 'the public key is not a usable X25519 key' }, out);
  out.send.push({ type: 'ClientKeyExchange', ephemeralPublicKey: sealed.ephemeralPublicKey, nonce: sealed.nonce, sealedSecret: sealed.sealed });
  out.learned['AES-256 session key'] = sessionKey;
  out.log.push('A public key arrived. Nothing proves whose it is — sealed a fresh session key to it anyway.');
  return { state: { kind: 'Traffic', ...level2Directions(sessionKey, 'client') }, out };
}

export function level3ServerReceive(state: Level3ServerState, message: Message, config: ServerConfig): Step<Level3ServerState> {
  const out = emptyOutput();
  if (state.kind === 'ExpectClientHello') {
    if (message.type !== 'ClientHello') return fail({ reason: 'unexpectedMessage', expected: 'ClientHello', got: message.type });
    if (!message.cipherSuites.includes(SUITE.GAME_AES_256_GCM)) return fail({ reason: 'unsupportedCipherSuite', offered: message.cipherSuites });
    out.send.push({ type: 'ServerPublicKey', publicKey: config.encryptionKey.publicKey });
    out.log.push('Sent our public key.');
    return { state: { kind: 'ExpectClientKeyExchange' }, out };
  }
  if (state.kind !== 'ExpectClientKeyExchange' || message.type !== 'ClientKeyExchange') {
    return fail({ reason: 'unexpectedMessage', expected: 'ClientKeyExchange', got: message.type });
  }
  const sessionKey = openSealed(config.encryptionKey, message.ephemeralPublicKey, message.nonce, message.sealedSecret, LEVEL3_SEAL_INFO);
  if (!sessionKey || sessionKey.length !== 32) return fail({ reason: 'cannotOpenKeyExchange' }, out);
  out.learned['AES-256 session key'] = sessionKey;
  out.log.push('Opened the sealed session key with our private key.');
  return { state: { kind: 'Traffic', ...level2Directions(sessionKey, 'server') }, out };
}

/** Seals to a peer's key, or undefined when the key is unusable (wrong length, low order): a forged key must not crash us. */
export function trySeal(publicKey: Uint8Array, secret: Uint8Array, ctx: HandshakeContext, info: string): SealedBox | undefined {
  try {
    return sealToPublicKey(publicKey, secret, ctx.rng.bytes(32), ctx.rng.bytes(12), info);
  } catch {
    return undefined;
  }
}
