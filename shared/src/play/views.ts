/**
 * What each seat may see of the round, and nothing more. Views are plain JSON: the server
 * sends them as they are. Bytes appear as hex only where the seat could really see them;
 * plaintext of a record only where the seat really holds its key.
 */
import { bankRevocationView, revocationRequestView, stolenCertificateView } from '../round/revocation.ts';
import { toHex } from '../codec/bytes.ts';
import { encodeInner, innerFields, wireKind } from '../messages/codec.ts';
import { editablePaths } from '../messages/field-edit.ts';
import type { Certificate, CertificateSigningRequest, FieldNode, Message } from '../messages/types.ts';
import { certificateFields } from '../pki/certificate-fields.ts';
import { csrFields, csrSignatureValid } from '../pki/csr.ts';
import { gameKeyUse } from '../pki/profile.ts';
import { explainFailure, failedCertificateChecks, isDetection, type Failure } from '../handshake/failures.ts';
import type { Decision } from '../handshake/types.ts';
import { allowedActions, attackerTools, unavailableActions } from '../round/allowed.ts';
import { downloadOffers } from '../capture/downloads.ts';
import { cannotSubstitute } from '../round/proxy.ts';
import { hasHsts } from '../handshake/http-first.ts';
import { groupName } from '../handshake/groups.ts';
import { GROUP } from '../messages/tls-codes.ts';
import { challengeUrl, KEY_KINDS, ownerRecord, registeredDomain } from '../round/certification.ts';
import { describe, inspect, memo } from '../round/inspected.ts';
import { gameRecordStyle, recordSpans, type RecordSpans } from '../round/records.ts';
import { EVENT_TEXTS } from '../levels/texts/events.ts';
import { keyName } from '../round/secrets.ts';
import { sitsOut } from '../round/hidden-attacker.ts';
import type { CsrRecord, Packet, Round } from '../round/state.ts';
import { ADDRESSES, BANK_NAMES } from '../round/world.ts';
import type { OpenedRecord } from '../attacker/recording.ts';
import { treeHead, type RoundCtLog } from '../round/ct-log.ts';
import type { PathValidation } from '../pki/path.ts';
import { left, perBudget, SEAT_LIMITS, used } from '../round/limits.ts';
import type {
  AttackerView,
  CaView,
  CertificatePathView,
  ClientDecision,
  ClientView,
  CommonView,
  CsrEvidence,
  CtLogView,
  ConnectionVerdict,
  PacketDetail,
  ParcelLook,
  ParcelView,
  Role,
  RoleView,
  ServerView,
  SpectatorScope,
  SpectatorView,
} from '../round/types.ts';
import { BANK_KEYS, ROLES } from '../round/types.ts';

const editableOf = memo((bytes: Uint8Array) => {
  const inspection = inspect(bytes);
  return inspection.message ? editablePaths(inspection.message, inspection.fields) : undefined;
});
const plaintextOf = memo((m: Message): NonNullable<PacketDetail['plaintext']> => ({ fields: innerFields(m), hex: toHex(encodeInner(m)), text: describe(m) }));
const certificateTree = memo((c: Certificate) => certificateFields(c));
const csrTree = memo((csr: CertificateSigningRequest) => csrFields(csr));
/** A signature check per request, not per view (ECDSA verification costs milliseconds). */
const possesses = memo((csr: CertificateSigningRequest) => ({ valid: csrSignatureValid(csr) }));

/**
 * GAME.md's parcels: a postcard (anyone reads it), a locked box (encrypted), a seal (signed:
 * anyone reads it, any change breaks the signature). What a packet is follows from its bytes.
 */
function lookOf(m: Message): ParcelLook {
  switch (m.type) {
    case 'EncryptedRecord':
    case 'SealedKey':
      return 'lockedBox';
    case 'ClientKeyExchange':
      // RSA key transport encrypts the pre-master secret (RFC 5246 §7.4.7.1); an ECDHE share is public on purpose (RFC 8422 §5.7).
      return m.encryptedPreMaster.length > 0 ? 'lockedBox' : 'postcard';
    case 'Certificate':
    case 'CertificateIssued':
    case 'CertificateVerify':
    case 'ServerKeyExchange': // RFC 8422 §5.4: the one-time share, signed with the certificate's key
    case 'CertificateRequest': // PKCS #10 (RFC 2986 §4.2): signed with the key it asks to certify
      return 'signed';
    default:
      return 'postcard';
  }
}

/**
 * What a viewer was last shown of a packet, kept while it stays the same: the next view holds the
 * same object, so the patch from one view to the next passes it over at once (fast-json-patch
 * compares objects by reference first) instead of comparing it field by field, for every packet
 * of the round after every move. A value is built afresh and replaced by the kept one when every
 * property is the same (the properties that are objects are made once: inspected.ts, the memos
 * here), so a kept value is always what would have been built.
 */
const lastShown = new WeakMap<Packet, Map<string, object>>();

function asLastShown<T extends object>(p: Packet, slot: string, fresh: T): T {
  let shown = lastShown.get(p);
  if (!shown) lastShown.set(p, (shown = new Map()));
  const last = shown.get(slot) as T | undefined;
  if (last && sameProperties(last, fresh)) return last;
  shown.set(slot, fresh);
  return fresh;
}

function sameProperties(a: object, b: object): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

function parcel(round: Round, p: Packet, viewer: Role | 'everything'): ParcelView {
  return asLastShown(p, `parcel ${viewer}`, parcelNow(round, p, viewer));
}

function parcelNow(round: Round, p: Packet, viewer: Role | 'everything'): ParcelView {
  const message = inspect(p.bytes).message;
  const trueView = viewer === 'attacker' || viewer === 'everything';
  return {
    id: p.id,
    from: trueView ? p.from : p.apparentFrom,
    to: trueView ? p.to : p.apparentTo,
    label: message?.type ?? 'Malformed',
    look: message ? lookOf(message) : 'postcard',
    // Only the attacker knows a packet is sitting at her tap; others just see it late: in flight,
    // due when it would have arrived (they cannot tell a held packet from a slow network).
    status: !trueView && p.status === 'held' ? 'inFlight' : p.status,
    sentAt: p.sentAt - round.startedAt,
    arriveAt: p.arriveAt !== Number.POSITIVE_INFINITY ? p.arriveAt - round.startedAt : trueView ? -1 : p.sentAt + round.config.latencyMs - round.startedAt,
    size: p.bytes.length,
  };
}


const HTTP_FORMAT = 'Plain HTTP/1.1 text (RFC 9112), not TLS: exactly what a browser sends on port 80 — anyone on the path can read and change it.';
const GAME_FORMAT = 'Not TLS: the game’s own frame (its first byte is 0xE0 or more, where no TLS record starts), for what the lesson needs and TLS has no message for.';

/** Says whether a packet is TLS itself, plain HTTP, or the game's own construction (the level's texts say which its records are). */
function formatOf(round: Round, bytes: Uint8Array): string | undefined {
  const kind = wireKind(bytes);
  return kind === 'tls' ? recordTexts(round).wire : kind === 'http' ? HTTP_FORMAT : kind === 'game' ? GAME_FORMAT : undefined;
}

/** A field tree with one node's explanation in other words (a new tree: the inspected one is shared by every view). */
function explainedAs(nodes: FieldNode[], name: string, words: string): FieldNode[] {
  return nodes.map((n) => (n.name === name ? { ...n, explain: words } : n.children ? { ...n, children: explainedAs(n.children, name, words) } : n));
}
const levelWorded = memo((_fields: FieldNode[]) => new Map<string, FieldNode[]>());

/** What the level's records are, in the words of the event that changes them, if one does. */
function recordTexts(round: Round): { wire: string; recordFragment?: string } {
  const event = round.config.event ? EVENT_TEXTS[round.config.event] : undefined;
  const level = round.module.texts;
  const recordFragment = event?.recordFragment ?? level.recordFragment;
  return { wire: event?.wire ?? level.wire, ...(recordFragment ? { recordFragment } : {}) };
}

/** The inspector's tree, with an encrypted record's fragment explained as this level's records really are (and, for the game's own records, its parts). */
function fieldsAt(round: Round, p: Packet, inspection: ReturnType<typeof inspect>): FieldNode[] {
  const words = recordTexts(round).recordFragment;
  if (!words || inspection.message?.type !== 'EncryptedRecord') return inspection.fields;
  const spans = recordSpans(round, p.bytes);
  const key = spans ? `${words}|${spans.style}` : words;
  const cache = levelWorded(inspection.fields);
  let fields = cache.get(key);
  if (!fields) cache.set(key, (fields = withRecordParts(explainedAs(inspection.fields, 'fragment', words), p.bytes, spans)));
  return fields;
}

const PART_WORDS = {
  sequenceNumber: {
    game: 'The sequence number, in the clear: the receiver checks it is the next one. With this direction’s 4-byte salt in front it is the record’s 12-byte GCM nonce.',
    gameCtr: 'The sequence number, in the clear: the receiver checks it is the next one. AES-CTR’s counter starts from this direction’s 4-byte salt ‖ this number ‖ 00000002 — the very block GCM would start from.',
  },
  ciphertext: {
    game: 'AES-256-GCM ciphertext: the plaintext XOR a keystream only the key can make (GCM encrypts with AES-CTR), exactly as long as the plaintext.',
    gameCtr: 'AES-256-CTR ciphertext: the plaintext XOR a keystream only the key can make, exactly as long as the plaintext. Nothing follows it: a flipped bit here decrypts as the same bit flipped, and nothing can tell.',
  },
  tag: 'AES-GCM tag (16 bytes): the key computes it over the ciphertext, the sequence number and the record’s type, version and length. Change one ciphertext bit and the receiver’s tag no longer matches: the record is refused.',
} as const;

/** The game's own record, its fragment split into sequence number, ciphertext and (with GCM) tag, each linked to its bytes. */
function withRecordParts(nodes: FieldNode[], bytes: Uint8Array, spans: RecordSpans | undefined): FieldNode[] {
  if (!spans) return nodes;
  const part = (name: string, span: { offset: number; length: number }, explain: string, value = toHex(bytes.subarray(span.offset, span.offset + span.length))): FieldNode => ({
    path: `fragment.${name}`,
    name,
    offset: span.offset,
    length: span.length,
    value,
    explain,
  });
  const seq = new DataView(bytes.buffer, bytes.byteOffset + spans.nonce.offset, 8).getBigUint64(0);
  const children = [
    part('sequenceNumber', spans.nonce, PART_WORDS.sequenceNumber[spans.style], `${seq}`),
    part('ciphertext', spans.ciphertext, PART_WORDS.ciphertext[spans.style]),
    ...(spans.tag ? [part('tag', spans.tag, PART_WORDS.tag)] : []),
  ];
  return nodes.map((n) => (n.name === 'fragment' ? { ...n, children } : n.children ? { ...n, children: withRecordParts(n.children, bytes, spans) } : n));
}

/** The path as the inspector shows it: each certificate's name, its signer, whether it says it is a CA, and what failed on it. */
const pathView = memo((v: PathValidation): CertificatePathView => ({
  steps: v.steps.map((step) => ({
    role: step.role,
    subject: step.certificate.subject.commonName ?? step.certificate.subject.text,
    issuer: step.issuedBy ?? step.certificate.issuer.commonName ?? step.certificate.issuer.text,
    ca: step.certificate.basicConstraints?.ca ?? false,
    failed: step.checks.filter((c) => !c.passed),
  })),
  ...(v.anchor ? { anchor: v.anchor.name } : {}),
  ...(v.anchor?.installed ? { anchorInstalled: true } : {}),
  unused: v.unused.map((c) => c.subject.commonName ?? c.subject.text),
  accepted: v.accepted,
}));

const hexOf = memo((bytes: Uint8Array) => toHex(bytes));

function detail(round: Round, p: Packet, viewer: Role, opened: OpenedRecord | undefined): PacketDetail {
  return asLastShown(p, `detail ${viewer}`, detailNow(round, p, viewer, opened));
}

function detailNow(round: Round, p: Packet, viewer: Role, opened: OpenedRecord | undefined): PacketDetail {
  const inspection = inspect(p.bytes);
  const d: PacketDetail = { ...parcelNow(round, p, viewer), hex: hexOf(p.bytes), fields: fieldsAt(round, p, inspection) };
  const format = formatOf(round, p.bytes);
  if (format) d.format = format;
  if (inspection.error) d.decodeError = inspection.error;
  if (opened) d.plaintext = plaintextOf(opened.message);
  const path = round.client.certificatePath;
  if (viewer === 'client' && path?.packetId === p.id) d.path = pathView(path.validation);
  if (viewer === 'attacker') {
    d.origin = p.origin;
    const editable = editableOf(p.bytes);
    if (editable) d.editable = editable;
  }
  return d;
}

/** Parcels a seat sees on the map: the attacker, all of the Wi-Fi; the others, what they really sent or received (drawn as they believe it). */
function visibleParcel(p: Packet, viewer: Role): boolean {
  if (viewer === 'attacker') return p.path === 'wifi' || p.from === 'attacker' || p.to === 'attacker';
  return p.from === viewer || p.to === viewer;
}

/**
 * The client↔bank lane as the parties see it (apparent ends, held packets in flight): what the
 * projector shows, and what an attacker seat off the Wi-Fi watches.
 */
function laneParcels(round: Round): ParcelView[] {
  const lane = (p: Packet) => (p.apparentFrom === 'client' || p.apparentFrom === 'server') && (p.apparentTo === 'client' || p.apparentTo === 'server');
  return round.packets.filter(lane).map((p) => parcel(round, p, 'client'));
}

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

function closed(failure: Failure): ConnectionVerdict {
  return { kind: 'closed', byUs: failure.reason !== 'peerAlert', detection: isDetection(failure), detail: explainFailure(failure) };
}

/** What an established session is, by what protects it at this level. */
function established(round: Round, encrypted: boolean, side: 'client' | 'server'): ConnectionVerdict {
  if (!encrypted) return { kind: 'plainHttp' };
  // The key card of the event "encryption without integrity": no key on the wire, and no tag on the records.
  if (gameRecordStyle(round) === 'gameCtr') return { kind: 'noIntegrity' };
  switch (round.module.protection) {
    case 'plainHttp':
      return { kind: 'plainHttp' };
    case 'keyInTheClear':
      return { kind: 'keyInTheClear' };
    case 'unauthenticatedKey':
      return { kind: 'unauthenticatedKey' };
    case 'tls': {
      if (side === 'server') return { kind: 'protected' };
      const failed = failedCertificateChecks(round.client.checks);
      return failed.length > 0 ? { kind: 'unverified', failed } : { kind: 'secure' };
    }
  }
}

/** The client's connection as her browser states it. */
function clientConnection(round: Round): ConnectionVerdict {
  const c = round.client;
  if (c.failure) return closed(c.failure);
  const conn = c.connection;
  if (!conn) return { kind: 'none' };
  switch (conn.stage) {
    case 'listening':
    case 'handshaking':
      return { kind: 'handshaking' };
    case 'awaitingDecision':
      return { kind: 'awaitingDecision' };
    case 'failed':
      return { kind: 'none' };
    case 'traffic':
      return established(round, conn.encrypted, 'client');
  }
}

function serverConnection(round: Round): ConnectionVerdict {
  const s = round.server;
  if (s.failure) return closed(s.failure);
  if (s.peer === undefined) return { kind: 'none' };
  switch (s.connection.stage) {
    case 'listening':
      return { kind: 'none' };
    case 'handshaking':
    case 'awaitingDecision':
      return { kind: 'handshaking' };
    case 'failed':
      return { kind: 'none' };
    case 'traffic':
      return established(round, s.connection.encrypted, 'server');
  }
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
    hsts: hasHsts(c.config),
    ...keySharesOf(c.config.groups),
    ...(c.config.tls12Fallback ? { tls12: { ...c.config.tls12Fallback } } : {}),
    ...(c.config.resumption?.earlyData ? { resumes: true as const } : {}),
    ...firstVisitOf(c),
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
    certificateChoices: { names: [...BANK_NAMES], keys },
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

/** What the CA knows about a request from its own records: the key asked for, and its other requests and certificates. */
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

/** The first-visit event: her browser's preload list, and what it noted from the bank's header (RFC 6797 §8.1.1). */
function firstVisitOf(c: Round['client']): { firstVisit?: NonNullable<ClientView['browser']>['firstVisit'] } {
  if (!c.config.hstsPreload) return {};
  const noted = c.hstsNoted ? { noted: { domain: c.hstsNoted.entry.domain, includeSubDomains: c.hstsNoted.entry.includeSubDomains, maxAgeDays: Math.round(c.hstsNoted.maxAge / 86_400) } } : {};
  return { firstVisit: { preloaded: c.config.hstsPreload.length > 0, ...noted } };
}
