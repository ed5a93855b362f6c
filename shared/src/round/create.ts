/**
 * A new round, as its level and its event say: every party's keys, certificates and settings,
 * with all randomness drawn from the Rng passed in, so a seed replays a round exactly.
 */
import { p256KeyPair, x25519KeyPair, type KeyPair } from '../crypto/primitives.ts';
import { RSA_KEY_POOL } from '../crypto/rsa-key-pool.ts';
import { rsaKeyPair } from '../pki/keys.ts';
import { intermediateCertificate } from '../pki/certificate.ts';
import type { Rng } from '../crypto/rng.ts';
import type { RsaPrivateKey } from '../crypto/rsa.ts';
import type { ClientConfig, ServerConfig } from '../handshake/types.ts';
import type { TrustAnchor } from '../pki/path.ts';
import { levelModule, type LevelModule } from '../levels/index.ts';
import { MAX_EARLY_DATA, stageEvent } from './events.ts';
import { CT_LOG_NAME, logKeyOf, type RoundCtLog } from './ct-log.ts';
import { encodeHttp } from '../messages/http.ts';
import { PRE_SHARED_KEY_NAME } from '../handshake/level2-symmetric.ts';
import { FRESHNESS_WINDOW_MS } from '../handshake/tls13-tickets.ts';
import { nothingSpent } from './budgets.ts';
import { transferRequest, type Order } from './order.ts';
import { DEFAULT_CONFIG, type CaParty, type Round, type RoundConfig } from './state.ts';
import { CA_NAME, INTERMEDIATE_CA_NAME, SERVER_NAME } from './world.ts';

function drawPin(rng: Rng): string {
  return String(rng.int(10_000)).padStart(4, '0');
}

const PAYEES = ['Bob', 'Carol', 'Dave', 'Erin'];

/**
 * The round's long-term RSA keys (levels 4, 4e and 5), when they are given: an input like its
 * randomness. The server gives every round fresh ones (made off its event loop), so no key a
 * player has seen — her own, or a bank key leaked after an earlier round — opens a later
 * round. Without them, the round picks from the fixed pool in rsa-key-pool.ts by its seed:
 * for tests, `npm run capture` and simulations, where a seed must replay a round exactly.
 */
export interface RoundRsaKeys {
  bank: RsaPrivateKey;
  attacker: RsaPrivateKey;
}

/** What the browser's trust store holds, as the level's PKI says; a level without certificates keeps the same root, which nothing there consults. */
function trustStoreOf(module: LevelModule, root: TrustAnchor): TrustAnchor[] {
  switch (module.pki?.trustStore ?? 'root') {
    case 'root':
      return [root];
  }
}

const YEAR = 365 * 86_400;

/**
 * Who signs what the CA seat approves, as the level's PKI says: the root itself, or an
 * intermediate CA whose certificate the root signed (valid a year before the round to four after).
 */
function issuingCaOf(module: LevelModule, root: { name: string; keys: KeyPair }, rng: Rng, gameClock: number): CaParty['issuing'] {
  switch (module.pki?.issuer ?? 'root') {
    case 'root':
      return { ...root, chain: [] };
    case 'intermediate': {
      const keys = p256KeyPair(rng.bytes(32));
      return { name: INTERMEDIATE_CA_NAME, keys, chain: [intermediateCertificate(INTERMEDIATE_CA_NAME, keys.publicKey, { name: root.name, secretKey: root.keys.secretKey }, gameClock - YEAR, gameClock + 4 * YEAR)] };
    }
  }
}

export function createRound(config: RoundConfig, rng: Rng, now: number, rsaKeys?: RoundRsaKeys): Round {
  const r = {
    client: rng.fork('client'),
    server: rng.fork('server'),
    ca: rng.fork('ca'),
    attacker: rng.fork('attacker'),
    network: rng.fork('network'),
    referee: rng.fork('referee'),
  };
  const module = levelModule(config.level);
  const caKeys = p256KeyPair(r.ca.bytes(32));
  // RSA keys as given, else from the fixed pool by the seed (the attacker's never the bank's). The
  // pool picks are drawn either way, so the rest of a seeded round does not depend on it.
  const bankRsa = r.server.int(RSA_KEY_POOL.length);
  const attackerRsa = (bankRsa + 1 + r.attacker.int(RSA_KEY_POOL.length - 1)) % RSA_KEY_POOL.length;
  const encryptionKey = (rng: Rng, given: RsaPrivateKey | undefined, pool: number) =>
    module.encryptionKeyType === 'rsa' ? rsaKeyPair(given ?? RSA_KEY_POOL[pool]!) : x25519KeyPair(rng.bytes(32));
  const serverConfig: ServerConfig = {
    serverName: SERVER_NAME,
    encryptionKey: encryptionKey(r.server, rsaKeys?.bank, bankRsa),
    signingKey: p256KeyPair(r.server.bytes(32)),
  };
  // A careful Alice has been to the bank before: her browser remembers its HSTS header. At the
  // first-visit event she has not: the same Alice's browser has the bank on its preload list instead.
  // At the returning-visit event both were there 40 days ago, and the bank's header then decides:
  // a careless bank's month has run out — and so, in a class round, has the entry of an Alice the
  // room gives no HSTS (so that stripping can work in class, as without the event). At the subdomain
  // event the same decides whether the bank's header had includeSubDomains.
  const hstsProtected = config.clientHsts ?? config.bots.client === 'careful';
  const secret = drawPin(r.referee);
  const drawn: Order = { pin: secret, to: PAYEES[r.referee.int(PAYEES.length)]!, amount: (1 + r.referee.int(20)) * 10 };
  // The CA's draws in their old order (serial, then the intermediate), so a seed replays as before.
  let nextSerial = 1000 + r.ca.int(9000);
  const issuing = issuingCaOf(module, { name: CA_NAME, keys: caKeys }, r.ca, config.gameClock);
  const attackerKeys = { encryptionKey: encryptionKey(r.attacker, rsaKeys?.attacker, attackerRsa), signingKey: p256KeyPair(r.attacker.bytes(32)) };
  const rootKey = p256KeyPair(r.attacker.bytes(32));
  const stage = stageEvent({ event: config.event, pki: module.pki, bankName: SERVER_NAME, gameClock: config.gameClock, issuing, bankKeys: serverConfig, attackerKeys, attackerRootKey: rootKey, serial: () => nextSerial++, newKey: () => r.referee.bytes(32), upToDateBrowser: config.bots.client === 'careful', preloadsBank: hstsProtected, carelessStsHeader: config.bots.server === 'careless' || config.clientHsts === false, ticketRng: rng.fork('yesterday'), ctLogKey: () => p256KeyPair(rng.fork('ct log').bytes(32)), shortLivedCertificates: config.bots.server === 'shortLived' });
  const order: Order = stage.order ? { ...drawn, ...stage.order } : drawn;
  // A key card (the event "encryption without integrity"): both ends hold it before play.
  const card = stage.preSharedKey ? { preSharedKey: stage.preSharedKey } : {};
  // What an event decides the two ends speak: the harvest event's groups (the bank speaks
  // X25519MLKEM768 first, an up-to-date browser offers it); the downgrade event's TLS 1.2 beside 1.3.
  const clientSpeaks = { ...(stage.groups ? { groups: stage.groups.client } : {}), ...(stage.tls12 ? { tls12Fallback: stage.tls12 } : {}) };
  const bankSpeaks = { ...(stage.groups ? { groups: stage.groups.server } : {}), ...(stage.tls12 ? { alsoTls12: true } : {}), ...(stage.hsts ? { stsHeader: stage.hsts.header } : {}), ...(stage.returningVisit ? { stsHeader: stage.returningVisit.header } : {}) };
  // The early-data event: Alice's ticket from yesterday, and her order as 0-RTT early data; the bank's ticket key, single-use unless it is careless.
  // Every bank checks a hello's freshness by the ticket's age (RFC 8446 §8.3, as OpenSSL does by default): it costs no memory.
  const resumption = stage.resumption ? { resumption: { ticket: stage.resumption.ticket, earlyData: encodeHttp(transferRequest(stage.target, order)) } } : {};
  const bankTickets = stage.resumption
    ? { tickets: { key: stage.resumption.ticketKey, antiReplay: config.bots.server === 'careless' ? ('none' as const) : ('singleUse' as const), used: new Set<string>(), maxEarlyDataSize: MAX_EARLY_DATA, freshnessWindowMs: FRESHNESS_WINDOW_MS } }
    : {};
  // The returning-visit event: what her browser noted on her last visit, whichever Alice she is, and no preload list.
  const hsts = stage.hsts ? { hsts: [], hstsPreload: stage.hsts.preload } : stage.returningVisit ? { hsts: [], hstsNoted: [stage.returningVisit.noted] } : { hsts: hstsProtected ? [SERVER_NAME] : [] };
  // The CT event: the log, which the bank watches unless it is careless; an up-to-date browser requires its SCTs.
  const ctLog: RoundCtLog | undefined = stage.ctLog ? { name: CT_LOG_NAME, keys: stage.ctLog.keys, entries: [], watchedByBank: config.bots.server !== 'careless', spotted: [] } : undefined;
  const ctLogs = ctLog && stage.ctLog?.requiredByBrowser ? { ctLogs: [logKeyOf(ctLog)] } : {};
  const clientConfig: ClientConfig = { serverName: stage.target, trustStore: trustStoreOf(module, { name: CA_NAME, publicKey: caKeys.publicKey }), ...hsts, ...card, ...clientSpeaks, ...resumption, ...ctLogs };
  // The leaked-key event: the bank holds its new certificate and the CA's answer on it; Alice's browser checks revocation.
  const leaked = stage.leakedKey;
  const bankCertificate = stage.bankCertificate ?? leaked?.renewed;
  if (leaked) clientConfig.revocation = { hardFail: leaked.hardFail };
  const staple = leaked ? { ocspStaple: leaked.staple } : {};
  return {
    config,
    module,
    rng: r,
    startedAt: now,
    now,
    endsAt: now + (config.prepareMs ?? DEFAULT_CONFIG.prepareMs ?? 0),
    ready: new Set(),
    phase: 'preparing',
    client: {
      config: clientConfig,
      secret,
      order,
      orderSent: false,
      established: false,
      checks: [],
      learned: {},
      opened: new Map(),
      ...(stage.rogueRoot ? { portal: { root: stage.rogueRoot.root } } : {}),
      ...(stage.returningVisit ? { lastVisit: { visitedAt: stage.returningVisit.visitedAt, header: stage.returningVisit.header, entry: stage.returningVisit.noted } } : {}),
    },
    server: {
      config: { ...serverConfig, ...card, ...bankSpeaks, ...bankTickets, ...staple, ...(bankCertificate ? { certificate: bankCertificate } : {}) },
      connection: module.server.initial({ ...serverConfig, ...card, ...bankSpeaks, ...bankTickets }),
      // The expired event: certified long ago, with the right name and key, never renewed; the subdomain event: certified for both its names.
      csr: bankCertificate ? 'issued' : 'none',
      csrsSent: 0,
      ...(bankCertificate ? { requested: { subject: bankCertificate.subject, key: module.pki!.certificateKey.of } } : {}),
      chainReceived: bankCertificate ? [...issuing.chain] : [],
      waiting: [],
      learned: stage.preSharedKey ? { [PRE_SHARED_KEY_NAME]: stage.preSharedKey.key } : {},
      opened: new Map(),
      received: [],
      receivedText: [],
      checks: [],
      heldAnswers: [],
    },
    ca: { name: CA_NAME, keys: caKeys, requests: [], nextSerial, issuing, ...(leaked ? { revocation: { certificate: leaked.stolen, requestedAt: leaked.requestedAt, decision: 'pending' as const }, signedBefore: [leaked.stolen, leaked.renewed] } : {}) },
    attacker: {
      intercept: false,
      // The rogue-root event: her gateway is set up to show her root's bank.example certificate (she may switch it off).
      substitute: stage.rogueRoot ? 'selfSignedCertificate' : 'off',
      stripping: false,
      captured: [],
      held: [],
      ...attackerKeys,
      rootKey,
      ...(stage.rogueRoot ? { rogueRoot: stage.rogueRoot } : {}),
      // The look-alike event: her certificate for the name she registered, with the CA's chain; the leaked-key event: the bank's, whose key she holds.
      certificates: stage.attackerCertificate ? [stage.attackerCertificate] : leaked ? [leaked.stolen] : [],
      caChain: stage.attackerCertificate || leaked ? [...issuing.chain] : [],
      csrsSent: 0,
      csrsAnswered: 0,
      csrsRefused: 0,
      ...(stage.knownEnding ? { knownEnding: stage.knownEnding } : {}),
      learned: {},
      opened: new Map(),
      findings: [],
      keyTrials: [],
      submissions: [],
      done: false,
      interfered: [],
      edits: [],
    },
    ...(ctLog ? { ctLog } : {}),
    packets: [],
    timeline: [],
    spent: { client: nothingSpent(), server: nothingSpent(), ca: nothingSpent(), attacker: nothingSpent() },
    keyLog: [],
  };
}
