/**
 * The attacker bot, one named behaviour per attack in GAME.md (replay: a copy of the transfer
 * record; where Alice sends 0-RTT early data, a copy of her whole first flight). Where an attack does not exist
 * at a level (no certificate to fake at level 2, say), the bot falls back to what any
 * eavesdropper on the Wi-Fi does: read what is readable and submit the PIN if she finds it.
 * It reads only its seat's view, and the level's module for what a player would know from the
 * briefing (how many encrypted handshake records come before the data).
 */
import type { FieldNode } from '../messages/types.ts';
import { levelModule } from '../levels/index.ts';
import type { Persona } from '../levels/index.ts';
import type { AttackerAction } from '../basics/actions.ts';
import type { Level } from '../basics/levels.ts';
import type { AttackerBehaviour } from '../basics/roles.ts';
import type { AttackerView, PacketDetail } from '../round/types.ts';
import { flipBit } from '../attacker/operations.ts';
import { fromHex, toHex } from '../codec/bytes.ts';
import { DOWNGRADE_EDIT } from '../basics/events.ts';

const PIN = /pin=(\d+)/;
/** The name she controls (she knows her own domain). */
const OWN_NAME = 'mallory.example';
const EVIL_BODY = (body: string) => body.replace(/to=[^&]*/, 'to=Mallory').replace(/amount=\d+/, 'amount=9999');

/** The first field (depth first, as the inspector lists them) that `is`. */
function findField(fields: FieldNode[], is: (f: FieldNode) => boolean): FieldNode | undefined {
  for (const f of fields) {
    if (is(f)) return f;
    const inner = f.children && findField(f.children, is);
    if (inner) return inner;
  }
  return undefined;
}

const fieldValue = (fields: FieldNode[], path: string) => findField(fields, (f) => f.path === path)?.value;

/** What the attack becomes at this level. */
export function effectiveBehaviour(behaviour: AttackerBehaviour, level: Level): AttackerBehaviour {
  return levelModule(level).attacks.includes(behaviour) ? behaviour : 'passive';
}

/** What the packet says in the clear, or what she decrypted of it. */
function readable(p: PacketDetail): string | undefined {
  return p.plaintext?.text ?? (p.label === 'HttpRequest' ? fieldValue(p.fields, 'body') : undefined);
}

function readablePin(view: AttackerView): string | undefined {
  for (const p of view.captured) {
    const match = PIN.exec(readable(p) ?? '');
    if (match) return match[1];
  }
  return undefined;
}

function stolenKey(view: AttackerView): string | undefined {
  const transport = view.captured.find((p) => p.label === 'KeyTransport');
  return transport && fieldValue(transport.fields, 'key');
}

const tried = (view: AttackerView, p: PacketDetail) => view.keyTrials.some((t) => t.packetId === p.id);

/** The client's packet that carries the transfer: the plain request with the PIN, or the first record after its encrypted handshake ones. */
function transferPacket(view: AttackerView): PacketDetail | undefined {
  const fromClient = view.captured.filter((p) => p.from === 'client' && p.origin === 'genuine');
  const plain = fromClient.find((p) => p.label === 'HttpRequest' && PIN.test(fieldValue(p.fields, 'body') ?? ''));
  if (plain) return plain;
  return fromClient.filter((p) => p.label === 'EncryptedRecord')[levelModule(view.level).clientHandshakeRecords];
}

function passive(view: AttackerView): AttackerAction | null {
  const pin = readablePin(view);
  if (pin) {
    const guessed = view.submissions.some((s) => s.secret === pin || s.correct);
    return guessed ? null : { type: 'submitSecret', secret: pin };
  }
  const key = stolenKey(view);
  const sealed = key && view.captured.find((p) => p.label === 'EncryptedRecord' && !p.plaintext && !tried(view, p));
  return key && sealed ? { type: 'tryKey', packetId: sealed.id, keyHex: key } : null;
}

/** Her proxy as the bank, with the first of the personas she prefers that this level offers. */
function substitute(view: AttackerView, preferred: Persona[]): AttackerAction | null {
  const mode = preferred.find((p) => view.substitutes.includes(p));
  if (mode && view.substitute === 'off' && view.captured.every((p) => p.origin !== 'proxied')) return { type: 'substitute', mode };
  return passive(view);
}

function fraudulentCsr(view: AttackerView): AttackerAction | null {
  if (view.certificateRequests === 0) return view.intercept ? { type: 'requestCertificate', subject: 'bank.example' } : { type: 'setIntercept', on: true };
  const issued = view.certificates.some((c) => c.subject === 'bank.example');
  const settled = view.substitute !== 'off' || view.certificateRefusals > 0;
  if (issued && view.substitute === 'off') return { type: 'substitute', mode: 'issuedCertificate' };
  if (settled && view.held.length > 0) return { type: 'forwardAll' };
  if (settled && view.intercept) return { type: 'setIntercept', on: false };
  return settled ? passive(view) : null;
}

/**
 * Her own name's certificate, got honestly from the CA while preparing, then `mode`: shown as
 * the bank (only the name check can tell), or used as a CA to sign a bank.example certificate
 * (only the path's rules for issuers can tell).
 */
function withOwnCertificate(view: AttackerView, mode: 'ownNameCertificate' | 'signedWithOwnCertificate'): AttackerAction | null {
  if (view.certificateRequests === 0) return { type: 'requestCertificate', subject: OWN_NAME };
  const mine = view.certificates.some((c) => c.subject === OWN_NAME);
  if (mine && view.substitute === 'off' && view.captured.every((p) => p.origin !== 'proxied')) return { type: 'substitute', mode };
  return passive(view);
}

function tamper(view: AttackerView): AttackerAction | null {
  if (!view.intercept) return { type: 'setIntercept', on: true };
  const held = view.captured.filter((p) => view.held.includes(p.id));
  const target = transferPacket(view);
  for (const p of held) {
    // The downgrade event: her tampering is the downgrade — TLS 1.3 crossed off Alice's offer.
    const versions = view.event === 'versionDowngrade' && p.label === 'ClientHello' && p.origin === 'genuine' ? findField(p.fields, (f) => f.name === DOWNGRADE_EDIT.field)?.path : undefined;
    if (versions) return { type: 'editField', packetId: p.id, path: versions, value: DOWNGRADE_EDIT.value };
    if (p.id !== target?.id || p.origin === 'edited') return { type: 'forward', packetId: p.id };
    if (p.label === 'HttpRequest') return { type: 'editField', packetId: p.id, path: 'body', value: EVIL_BODY(fieldValue(p.fields, 'body') ?? '') };
    if (p.plaintext) return { type: 'editField', packetId: p.id, path: 'plaintext.body', value: EVIL_BODY(fieldValue(p.plaintext.fields, 'body') ?? '') };
    const key = stolenKey(view);
    if (key && !tried(view, p)) return { type: 'tryKey', packetId: p.id, keyHex: key };
    // No key, but she knows how the order ends: flip the bits that make it say what she wants.
    if (view.knownEnding && view.tools.includes('flipBits')) return { type: 'flipBits', packetId: p.id, ...view.knownEnding };
    // No key: all she can do is change ciphertext bytes and hope.
    const bytes = fromHex(p.hex);
    return { type: 'editBytes', packetId: p.id, hex: toHex(flipBit(bytes, bytes.length - 20)) };
  }
  return null;
}

function replay(view: AttackerView): AttackerAction | null {
  if (view.captured.some((p) => p.origin === 'replayed')) return null;
  // Resumption with 0-RTT: the order rides in Alice's first flight; a copy of it is a new connection the bank may read again.
  if (view.tools.includes('replayFirstFlight')) return view.allowed.includes('replayFirstFlight') ? { type: 'replayFirstFlight' } : null;
  const target = transferPacket(view);
  return target && target.status !== 'held' ? { type: 'replay', packetId: target.id } : null;
}

/** The attacks that show Alice a certificate: at the leaked-key event each shows the bank's own, whose key she holds. */
const SHOWS_A_CERTIFICATE: ReadonlySet<AttackerBehaviour> = new Set(['keySubstitution', 'fakeCertificate', 'fraudulentCsr', 'ownNameCertificate', 'ownCertificateAsCa']);

function plan(view: AttackerView, behaviour: AttackerBehaviour): AttackerAction | null {
  const effective = effectiveBehaviour(behaviour, view.level);
  if (view.leakedKey && SHOWS_A_CERTIFICATE.has(effective)) return substitute(view, ['issuedCertificate']);
  switch (effective) {
    case 'none':
      return null;
    case 'passive':
      return passive(view);
    case 'keySubstitution':
      return substitute(view, ['ownKey']);
    case 'fakeCertificate':
      return substitute(view, ['selfSignedCertificate', 'ownKey']);
    case 'fraudulentCsr':
      return fraudulentCsr(view);
    case 'tamper':
      return tamper(view);
    case 'replay':
      return replay(view);
    case 'strip':
      return view.stripping ? passive(view) : { type: 'strip' };
    case 'ownNameCertificate':
      return withOwnCertificate(view, 'ownNameCertificate');
    case 'ownCertificateAsCa':
      return withOwnCertificate(view, 'signedWithOwnCertificate');
  }
}

/**
 * Her next move, if the round allows it now; once set up while preparing, she says she is ready;
 * with nothing left to do at the end, she says she is done. Off the Wi-Fi in a hidden-attacker
 * room without an attacker, she calls that the defenders complete the session, as an honest
 * one should be (a bot seat makes no call: it is ready by itself, and its points go to nobody).
 */
export function attackerBot(view: AttackerView, behaviour: AttackerBehaviour): AttackerAction | null {
  if (view.sittingOut) return view.allowed.includes('call') ? { type: 'call', verdict: 'complete' } : null;
  const move = plan(view, behaviour);
  if (move && view.allowed.includes(move.type)) return move;
  if (view.allowed.includes('ready')) return { type: 'ready' };
  return view.allowed.includes('done') ? { type: 'done' } : null;
}
