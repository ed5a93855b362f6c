/**
 * One engine handshake session, shared by the benchmarks (engine.bench.ts, backends.bench.ts):
 * client start → … → both sides in Traffic through the level module's client and server, every
 * message passed over the "wire" as bytes (encodeMessage → decodeMessage), then one HttpRequest
 * (client → server) and one HttpResponse (server → client) through the record layer. Randomness
 * comes from `seededRng`. The CA signs the certificates once, at import. Each session ends with
 * assertions (both sides in Traffic, request and response delivered), so a broken path cannot be
 * measured as a fast one. The crypto runs on whichever backend is installed.
 */
import { LEVEL_MODULES, levelModule } from '../../shared/src/levels/index.ts';
import type { ClientConfig, HandshakeContext, HttpMessage, Output, ServerConfig } from '../../shared/src/handshake/types.ts';
import { seededRng } from '../../shared/src/crypto/rng.ts';
import { p256KeyPair } from '../../shared/src/crypto/primitives.ts';
import { RSA_KEY_POOL } from '../../shared/src/crypto/rsa-key-pool.ts';
import { rsaKeyPair } from '../../shared/src/pki/keys.ts';
import { decodeMessage, encodeMessage } from '../../shared/src/messages/codec.ts';
import type { Certificate, Message } from '../../shared/src/messages/types.ts';
import { signCertificate } from '../../shared/src/pki/certificate.ts';

export type BenchLevel = 4 | 5;

// Fixed setup (not timed): CA, server keys, certificate signed once.

export const SERVER_NAME = 'bank.example';
const CA_NAME = 'Heist Root CA';
const GAME_TIME = 1_000;
export const setupRng = seededRng('engine-bench setup');
export const caKeys = p256KeyPair(setupRng.bytes(32));
export const encryptionKey = rsaKeyPair(RSA_KEY_POOL[0]!);
export const signingKey = p256KeyPair(setupRng.bytes(32));
export const REQUEST: HttpMessage = { type: 'HttpRequest', method: 'POST', host: SERVER_NAME, path: '/transfer', body: 'pin=4821&to=Bob&amount=120' };
export const RESPONSE: HttpMessage = { type: 'HttpResponse', status: 200, body: 'Transfer of 120 to Bob done' };

function certificateFor(level: BenchLevel): Certificate {
  const spec = levelModule(level).pki!.certificateKey; // levels 4 and 5 have certificates
  return signCertificate(
    {
      serial: 1n,
      subject: SERVER_NAME,
      issuer: CA_NAME,
      notBefore: 0,
      notAfter: 90 * 86_400,
      keyType: spec.keyType,
      keyUsage: [spec.keyUsage],
      publicKey: { encryptionKey, signingKey }[spec.of].publicKey,
      names: [SERVER_NAME],
      ca: false,
    },
    caKeys.secretKey,
  );
}
export const CERTIFICATES: Record<BenchLevel, Certificate> = { 4: certificateFor(4), 5: certificateFor(5) };

function configs(level: BenchLevel): { client: ClientConfig; server: ServerConfig } {
  return {
    // HSTS: the session goes straight to TLS, as a returning browser does (no http:// first).
    client: { serverName: SERVER_NAME, trustStore: [{ name: CA_NAME, publicKey: caKeys.publicKey }], hsts: [SERVER_NAME] },
    server: { serverName: SERVER_NAME, encryptionKey, signingKey, certificate: CERTIFICATES[level] },
  };
}
const CONFIGS = { 4: configs(4), 5: configs(5) };

// ---------------------------------------------------------------------------------------------
// Engine path

function wire(messages: Message[]): Message[] {
  return messages.map((m) => decodeMessage(encodeMessage(m)));
}

function check(out: Output, who: string): void {
  if (out.failure) throw new Error(`engine session failed at the ${who}: ${JSON.stringify(out.failure)}`);
  if (out.decision) throw new Error(`engine session stopped at the ${who} for a decision: ${out.decision.prompt}`);
}

let sessionCounter = 0;

/** One full session through the real machines (the level module's client and server). */
export function engineSession(level: BenchLevel): void {
  const { client: cc, server: sc } = CONFIGS[level];
  const module = LEVEL_MODULES[level];
  const ctx: HandshakeContext = { rng: seededRng(`engine-bench session ${sessionCounter++}`), gameTime: GAME_TIME };
  let server = module.server.initial(sc);

  const start = module.client.start(ctx, cc);
  check(start.out, 'client');
  let client = start.connection;
  let toServer = wire(start.out.send);
  while (toServer.length > 0) {
    const toClient: Message[] = [];
    for (const message of toServer) {
      const step = server.handle({ kind: 'receive', message }, ctx, sc);
      check(step.out, 'server');
      server = step.next;
      toClient.push(...wire(step.out.send));
    }
    toServer = [];
    for (const message of toClient) {
      const step = client.handle({ kind: 'receive', message }, ctx, cc);
      check(step.out, 'client');
      client = step.next;
      toServer.push(...wire(step.out.send));
    }
  }
  if (client.kind !== 'Traffic' || server.kind !== 'Traffic') throw new Error(`handshake ended in ${client.kind} / ${server.kind}, not Traffic`);

  const sent = client.handle({ kind: 'send', message: REQUEST }, ctx, cc);
  check(sent.out, 'client');
  client = sent.next;
  const atServer: HttpMessage[] = [];
  for (const message of wire(sent.out.send)) {
    const step = server.handle({ kind: 'receive', message }, ctx, sc);
    check(step.out, 'server');
    server = step.next;
    atServer.push(...step.out.delivered);
  }
  if (atServer.length !== 1 || atServer[0]!.type !== 'HttpRequest' || atServer[0]!.body !== REQUEST.body) throw new Error('the request did not arrive');

  const answered = server.handle({ kind: 'send', message: RESPONSE }, ctx, sc);
  check(answered.out, 'server');
  server = answered.next;
  const atClient: HttpMessage[] = [];
  for (const message of wire(answered.out.send)) {
    const step = client.handle({ kind: 'receive', message }, ctx, cc);
    check(step.out, 'client');
    client = step.next;
    atClient.push(...step.out.delivered);
  }
  if (atClient.length !== 1 || atClient[0]!.type !== 'HttpResponse' || atClient[0]!.body !== RESPONSE.body) throw new Error('the response did not arrive');
  if (client.kind !== 'Traffic' || server.kind !== 'Traffic') throw new Error('a side left Traffic after the application records');
}
