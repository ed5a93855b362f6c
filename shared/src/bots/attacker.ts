/**
 * The attacker bot, one named behaviour per attack in GAME.md. Where an attack does not
 * exist at a level (no certificate to fake at level 2, say), the bot falls back to what any
 * eavesdropper on the Wi-Fi does: read what is readable and submit the PIN if she finds it.
 */
import type { FieldNode } from '../messages/types.ts';
import type { AttackerAction, AttackerBehaviour, AttackerView, Level, PacketDetail } from '../round/types.ts';
import { flipBit } from '../attacker/operations.ts';
import { fromHex, toHex } from '../codec/bytes.ts';

const PIN = /pin=(\d+)/;
const EVIL_BODY = (body: string) => body.replace(/to=[^&]*/, 'to=Mallory').replace(/amount=\d+/, 'amount=9999');

function fieldValue(fields: FieldNode[], path: string): string | undefined {
  for (const f of fields) {
    if (f.path === path) return f.value;
    const inner = f.children && fieldValue(f.children, path);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** What the attack becomes at this level. */
export function effectiveBehaviour(behaviour: AttackerBehaviour, level: Level): AttackerBehaviour {
  switch (behaviour) {
    case 'keySubstitution':
    case 'fakeCertificate':
      return level >= 3 ? behaviour : 'passive';
    case 'fraudulentCsr':
      return level >= 4 ? behaviour : 'passive';
    case 'strip':
      return level >= 2 ? behaviour : 'passive';
    default:
      return behaviour;
  }
}

function readablePin(view: AttackerView): string | undefined {
  for (const p of view.captured) {
    const text = p.plaintext?.text ?? (p.label === 'HttpRequest' ? fieldValue(p.fields, 'body') : undefined);
    const match = text && PIN.exec(text);
    if (match) return match[1];
  }
  for (const f of view.findings) {
    const match = PIN.exec(f);
    if (match) return match[1];
  }
  return undefined;
}

function stolenKey(view: AttackerView): string | undefined {
  const transport = view.captured.find((p) => p.label === 'KeyTransport');
  return transport && fieldValue(transport.fields, 'key');
}

/** The client's record that carries the transfer: after Finished at levels 4-5. */
function transferPacket(view: AttackerView, packets: PacketDetail[]): PacketDetail | undefined {
  const fromClient = packets.filter((p) => p.from === 'client' && p.origin === 'genuine');
  if (view.level === 1) return fromClient.find((p) => p.label === 'HttpRequest');
  const records = fromClient.filter((p) => p.label === 'EncryptedRecord');
  return records[view.level >= 4 ? 1 : 0];
}

function passive(view: AttackerView): AttackerAction | null {
  const pin = readablePin(view);
  if (pin) {
    const tried = view.submissions.some((s) => s.secret === pin || s.correct);
    return tried || view.submissions.length >= 3 ? null : { type: 'submitSecret', secret: pin };
  }
  const key = stolenKey(view);
  if (key) {
    const lastTried = Math.max(0, ...view.findings.map((f) => Number(/on packet #(\d+)/.exec(f)?.[1] ?? 0)));
    const sealed = view.captured.find((p) => p.label === 'EncryptedRecord' && !p.plaintext && p.id > lastTried);
    if (sealed) return { type: 'tryKey', packetId: sealed.id, keyHex: key };
  }
  return null;
}

function substitute(view: AttackerView, mode: 'ownKey' | 'selfSignedCertificate'): AttackerAction | null {
  if (view.substitute === 'off' && view.captured.every((p) => p.origin !== 'proxied')) return { type: 'substitute', mode };
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

function tamper(view: AttackerView): AttackerAction | null {
  if (!view.intercept) return { type: 'setIntercept', on: true };
  const held = view.captured.filter((p) => view.held.includes(p.id));
  const target = transferPacket(view, view.captured);
  for (const p of held) {
    if (p.id !== target?.id) return { type: 'forward', packetId: p.id };
    if (p.origin === 'edited') return { type: 'forward', packetId: p.id };
    if (view.level === 1) return { type: 'editField', packetId: p.id, path: 'body', value: EVIL_BODY(fieldValue(p.fields, 'body') ?? '') };
    if (view.level === 2) {
      const key = stolenKey(view);
      if (key && !p.plaintext) return { type: 'tryKey', packetId: p.id, keyHex: key };
      if (p.plaintext) return { type: 'editField', packetId: p.id, path: 'plaintext.body', value: EVIL_BODY(fieldValue(p.plaintext.fields, 'body') ?? '') };
    }
    // No key: all she can do is change ciphertext bytes and hope.
    return { type: 'editBytes', packetId: p.id, hex: toHex(flipBit(fromHex(p.hex), fromHex(p.hex).length - 20)) };
  }
  return null;
}

function replay(view: AttackerView): AttackerAction | null {
  if (view.captured.some((p) => p.origin === 'replayed')) return null;
  const target = transferPacket(view, view.captured);
  return target && target.status !== 'held' ? { type: 'replay', packetId: target.id } : null;
}

export function attackerBot(view: AttackerView, behaviour: AttackerBehaviour): AttackerAction | null {
  if (view.phase !== 'playing') return null;
  const effective = effectiveBehaviour(behaviour, view.level);
  switch (effective) {
    case 'none':
      return null;
    case 'passive':
      return passive(view);
    case 'keySubstitution':
      return substitute(view, 'ownKey');
    case 'fakeCertificate':
      return substitute(view, view.level === 3 ? 'ownKey' : 'selfSignedCertificate');
    case 'fraudulentCsr':
      return fraudulentCsr(view);
    case 'tamper':
      return tamper(view);
    case 'replay':
      return replay(view);
    case 'strip':
      return view.stripping ? passive(view) : { type: 'strip' };
  }
}
