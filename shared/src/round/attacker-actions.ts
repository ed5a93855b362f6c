/**
 * What the attacker's tools do to the round, in the conventions of mitmproxy and Burp:
 * intercept, a queue of held packets, forward / drop / edit, replay, inject, substitute,
 * strip, request a certificate, try a key, submit a stolen secret.
 */
import { firstFlight } from './early-data.ts';
import { fromHex, toHex } from '../codec/bytes.ts';
import { editField, editPlaintext, parseHexBytes } from '../attacker/operations.ts';
import type { Recording } from '../attacker/recording.ts';
import { tryKeyOnRecording } from '../levels/try-key.ts';
import { packetById, release, sendPacket } from './network.ts';
import { certificateRequest } from './certification.ts';
import { cannotSubstitute } from './proxy.ts';
import { log, type FlipEdit, type Packet, type Round } from './state.ts';
import { left, SEAT_LIMITS } from './limits.ts';
import { actionError as err, SUBSTITUTE_WORDS, type ActionError, type AttackerAction, type SeatAction } from './types.ts';
import { inspect } from './inspected.ts';
import { gameRecordStyle, recordSpans } from './records.ts';
import { planFlip } from '../attacker/flip.ts';
import { HIDDEN_ATTACKER_TEXTS } from '../levels/texts/hidden-attacker.ts';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function heldPacket(round: Round, id: number): Packet | ActionError {
  const p = packetById(round, id);
  if (!p || !round.attacker.captured.includes(id)) return err('notFound', `no captured packet #${id}`);
  if (p.status !== 'held') return err('notAllowed', `packet #${id} is not held: turn intercept on to stop packets at the tap`);
  return p;
}

function capturedPacket(round: Round, id: number): Packet | ActionError {
  const p = packetById(round, id);
  if (!p || !round.attacker.captured.includes(id)) return err('notFound', `no captured packet #${id}`);
  return p;
}

/**
 * The client↔bank conversation as captured on the Wi-Fi (what a recording holds). A packet she
 * edited is recorded as it arrived at her tap: she saw its original bytes before she changed them.
 */
export function recordingOf(round: Round): Recording {
  const packets: Recording['packets'] = [];
  for (const id of round.attacker.captured) {
    const p = packetById(round, id)!;
    const from = p.apparentFrom;
    if (from !== 'client' && from !== 'server') continue;
    const bytes = p.origin === 'genuine' ? p.bytes : p.origin === 'edited' ? round.attacker.edits.find((e) => e.packetId === id)?.original : undefined;
    if (!bytes) continue;
    const message = inspect(bytes).message;
    if (message) packets.push({ id, from, message });
  }
  return { level: round.config.level, packets, ...(gameRecordStyle(round) === 'gameCtr' ? { withoutTag: true } : {}) };
}

/** Refuses bytes of her own that would take her past the round's byte budget. */
function overBudget(round: Round, size: number): ActionError | null {
  const remaining = left(round, 'attacker', 'bytes');
  if (size <= remaining) return null;
  return err('notAllowed', `at most ${SEAT_LIMITS.bytes} bytes of your own on the wire per round: this packet has ${size}, ${remaining} left`);
}

/** Counts what she put on the wire herself. */
function spend(round: Round, kind: 'injections' | 'replays' | 'edits', bytes: number): void {
  const spent = round.spent.attacker;
  spent[kind]++;
  spent.bytes += bytes;
}

function interfere(round: Round, what: string): void {
  round.attacker.interfered.push(what);
}

/**
 * An edit of a held packet: its new bytes (or why not), within her budget. The packet then
 * carries them, the referee learns what changed, and no one reads it as it was.
 */
function editHeld(round: Round, packetId: number, did: string, what: (before: string) => string, rewrite: (p: Packet) => Uint8Array | ActionError | Flipped): ActionError | null {
  const a = round.attacker;
  const p = heldPacket(round, packetId);
  if ('code' in p) return p;
  const before = inspect(p.bytes).message?.type ?? 'Malformed';
  let rewritten: Uint8Array | ActionError | Flipped;
  try {
    rewritten = rewrite(p);
  } catch (e) {
    return err('invalid', messageOf(e));
  }
  if ('code' in rewritten) return rewritten;
  const { bytes, flip } = rewritten instanceof Uint8Array ? { bytes: rewritten, flip: undefined } : rewritten;
  const tooMuch = overBudget(round, bytes.length);
  if (tooMuch) return tooMuch;
  a.edits.push({ packetId: p.id, message: before, what: what(before), original: p.bytes, ...(flip ? { flip } : {}) });
  p.bytes = bytes;
  spend(round, 'edits', bytes.length);
  p.origin = 'edited';
  a.opened.delete(p.id);
  interfere(round, `${did} packet #${p.id}`);
  log(round, 'attacker', `${did[0]!.toUpperCase()}${did.slice(1)} packet #${p.id}.`, ['attacker']);
  return null;
}

/** Bytes as a student reads them: two hex digits each, spaced. */
function spacedHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** A bit flip's new bytes, and what she flipped (the referee's side-by-side with a tag reads it). */
interface Flipped {
  bytes: Uint8Array;
  flip: FlipEdit;
}

/** Her guess XOR what she wants, onto the end of a record's ciphertext (attacker/flip.ts); the tag, if any, stays as it was. */
function flipRecordEnd(round: Round, p: Packet, known: string, wanted: string): Flipped | ActionError {
  const spans = recordSpans(round, p.bytes);
  if (!spans) return err('invalid', `packet #${p.id} is not an encrypted record: flip bits in a record whose plaintext you can guess`);
  const { offset, length } = spans.ciphertext;
  const plan = planFlip(p.bytes.subarray(offset, offset + length), known, wanted);
  if ('problem' in plan) return err('invalid', plan.problem);
  const bytes = p.bytes.slice();
  bytes.set(plan.after, offset + plan.at);
  return { bytes, flip: { known, wanted, mask: plan.mask } };
}

/** An attacker action the round allows now (see allowed.ts); what remains to check is its arguments. */
export function applyAttackerAction(round: Round, action: SeatAction<AttackerAction>): ActionError | null {
  const a = round.attacker;
  switch (action.type) {
    case 'setIntercept':
      a.intercept = action.on;
      log(round, 'attacker', `Intercept ${action.on ? 'on: packets stop at your tap' : 'off'}.`, ['attacker']);
      return null;
    case 'forward': {
      const p = heldPacket(round, action.packetId);
      if ('code' in p) return p;
      log(round, 'attacker', `Forwarded packet #${p.id}.`, ['attacker']);
      release(round, p);
      return null;
    }
    case 'forwardAll': {
      const held = [...a.held];
      log(round, 'attacker', `Forwarded ${held.length === 1 ? `packet #${held[0]}` : `all ${held.length} held packets`}.`, ['attacker']);
      for (const id of held) {
        const p = packetById(round, id);
        if (p) release(round, p);
      }
      return null;
    }
    case 'drop': {
      const p = heldPacket(round, action.packetId);
      if ('code' in p) return p;
      p.status = 'dropped';
      a.held = a.held.filter((id) => id !== p.id);
      interfere(round, `dropped packet #${p.id}`);
      log(round, 'attacker', `Dropped packet #${p.id}.`, ['attacker']);
      return null;
    }
    case 'editField':
      return editHeld(round, action.packetId, `edited ${action.path} of`, (before) => `${before}.${action.path} edited`, (p) => {
        if (!action.path.startsWith('plaintext.')) return editField(p.bytes, action.path, action.value);
        const opened = a.opened.get(p.id);
        if (!opened?.keys) return err('notAllowed', 'you cannot read this record, so you cannot change what it says: edit its bytes instead');
        return editPlaintext(opened.message, opened.keys, opened.contentType ?? 23, action.path.slice('plaintext.'.length), action.value);
      });
    case 'editBytes':
      return editHeld(round, action.packetId, 'rewrote the bytes of', (before) => `the bytes of ${before} rewritten`, () => parseHexBytes(action.hex));
    case 'flipBits': {
      const refused = editHeld(
        round,
        action.packetId,
        'flipped bits at the end of',
        (before) => `bits flipped at the end of ${before}, "${action.known}" made "${action.wanted}" without the key`,
        (p) => flipRecordEnd(round, p, action.known, action.wanted),
      );
      const mask = refused ? undefined : a.edits.at(-1)?.flip?.mask;
      if (mask) log(round, 'attacker', `Your guess "${action.known}" XOR "${action.wanted}" = mask ${spacedHex(mask)}, XORed onto the last ${mask.length} bytes of the ciphertext. You never used a key.`, ['attacker']);
      return refused;
    }
    case 'replay': {
      const p = capturedPacket(round, action.packetId);
      if ('code' in p) return p;
      if (p.status === 'held') return err('notAllowed', 'forward the packet first; replay sends a copy of one that already went through');
      const tooMuch = overBudget(round, p.bytes.length);
      if (tooMuch) return tooMuch;
      spend(round, 'replays', p.bytes.length);
      const to = p.apparentTo === 'client' ? 'client' : 'server';
      const copy = sendPacket(round, 'attacker', to, p.bytes.slice(), { origin: 'replayed', apparentFrom: p.apparentFrom, apparentTo: to });
      interfere(round, `replayed packet #${p.id}`);
      log(round, 'attacker', `Replayed packet #${p.id} as #${copy.id}.`, ['attacker']);
      return null;
    }
    case 'replayFirstFlight': {
      const flight = firstFlight(round);
      const size = flight.reduce((n, p) => n + p.bytes.length, 0);
      const tooMuch = overBudget(round, size);
      if (tooMuch) return tooMuch;
      spend(round, 'replays', size);
      // Her own connection to the bank (TCP is hers: its answers come to her), carrying Alice's bytes unchanged.
      const copies = flight.map((p) => sendPacket(round, 'attacker', 'server', p.bytes.slice(), { origin: 'replayed', apparentFrom: 'attacker', apparentTo: 'server' }));
      interfere(round, `replayed Alice's first flight (packets #${flight.map((p) => p.id).join(' and #')}: her ClientHello and its 0-RTT early data)`);
      log(round, 'attacker', `Replayed Alice's first flight — her ClientHello with the ticket, and the early data behind it — on a connection of your own: packets #${copies.map((p) => p.id).join(' and #')}.`, ['attacker']);
      return null;
    }
    case 'inject': {
      let bytes: Uint8Array;
      try {
        bytes = parseHexBytes(action.hex);
      } catch (e) {
        return err('invalid', messageOf(e));
      }
      const tooMuch = overBudget(round, bytes.length);
      if (tooMuch) return tooMuch;
      spend(round, 'injections', bytes.length);
      const copy = sendPacket(round, 'attacker', action.to, bytes, { origin: 'injected', apparentFrom: action.to === 'client' ? 'server' : 'client' });
      interfere(round, `injected packet #${copy.id}`);
      log(round, 'attacker', `Injected packet #${copy.id} toward the ${action.to === 'client' ? 'client' : 'bank'}.`, ['attacker']);
      return null;
    }
    case 'substitute': {
      if (action.mode !== 'off') {
        const problem = cannotSubstitute(round, action.mode);
        if (problem) return err('notAllowed', problem);
      }
      a.substitute = action.mode;
      log(round, 'attacker', action.mode === 'off' ? 'Substitution off.' : `Substitution ready (${SUBSTITUTE_WORDS[action.mode]}): your proxy will take the next connection.`, ['attacker']);
      return null;
    }
    case 'strip': {
      a.stripping = true;
      log(round, 'attacker', "Stripping on: if the client's browser asks http:// first, you will hide the bank's redirect to https:// and answer it in plain HTTP yourself.", ['attacker']);
      return null;
    }
    case 'requestCertificate': {
      const csr = certificateRequest(round, action.subject, a);
      if (!csr) return err('notAllowed', 'there is no CA at this level');
      a.csrsSent++;
      sendPacket(round, 'attacker', 'ca', { type: 'CertificateRequest', csr });
      log(round, 'attacker', `Asked the CA for a certificate for ${action.subject}.`, ['attacker']);
      return null;
    }
    case 'tryKey': {
      const p = capturedPacket(round, action.packetId);
      if ('code' in p) return p;
      let key: Uint8Array;
      try {
        key = fromHex(action.keyHex);
      } catch {
        return err('invalid', 'the key must be hex');
      }
      const trial = tryKeyOnRecording(recordingOf(round), key);
      for (const [id, o] of trial.opened) a.opened.set(id, o);
      for (const [name, value] of Object.entries(trial.recovered)) a.learned[name] = value;
      const openedThis = trial.opened.has(p.id);
      a.keyTrials.push({ packetId: p.id, keyHex: toHex(key), opened: openedThis });
      const finding = `Key ${toHex(key).slice(0, 8)}… on packet #${p.id}: ${openedThis ? 'opened. ' : 'did not open it. '}${trial.explanation}.`;
      a.findings.push(finding);
      log(round, 'attacker', finding, ['attacker'], openedThis ? 'success' : 'warning');
      return null;
    }
    case 'done':
      a.done = true;
      // In a hidden-attacker match the countdown runs to its end whatever she does, so that its length says nothing (round/hidden-attacker.ts).
      log(round, 'attacker', round.config.hiddenAttacker ? 'You said you are done: in a hidden-attacker match the countdown runs to its end all the same, so that nobody can tell.' : 'You said you are done: the referee judges now.', ['attacker']);
      return null;
    case 'call':
      // Off the Wi-Fi in a room without an attacker: the call is the seat's preparation, so it is ready too.
      a.call = action.verdict;
      round.ready.add('attacker');
      log(round, 'attacker', `Your call: ${HIDDEN_ATTACKER_TEXTS.sittingOut.calls[action.verdict].toLowerCase()}.`, ['attacker']);
      return null;
    case 'submitSecret': {
      const correct = action.secret === round.client.secret;
      a.submissions.push({ secret: action.secret, correct });
      log(round, 'attacker', correct ? `Submitted the stolen PIN ${action.secret}: correct!` : `Submitted ${action.secret}: wrong.`, ['attacker'], correct ? 'success' : 'failure');
      return null;
    }
  }
}
