/**
 * What a seat sees of a packet: the parcel on the network map (where it is, what it looks like:
 * a postcard, a locked box, a seal), and, for a seat that could really see its bytes, the
 * inspector's detail — its hex, its fields (an encrypted record's explained as this level's
 * records are), its plaintext where the seat holds the key, and the certification path built from it.
 */
import { toHex } from '../codec/bytes.ts';
import { encodeInner, innerFields, wireKind } from '../messages/codec.ts';
import { editablePaths } from '../messages/field-edit.ts';
import type { FieldNode, Message } from '../messages/types.ts';
import type { PathValidation } from '../pki/path.ts';
import type { OpenedRecord } from '../attacker/recording.ts';
import { EVENT_TEXTS } from '../levels/texts/events.ts';
import { describe, inspect, memo } from '../round/inspected.ts';
import { recordSpans, type RecordSpans } from '../round/records.ts';
import type { Packet, Round } from '../round/state.ts';
import type { CertificatePathView, PacketDetail, ParcelLook, ParcelView, Role } from '../round/types.ts';

const editableOf = memo((bytes: Uint8Array) => {
  const inspection = inspect(bytes);
  return inspection.message ? editablePaths(inspection.message, inspection.fields) : undefined;
});

const plaintextOf = memo((m: Message): NonNullable<PacketDetail['plaintext']> => ({ fields: innerFields(m), hex: toHex(encodeInner(m)), text: describe(m) }));

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

export function parcel(round: Round, p: Packet, viewer: Role | 'everything'): ParcelView {
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

export function detail(round: Round, p: Packet, viewer: Role, opened: OpenedRecord | undefined): PacketDetail {
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
export function visibleParcel(p: Packet, viewer: Role): boolean {
  if (viewer === 'attacker') return p.path === 'wifi' || p.from === 'attacker' || p.to === 'attacker';
  return p.from === viewer || p.to === viewer;
}

/**
 * The client↔bank lane as the parties see it (apparent ends, held packets in flight): what the
 * projector shows, and what an attacker seat off the Wi-Fi watches.
 */
export function laneParcels(round: Round): ParcelView[] {
  const lane = (p: Packet) => (p.apparentFrom === 'client' || p.apparentFrom === 'server') && (p.apparentTo === 'client' || p.apparentTo === 'server');
  return round.packets.filter(lane).map((p) => parcel(round, p, 'client'));
}
