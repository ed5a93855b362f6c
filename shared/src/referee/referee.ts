/**
 * The referee: classifies the round from the ground truth (not from what any player claims)
 * and explains it. One outcome per round, by precedence: Impersonated, Tampered,
 * Eavesdropped, Attack detected, False alarm, Timed out, Secure.
 */
import { toHex } from '../codec/bytes.ts';
import { explainFailure, isDetection } from '../handshake/failures.ts';
import type { Round } from '../round/state.ts';
import { SUBSTITUTE_WORDS, type Debrief, type Outcome, type Role, type RoundResult } from '../round/types.ts';
import { tryKeyOnRecording } from '../attacker/recording.ts';
import { recordingOf } from '../round/attacker-actions.ts';
import { CA_DECISION_POINTS, OUTCOME_POINTS, OUTCOME_TITLES } from './points.ts';

interface Verdict {
  outcome: Outcome;
  why: string;
}

function sameOrder(a: { pin: string; to: string; amount: number }, b: typeof a): boolean {
  return a.pin === b.pin && a.to === b.to && a.amount === b.amount;
}

export function classify(round: Round): Verdict {
  const { client, server, attacker } = round;
  const attacked = attacker.interfered.length > 0;
  const proxy = attacker.proxy;
  if (proxy?.downstream && proxy.mode !== 'strip' && client.established) {
    return { outcome: 'impersonated', why: `the client completed its handshake with the attacker, who showed ${SUBSTITUTE_WORDS[proxy.mode]}, and took her for the bank` };
  }
  const changed = server.received.find((o) => !sameOrder(o, client.order));
  if (changed) return { outcome: 'tampered', why: `the bank accepted a changed order: pay ${changed.amount} to ${changed.to}` };
  if (server.received.length > 1) return { outcome: 'tampered', why: `the bank carried out the same order ${server.received.length} times: a replayed request was accepted` };
  if (client.response && (client.responseOrigin === 'edited' || client.responseOrigin === 'replayed')) {
    return { outcome: 'tampered', why: 'the client accepted an answer the attacker had changed' };
  }
  if (attacker.submissions.some((s) => s.correct)) return { outcome: 'eavesdropped', why: "the attacker read the client's PIN on the way and proved it" };
  if (client.response && (client.responseOrigin === 'injected' || client.responseOrigin === 'proxied')) {
    return { outcome: 'impersonated', why: 'the client took the attacker for the bank: its answer came from her, in plain HTTP' };
  }
  const failures = [client.failure, server.failure].filter((f) => f !== undefined);
  if (failures.length > 0) {
    const detection = failures.find(isDetection);
    if (detection) return { outcome: attacked ? 'attackDetected' : 'falseAlarm', why: explainFailure(detection) };
    return attacked
      ? { outcome: 'attackDetected', why: 'a player aborted while the attacker was at work' }
      : { outcome: 'falseAlarm', why: 'a player aborted, but nothing was wrong' };
  }
  if (!client.response) return { outcome: 'timedOut', why: 'the transfer never completed before the timer' };
  return { outcome: 'secure', why: 'the client reached the genuine bank, the attacker never held the session keys, and every message arrived intact' };
}

function caPoints(round: Round): number {
  let points = 0;
  for (const r of round.ca.requests) {
    if (r.decision === 'signed') points += r.domainControl.passed ? CA_DECISION_POINTS.signedGenuine : CA_DECISION_POINTS.misIssued;
    if (r.decision === 'refused') points += r.domainControl.passed ? CA_DECISION_POINTS.refusedGenuine : CA_DECISION_POINTS.refusedFraud;
  }
  return points;
}

function keysDebrief(round: Round): Debrief['keys'] {
  const holders = new Map<string, { key: string; knownBy: Set<Role> }>();
  const add = (role: Role, name: string, value: Uint8Array) => {
    const hex = toHex(value);
    const entry = holders.get(hex) ?? { key: name, knownBy: new Set<Role>() };
    entry.knownBy.add(role);
    // The attacker's names say which connection a key belongs to ("proxy ↔ bank: …"): keep the more precise one.
    if (name.includes('↔')) entry.key = name;
    holders.set(hex, entry);
  };
  const { client, server, ca, attacker } = round;
  // The bank's long-term key in play at this level: it opens sealed secrets (3-4) or signs (5).
  const level = round.config.level;
  if (level === 3 || level === 4) add('server', "bank's private key (X25519)", server.config.encryptionKey.secretKey);
  if (level === 5) add('server', "bank's signing key (Ed25519)", server.config.signingKey.secretKey);
  add('ca', "CA's signing key", ca.keys.secretKey);
  for (const [name, value] of Object.entries(client.learned)) add('client', name, value);
  for (const [name, value] of Object.entries(server.learned)) add('server', name, value);
  for (const [name, value] of Object.entries(attacker.learned)) add('attacker', name, value);
  return [...holders.values()].map((h) => ({ key: h.key, knownBy: [...h.knownBy] }));
}

function checksDebrief(round: Round): Debrief['checks'] {
  const checks: Debrief['checks'] = [];
  for (const c of round.client.checks) checks.push({ by: 'client', check: c.check, caught: !c.passed, detail: c.detail });
  for (const c of round.server.checks) checks.push({ by: 'server', check: c.check, caught: !c.passed, detail: c.detail });
  for (const r of round.ca.requests) {
    const fraud = !r.domainControl.passed;
    checks.push({ by: 'ca', check: 'domain control', caught: fraud && r.decision === 'refused', detail: `request for ${r.csr.subject}: ${r.domainControl.detail}; ${r.decision}` });
  }
  return checks;
}

const LEVEL_NOTES: Record<number, string> = {
  1: 'Level 1 has no protection at all: whoever is on the Wi-Fi reads and changes every byte.',
  2: 'AES-GCM is strong, but the key crossed the wire in the clear: whoever copied it can read and re-seal every record.',
  3: 'Public-key encryption keeps the session key secret — from everyone but the holder of the key you used. Nothing told the client whose key that was.',
  4: 'The certificate ties bank.example to its key, signed by a CA the client already trusts. The Finished MACs catch any change to the handshake.',
  5: 'Ephemeral key shares give forward secrecy; CertificateVerify proves the server holds its certificate\'s key.',
};

/** GAME.md's "server key leaked" event, played on this round's recording. */
function serverKeyLeak(round: Round): Debrief['serverKeyLeak'] {
  const level = round.config.level;
  if (level < 4) return undefined;
  const key = level === 5 ? round.server.config.signingKey.secretKey : round.server.config.encryptionKey.secretKey;
  const trial = tryKeyOnRecording(recordingOf(round), key);
  const request = [...trial.opened.values()].find((o) => o.message.type === 'HttpRequest');
  const opened = request !== undefined;
  const text = opened
    ? `Server key leaked: with the bank's private key, the attacker's recording of this round opens — she reads the PIN and the transfer order. TLS 1.2-style key transport has no forward secrecy.`
    : `Server key leaked: the attacker tries the bank's long-term key on her recording of this round — ${trial.explanation}.`;
  return { opened, text };
}

export function judge(round: Round): RoundResult {
  const verdict = classify(round);
  const points = { ...OUTCOME_POINTS[verdict.outcome] };
  points.ca += caPoints(round);
  const notes = [`${OUTCOME_TITLES[verdict.outcome]}: ${verdict.why}.`, LEVEL_NOTES[round.config.level]!];
  for (const f of [round.client.failure, round.server.failure]) if (f) notes.push(`Check that fired: ${explainFailure(f)}.`);
  if (round.attacker.interfered.length > 0) notes.push(`The attacker ${round.attacker.interfered.join('; ')}.`);
  return {
    outcome: verdict.outcome,
    summary: `${OUTCOME_TITLES[verdict.outcome]}: ${verdict.why}.`,
    points,
    debrief: { checks: checksDebrief(round), keys: keysDebrief(round), notes, ...withLeak(serverKeyLeak(round)) },
  };
}

function withLeak(leak: Debrief['serverKeyLeak']): Pick<Debrief, 'serverKeyLeak'> {
  return leak ? { serverKeyLeak: leak } : {};
}
