/**
 * What each seat may see of the round, and nothing more. Views are plain JSON: the server
 * sends them as they are. Bytes appear as hex only where the seat could really see them;
 * plaintext of a record only where the seat really holds its key (packet-views.ts shows the
 * packets, connection-verdicts.ts the connections).
 */
import { bankRevocationView, revocationRequestView, stolenCertificateView } from '../round/revocation.ts';
import { toHex } from '../codec/bytes.ts';
import type { Certificate, CertificateSigningRequest } from '../messages/types.ts';
import { certificateFields } from '../pki/certificate-fields.ts';
import { csrFields, csrSignatureValid } from '../pki/csr.ts';
import { gameKeyUse } from '../pki/profile.ts';
import type { Decision } from '../handshake/types.ts';
import { allowedActions, attackerTools, unavailableActions } from '../round/allowed.ts';
import { downloadOffers } from '../capture/downloads.ts';
import { cannotSubstitute } from '../round/proxy.ts';
import { hasHsts } from '../handshake/http-first.ts';
import { groupName } from '../handshake/groups.ts';
import { GROUP } from '../messages/tls-codes.ts';
import { earlierCertificates } from '../round/ca-records.ts';
import { challengeUrl, KEY_KINDS, ownerRecord, registeredDomain } from '../round/certification.ts';
import { memo } from '../round/inspected.ts';
import { keyName } from '../round/secrets.ts';
import { sitsOut } from '../round/hidden-attacker.ts';
import { lastVisitInDays } from '../round/events.ts';
import { gameTime, type CsrRecord, type Round } from '../round/state.ts';
import { ADDRESSES, BANK_NAMES, DOMAIN_OWNERS } from '../round/world.ts';
import { treeHead, type RoundCtLog } from '../round/ct-log.ts';
import { left, perBudget, SEAT_LIMITS, used } from '../round/limits.ts';
import type { AttackerView, CaView, ClientDecision, ClientView, CommonView, NotedHsts, CsrEvidence, CtLogView, Role, RoleView, ServerView, SpectatorScope, SpectatorView } from '../round/types.ts';
import { BANK_KEYS, ROLES } from '../round/types.ts';
import { clientConnection, serverConnection } from './connection-verdicts.ts';
import { detail, laneParcels, parcel, visibleParcel } from './packet-views.ts';

const certificateTree = memo((c: Certificate) => certificateFields(c));

const csrTree = memo((csr: CertificateSigningRequest) => csrFields(csr));

/** A signature check per request, not per view (ECDSA verification costs milliseconds). */
const possesses = memo((csr: CertificateSigningRequest) => ({ valid: csrSignatureValid(csr) }));

/**
 * What every view of a round says of the round itself: its level and event, phase and clock,
 * whether a CA plays, and whether it is a hidden-attacker round — never whether this room has
 * an attacker (only the attacker seat's own view and the result say that).
 */
function roundFacts(round: Round) {
  return {
    level: round.config.level,
    ...(round.config.event ? { event: round.config.event } : {}),
    ...(round.config.hiddenAttacker ? { hiddenAttacker: true as const } : {}),
    phase: round.phase,
    now: round.now - round.startedAt,
    endsAt: round.endsAt - round.startedAt,
    caPlays: round.module.caPlays,
    ...(round.ctLog ? { ctLog: ctLogView(round.ctLog) } : {}),
  };
}

/** The CT log is public: every seat and the projector read the same entries and tree head. */
function ctLogView(log: RoundCtLog): CtLogView {
  const head = treeHead(log);
  return {
    name: log.name,
    treeSize: head.size,
    rootHash: head.rootHash,
    entries: log.entries.map((e, i) => ({ index: e.index, subject: e.certificate.subject, issuer: e.certificate.issuer, serial: String(e.certificate.serial), publicKey: toHex(e.certificate.publicKey), loggedAt: Math.floor(e.timestamp / 1000), leafHash: head.leafHashes[i]! })),
  };
}

function common(round: Round, role: Role): Omit<CommonView, 'role'> {
  return {
    ...roundFacts(round),
    allowed: allowedActions(round, role),
    unavailable: unavailableActions(round, role),
    ready: round.ready.has(role),
    parcels: role === 'attacker' && sitsOut(round) ? laneParcels(round) : round.packets.filter((p) => visibleParcel(p, role)).map((p) => parcel(round, p, role)),
    timeline: round.timeline.filter((e) => e.visibleTo.includes(role)),
    ...closing(round),
    ...(round.result ? { result: round.result } : {}),
    downloads: downloadOffers(round, role),
  };
}

function closing(round: Round): Pick<CommonView, 'closing'> {
  if (round.phase !== 'playing' || round.closingAt === undefined) return {};
  return { closing: { endsAt: round.closingAt - round.startedAt, waitingFor: 'attackerProof' } };
}

function hexRecord(keys: Record<string, Uint8Array>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, toHex(v)]));
}

function decisionView(d: Decision): ClientDecision {
  switch (d.kind) {
    case 'certificate':
      return { kind: 'certificate', prompt: d.prompt, checks: d.checks, certificate: certificateTree(d.certificate) };
    case 'bareKey':
      return { kind: 'bareKey', prompt: d.prompt, checks: d.checks, fingerprint: d.fingerprint };
  }
}

function clientView(round: Round): ClientView {
  const c = round.client;
  const mine = round.packets.filter((p) => p.from === 'client' || (p.to === 'client' && p.status === 'delivered'));
  return {
    role: 'client',
    ...common(round, 'client'),
    secret: c.secret,
    transfer: { to: c.order.to, amount: c.order.amount },
    target: c.config.serverName,
    ...(c.portal ? { portal: { root: c.portal.root.subject, certificate: certificateTree(c.portal.root), ...(c.portal.answer ? { answer: c.portal.answer } : {}) } } : {}),
    connection: clientConnection(round),
    checks: [...c.checks],
    ...(c.decision ? { decision: decisionView(c.decision) } : {}),
    keys: hexRecord(c.learned),
    packets: mine.map((p) => detail(round, p, 'client', c.opened.get(p.id))),
    orderSent: c.orderSent,
    ...(c.response !== undefined ? { response: c.response } : {}),
    ...(round.module.httpFirst ? { browser: browserView(round) } : {}),
  };
}

/** What Alice's browser is, where the level has one (HTTP first): HSTS, and what each event decides of it. */
function browserView(round: Round): NonNullable<ClientView['browser']> {
  const c = round.client;
  return {
    hsts: hasHsts(c.config, gameTime(round)),
    ...keySharesOf(c.config.groups),
    ...(c.config.tls12Fallback ? { tls12: { ...c.config.tls12Fallback } } : {}),
    ...(c.config.resumption?.earlyData ? { resumes: true as const } : {}),
    ...firstVisitOf(c),
    ...returningVisitOf(round),
    ...(round.ctLog ? { transparency: { requiresSct: c.config.ctLogs !== undefined } } : {}),
    ...(c.config.revocation ? { revocation: { ...c.config.revocation } } : {}),
  };
}

/** The groups a browser offers, where an event decides them, as a student reads them. */
function keySharesOf(groups: readonly number[] | undefined): { keyShares?: { groups: string[]; postQuantum: boolean } } {
  return groups ? { keyShares: { groups: groups.map(groupName), postQuantum: groups.includes(GROUP.x25519MlKem768) } } : {};
}

function serverView(round: Round): ServerView {
  const s = round.server;
  const inPlay = round.module.longTermKey;
  const pair = s.config[inPlay?.of ?? 'encryptionKey'];
  const mine = round.packets.filter((p) => p.from === 'server' || (p.to === 'server' && p.status === 'delivered'));
  return {
    role: 'server',
    ...common(round, 'server'),
    keyPair: { name: inPlay?.name ?? "bank's private key (X25519)", publicKey: toHex(pair.publicKey), secretKey: toHex(pair.secretKey), inPlay: inPlay !== undefined },
    ...(s.config.certificate ? { certificate: certificateTree(s.config.certificate) } : {}),
    ...bankCertificate(round),
    ...(s.config.tickets ? { tickets: { singleUse: s.config.tickets.antiReplay === 'singleUse' } } : {}),
    ...(s.config.stsHeader ? { stsHeader: s.config.stsHeader } : {}),
    ...(round.ctLog ? { ctMonitor: { watching: round.ctLog.watchedByBank, spotted: [...round.ctLog.spotted] } } : {}),
    ...bankRevocationView(round),
    ...(s.chainReceived.length > 0 ? { chain: { certificates: s.chainReceived.map((c) => ({ subject: c.subject, issuer: c.issuer })), ...(s.fullChain !== undefined ? { fullChain: s.fullChain } : {}) } } : {}),
    csr: s.csr,
    certificateRequestsLeft: left(round, 'server', 'certificateRequests'),
    connection: serverConnection(round),
    keys: hexRecord(s.learned),
    packets: mine.map((p) => detail(round, p, 'server', s.opened.get(p.id))),
    received: [...s.receivedText],
  };
}

/** What the bank may have certified, what it asked for, and what its certificate says. */
function bankCertificate(round: Round): Pick<ServerView, 'certificateChoices' | 'requested' | 'holds'> {
  if (!round.module.caPlays) return {};
  const s = round.server;
  const keys = BANK_KEYS.map((key) => ({ key, keyType: KEY_KINDS[key].keyType, keyUsage: KEY_KINDS[key].keyUsage, publicKey: toHex(s.config[key].publicKey) }));
  const cert = s.config.certificate;
  const held = cert && BANK_KEYS.find((key) => toHex(s.config[key].publicKey) === toHex(cert.publicKey));
  const use = cert && gameKeyUse(cert); // the CA issues the bank's certificate for one of the game's key uses
  return {
    // The bank's own names, and the one Alice's browser asks for where it is the bank's too (the subdomain event's login page).
    certificateChoices: { names: [...new Set([...BANK_NAMES, ...(DOMAIN_OWNERS[round.client.config.serverName] === 'server' ? [round.client.config.serverName] : [])])], keys },
    ...(s.requested ? { requested: { ...s.requested } } : {}),
    ...(cert && use ? { holds: { subject: cert.subject, key: held ?? 'other', ...use } } : {}),
  };
}

function caView(round: Round): CaView {
  const ca = round.ca;
  const own = ca.issuing.chain[0]; // the seat's own CA certificate, when an intermediate: the root signed it
  return {
    role: 'ca',
    ...common(round, 'ca'),
    name: ca.issuing.name,
    publicKey: toHex(ca.issuing.keys.publicKey),
    secretKey: toHex(ca.issuing.keys.secretKey),
    ...(own ? { intermediate: { root: ca.name, certificate: certificateTree(own) } } : {}),
    requests: ca.requests.map((r) => ({
      id: r.id,
      requester: ADDRESSES[r.requester],
      subject: r.csr.subject,
      publicKey: toHex(r.csr.publicKey),
      keyType: r.csr.keyType,
      keyUsage: r.csr.keyUsage,
      challenge: { token: toHex(r.token), url: challengeUrl(r.csr.subject, r.token) },
      evidence: evidence(round, r),
      investigated: [...r.investigated],
      ...(r.investigated.includes('http01') ? { domainControl: r.domainControl } : {}),
      ...(r.investigated.includes('whois') ? { owner: { detail: ownerRecord(r.csr.subject) } } : {}),
      decision: r.decision,
      fields: csrTree(r.csr),
    })),
    ...revocationRequestView(round),
  };
}

/** What the CA knows about a request from its own records: the key asked for, its other requests and certificates, this round's and earlier ones. */
function evidence(round: Round, r: CsrRecord): CsrEvidence[] {
  const others = round.ca.requests.filter((o) => o.id !== r.id);
  const domain = registeredDomain(r.csr.subject);
  const possession = possesses(r.csr).valid;
  const keyWords = r.csr.keyType === 'rsa' ? 'RSA-2048' : 'ECDSA P-256';
  const out: CsrEvidence[] = [
    { kind: 'key', detail: `the key to certify: ${keyWords}, for ${r.csr.keyUsage}; ${possession ? 'the request is signed with it (PKCS #10 proof of possession: the requester holds its private key)' : 'its signature does not verify'}`, notable: false },
  ];
  if (!possession) out.push({ kind: 'possession', detail: 'the request is not signed by the key it asks to certify: nothing shows the requester holds its private key', notable: true });
  for (const o of others) {
    if (o.decision !== 'signed' || o.csr.subject.toLowerCase() !== r.csr.subject.toLowerCase()) continue;
    const elsewhere = o.requester !== r.requester;
    out.push({ kind: 'alreadyIssued', detail: `you already signed a certificate for ${o.csr.subject} this round (request #${o.id}, serial ${o.serial}, asked from ${ADDRESSES[o.requester]})`, notable: elsewhere });
  }
  out.push(...earlierCertificates(round, r));
  const sameAddress = others.filter((o) => o.requester === r.requester);
  if (sameAddress.length > 0) {
    const list = sameAddress.map((o) => `${o.csr.subject} (#${o.id}, ${o.decision})`).join(', ');
    out.push({ kind: 'otherRequests', detail: `the same address also asked for ${list}`, notable: sameAddress.some((o) => registeredDomain(o.csr.subject) !== domain) });
  }
  const key = toHex(r.csr.publicKey);
  for (const o of others) {
    if (toHex(o.csr.publicKey) !== key) continue;
    out.push({ kind: 'sameKey', detail: `the same public key is in request #${o.id}, for ${o.csr.subject}`, notable: registeredDomain(o.csr.subject) !== domain });
  }
  return out;
}

function budgets(round: Round): AttackerView['budgets'] {
  const spent = used(round, 'attacker');
  return perBudget((b) => ({ used: spent[b], limit: SEAT_LIMITS[b] }));
}

/** The rogue-root event, as Mallory sees it: her root, the certificate it signed, and Alice's answer at her portal (her portal sees it). */
function rogueRootView(round: Round): Pick<AttackerView, 'rogueRoot'> {
  const staged = round.attacker.rogueRoot;
  if (!staged) return {};
  const alice = round.client.portal?.answer;
  return {
    rogueRoot: {
      root: { subject: staged.root.subject, fields: certificateTree(staged.root) },
      forged: { subject: staged.forged.subject, issuer: staged.forged.issuer, fields: certificateTree(staged.forged) },
      ...(alice ? { alice } : {}),
    },
  };
}

/** The attacker seat of a hidden-attacker room without an attacker: off the Wi-Fi, nothing captured, nothing held, no keys; it watches the lane and calls. */
function sittingOutView(round: Round): AttackerView {
  const a = round.attacker;
  return {
    role: 'attacker',
    ...common(round, 'attacker'),
    intercept: false,
    substitute: 'off',
    stripping: false,
    tools: [],
    substitutes: ['off'],
    substituteProblems: {},
    captured: [],
    held: [],
    keys: {},
    certificates: [],
    findings: [],
    keyTrials: [],
    budgets: budgets(round),
    certificateRequests: 0,
    certificateRefusals: 0,
    submissions: [],
    sittingOut: a.call ? { call: a.call } : {},
  };
}

function attackerView(round: Round): AttackerView {
  if (sitsOut(round)) return sittingOutView(round);
  const a = round.attacker;
  // The leaked-key event: the key her certificate-to-be carries is the bank's, stolen.
  const leaked = round.ca.revocation ? round.module.pki?.certificateKey.of : undefined;
  const whose = (k: (typeof BANK_KEYS)[number]) => (k === leaked ? `the bank’s leaked ${keyName(round, k)}` : `your ${keyName(round, k)}`);
  const own = { [whose('encryptionKey')]: a.encryptionKey.secretKey, [whose('signingKey')]: a.signingKey.secretKey };
  return {
    role: 'attacker',
    ...common(round, 'attacker'),
    intercept: a.intercept,
    substitute: a.substitute,
    stripping: a.stripping,
    tools: [...attackerTools(round)],
    substitutes: ['off', ...round.module.personas],
    substituteProblems: Object.fromEntries(round.module.personas.flatMap((p) => {
      const problem = cannotSubstitute(round, p);
      return problem ? [[p, problem]] : [];
    })),
    captured: a.captured.flatMap((id) => round.packets[id - 1] ?? []).map((p) => detail(round, p, 'attacker', a.opened.get(p.id))),
    held: [...a.held],
    keys: hexRecord({ ...own, ...a.learned }),
    certificates: a.certificates.map((c) => ({ subject: c.subject, issuer: c.issuer, fields: certificateTree(c) })),
    ...rogueRootView(round),
    findings: [...a.findings],
    keyTrials: a.keyTrials.map((t) => ({ ...t })),
    budgets: budgets(round),
    certificateRequests: a.csrsSent,
    certificateRefusals: a.csrsRefused,
    submissions: [...a.submissions],
    ...(a.knownEnding ? { knownEnding: { ...a.knownEnding } } : {}),
    ...stolenCertificateView(round),
  };
}

export function viewFor(round: Round, role: Role): RoleView {
  switch (role) {
    case 'client':
      return clientView(round);
    case 'server':
      return serverView(round);
    case 'ca':
      return caView(round);
    case 'attacker':
      return attackerView(round);
  }
}

export function spectatorView(round: Round, scope: SpectatorScope): SpectatorView {
  const everything = scope === 'everything';
  return {
    scope,
    ...roundFacts(round),
    parcels: everything ? round.packets.map((p) => parcel(round, p, 'everything')) : laneParcels(round),
    timeline: round.timeline.filter((e) => everything || ROLES.every((r) => e.visibleTo.includes(r))),
    ...closing(round),
    ...(round.result ? { result: round.result } : {}),
    teacherDownloads: downloadOffers(round, 'teacher'),
  };
}

/** What her browser noted from the bank's header this round (RFC 6797 §8.1.1), where it did. */
function notedOf(c: Round['client']): { noted?: NotedHsts } {
  return c.hstsNoted ? { noted: { domain: c.hstsNoted.entry.domain, includeSubDomains: c.hstsNoted.entry.includeSubDomains, maxAgeDays: Math.round(c.hstsNoted.maxAge / 86_400) } } : {};
}

/** The first-visit event: her browser's preload list, and what it noted from the bank's header (RFC 6797 §8.1.1). */
function firstVisitOf(c: Round['client']): { firstVisit?: NonNullable<ClientView['browser']>['firstVisit'] } {
  if (!c.config.hstsPreload) return {};
  return { firstVisit: { preloaded: c.config.hstsPreload.length > 0, ...notedOf(c) } };
}

/**
 * The returning-visit and subdomain events: what her browser noted on her last visit, whether its
 * max-age has run out since (RFC 6797 §6.1.1), and where she is sent to a subdomain, whether the
 * entry covers it (includeSubDomains, §6.1.2).
 */
function returningVisitOf(round: Round): { returningVisit?: NonNullable<ClientView['browser']>['returningVisit'] } {
  const last = round.client.lastVisit;
  if (!last) return {};
  const name = round.client.config.serverName;
  const subdomain = name !== last.entry.domain ? { subdomain: { name, covered: last.entry.includeSubDomains } } : {};
  return { returningVisit: { ...lastVisitInDays(last, gameTime(round)), ...notedOf(round.client), ...subdomain } };
}
