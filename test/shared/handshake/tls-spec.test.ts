/**
 * The TLS machines speak and check what their level's module says (handshake/tls-spec.ts): a
 * module that names other groups, or another certificate key, changes what goes on the wire and
 * what the browser accepts, with no change to the machines. Each case builds a module's TLS
 * part from a real level's, changed in one value, and plays the engine's browser against the
 * engine's bank, message by message.
 */
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../shared/src/crypto/rng.ts';
import { hasHsts } from '../../../shared/src/handshake/http-first.ts';
import { level4eClient, level4eServer } from '../../../shared/src/handshake/level4e-ecdhe.ts';
import { level5Client } from '../../../shared/src/handshake/tls13-client.ts';
import { level5Server } from '../../../shared/src/handshake/tls13-server.ts';
import type { ClientSide, ServerSide } from '../../../shared/src/handshake/machine.ts';
import type { Decision, Output } from '../../../shared/src/handshake/types.ts';
import { certifiedTls } from '../../../shared/src/levels/certified-https.ts';
import { LEVEL_MODULES } from '../../../shared/src/levels/index.ts';
import type { TlsVersion } from '../../../shared/src/handshake/tls-spec.ts';
import type { LevelModule, LevelPki, LevelTls } from '../../../shared/src/levels/types.ts';
import { GROUP } from '../../../shared/src/messages/tls-codes.ts';
import type { Message, MessageOf } from '../../../shared/src/messages/types.ts';
import { clientTrusting, makeBank, type Bank } from '../../../tools/tls/bank.ts';

const NOW = 1_700_000_000;

const speaks = <V extends TlsVersion>(tls: LevelTls, version: V): tls is LevelTls & { readonly version: V } => tls.version === version;

/** The level whose module speaks this TLS version with one-time keys, found by what the module says (no level numbers): its TLS, its PKI, and a bank with its certificate. */
function ephemeralLevel<V extends TlsVersion>(version: V): { level: LevelModule; tls: LevelTls & { readonly version: V }; pki: LevelPki; bank: Bank } {
  for (const level of Object.values(LEVEL_MODULES)) {
    if (level.tls && level.pki && level.keyExchange === 'ephemeral' && speaks(level.tls, version)) {
      return { level, tls: level.tls, pki: level.pki, bank: makeBank(level.level, { rng: seededRng(`tls-spec bank ${version}`), now: NOW }) };
    }
  }
  throw new Error(`no level speaks TLS ${version} with one-time keys`);
}

interface Played {
  /** Every message, in the order it was sent, with its sender. */
  wire: { from: 'client' | 'server'; message: Message }[];
  client: { stage: string; learned: Record<string, Uint8Array>; decision?: Decision };
  server: { stage: string };
}

/** The engine's browser (HSTS: straight to TLS) against the engine's bank, until neither has anything to send. */
function play(client: ClientSide, server: ServerSide, bank: Bank): Played {
  const config = clientTrusting(bank.rootPem, bank.server.serverName);
  expect(hasHsts(config, NOW)).toBe(true);
  const ctx = { rng: seededRng('tls-spec client'), gameTime: NOW };
  const serverCtx = { rng: seededRng('tls-spec server'), gameTime: NOW };
  const start = client.start(ctx, config);
  let c = start.connection;
  let s = server.initial(bank.server);
  const wire: Played['wire'] = [];
  const learned: Record<string, Uint8Array> = {};
  let decision: Decision | undefined;
  const take = (from: 'client' | 'server', out: Output) => {
    wire.push(...out.send.map((message) => ({ from, message })));
    if (from === 'client') {
      Object.assign(learned, out.learned);
      decision ??= out.decision;
    }
    return out.send;
  };
  let toServer = take('client', start.out);
  for (let round = 0; round < 20 && toServer.length > 0; round++) {
    const toClient: Message[] = [];
    for (const message of toServer) {
      const step = s.handle({ kind: 'receive', message }, serverCtx, bank.server);
      s = step.next;
      toClient.push(...take('server', step.out));
    }
    toServer = [];
    for (const message of toClient) {
      const step = c.handle({ kind: 'receive', message }, ctx, config);
      c = step.next;
      toServer.push(...take('client', step.out));
    }
  }
  return { wire, client: { stage: c.stage, learned, decision }, server: { stage: s.stage } };
}

function sent<T extends Message['type']>(p: Played, from: 'client' | 'server', type: T): MessageOf<T> {
  const found = p.wire.find((w) => w.from === from && w.message.type === type)?.message;
  if (!found) throw new Error(`the ${from} sent no ${type}`);
  return found as MessageOf<T>;
}

function extension<T extends string>(message: MessageOf<'ClientHello' | 'ServerHello'>, type: T) {
  return message.extensions.find((e): e is Extract<typeof e, { type: T }> => e.type === type);
}

describe('TLS 1.3 machines speak the groups their module lists, in its order', () => {
  const { level, tls: ownTls, pki, bank } = ephemeralLevel('1.3');

  it("the module's own order (X25519, P-256): the browser offers both and sends an X25519 share, and the session is established", () => {
    const p = play(level.client, level.server, bank);
    const hello = sent(p, 'client', 'ClientHello');
    expect(extension(hello, 'supported_groups')?.groups).toEqual([GROUP.x25519, GROUP.secp256r1]);
    expect(extension(hello, 'key_share')?.shares.map((s) => s.group)).toEqual([GROUP.x25519]);
    expect([p.client.stage, p.server.stage]).toEqual(['traffic', 'traffic']);
  });

  it('a module that lists P-256 first: the browser sends a P-256 share, the bank answers in P-256, and the session is established', () => {
    const tls = certifiedTls({ ...ownTls, groups: ['P-256', 'X25519'] }, pki, { client: level5Client, server: level5Server });
    const p = play(tls.client, tls.server, bank);
    const hello = sent(p, 'client', 'ClientHello');
    expect(extension(hello, 'supported_groups')?.groups).toEqual([GROUP.secp256r1, GROUP.x25519]);
    expect(extension(hello, 'key_share')?.shares.map((s) => [s.group, s.key.length])).toEqual([[GROUP.secp256r1, 65]]);
    expect(extension(sent(p, 'server', 'ServerHello'), 'key_share')?.shares.map((s) => s.group)).toEqual([GROUP.secp256r1]);
    expect(p.wire.some((w) => w.message.type === 'HelloRetryRequest')).toBe(false);
    expect(Object.keys(p.client.learned)).toContain('ephemeral P-256 secret (forgotten after the handshake)');
    expect([p.client.stage, p.server.stage]).toEqual(['traffic', 'traffic']);
  });

  it("a module whose certificates carry an RSA key: the browser checks for one, finds the bank's P-256 key, and asks the player", () => {
    const tls = certifiedTls(ownTls, { ...pki, certificateKey: { of: 'encryptionKey', keyType: 'rsa', keyUsage: 'keyEncipherment' } }, { client: level5Client, server: level5Server });
    const p = play(tls.client, tls.server, bank);
    expect(p.client.stage).toBe('awaitingDecision');
    expect(p.client.decision?.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['keyUsage']);
  });
});

describe('TLS 1.2 ECDHE machines run on the group their module names', () => {
  const { level, tls: ownTls, pki, bank } = ephemeralLevel('1.2');

  it("the module's own group (P-256): ServerKeyExchange carries a 65-byte P-256 point, and the session is established", () => {
    const p = play(level.client, level.server, bank);
    const ske = sent(p, 'server', 'ServerKeyExchange');
    expect([ske.group, ske.publicKey.length]).toEqual([GROUP.secp256r1, 65]);
    expect([p.client.stage, p.server.stage]).toEqual(['traffic', 'traffic']);
  });

  it('a module that names X25519: the browser lists it, ServerKeyExchange carries a 32-byte X25519 share, and the session is established', () => {
    const tls = certifiedTls({ ...ownTls, groups: ['X25519'] }, pki, { client: level4eClient, server: level4eServer });
    const p = play(tls.client, tls.server, bank);
    expect(extension(sent(p, 'client', 'ClientHello'), 'supported_groups')?.groups).toEqual([GROUP.x25519]);
    const ske = sent(p, 'server', 'ServerKeyExchange');
    expect([ske.group, ske.publicKey.length]).toEqual([GROUP.x25519, 32]);
    expect(sent(p, 'client', 'ClientKeyExchange').ecdhPublic).toHaveLength(32);
    expect(Object.keys(p.client.learned)).toContain('ephemeral X25519 secret (forgotten after the handshake)');
    expect([p.client.stage, p.server.stage]).toEqual(['traffic', 'traffic']);
  });
});
