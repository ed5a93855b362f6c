/**
 * The referee: classifies the round from the ground truth (not from what any player claims)
 * and explains it. One outcome per round, by precedence: Impersonated, Tampered, Eavesdropped,
 * Exposed, Wrong certificate, Attack detected, Refused an unverifiable key, False alarm, Timed out; then Secure, for a protected session whose
 * every check passed, or Unharmed-not-secure, for a level that protects nothing.
 */
import { toHex } from '../codec/bytes.ts';
import { checkOf, explainFailure, failedCertificateChecks, isDetection, type Failure } from '../handshake/failures.ts';
import { LEVEL_MODULES } from '../levels/index.ts';
import { tryKeyOnRecording } from '../levels/try-key.ts';
import { isRecord } from '../attacker/recording.ts';
import { recordingOf } from '../round/attacker-actions.ts';
import { gameTime, type Round } from '../round/state.ts';
import { DOMAIN_OWNERS } from '../round/world.ts';
import { checksOf, validateCertificatePath } from '../pki/verify.ts';
import { pathTransparencyCheck } from '../pki/ct-check.ts';
import { left } from '../round/limits.ts';
import { pinKnownTo } from '../round/secrets.ts';
import { SUBSTITUTE_WORDS } from '../basics/actions.ts';
import { type CheckResult } from '../basics/checks.ts';
import { LEVELS } from '../basics/levels.ts';
import { type Role } from '../basics/roles.ts';
import type { Debrief, DebriefCheck, KeyLeak, Outcome, RoundResult } from '../round/result.ts';
import { CA_DECISION_POINTS, CT_MONITOR_POINTS, OUTCOME_POINTS, OUTCOME_TITLES } from './points.ts';
import { EVENT_TEXTS, EVENT_VERDICTS, HARVEST_WORDS } from '../levels/texts/events.ts';
import { harvestReveal } from './harvest.ts';
import { lastVisitInDays } from '../round/events.ts';
import { ticketKeyRows } from './ticket-key.ts';
import { integrityCompare } from './integrity.ts';
import { hiddenAttackerResult } from './hidden-attacker.ts';
import { leakedKeyCaught, leakedKeyImpersonation, revocationPoints, shortLivedNote } from './revocation.ts';

interface Verdict {
  outcome: Outcome;
  why: string;
}

function sameOrder(a: { pin: string; to: string; amount: number }, b: typeof a): boolean {
  return a.pin === b.pin && a.to === b.to && a.amount === b.amount;
}

/** The client's session carried data, and she held its keys or opened one of its records. */
function attackerHeldTheKeys(round: Round): boolean {
  const a = round.attacker;
  if (!round.client.established) return false;
  const sessionKeys = new Set(Object.values(round.client.learned).map(toHex));
  if (Object.values(a.learned).some((k) => sessionKeys.has(toHex(k)))) return true;
  for (const id of a.opened.keys()) {
    const p = round.packets[id - 1];
    if (p && p.origin === 'genuine' && (p.apparentFrom === 'client' || p.apparentFrom === 'server')) return true;
  }
  return false;
}

/** What the referee knows and the parties cannot: why a failed tag (or signature) failed. */
function diagnosis(round: Round, f: Failure): string {
  const hello = round.attacker.edits.find((e) => e.message === 'ClientHello' || e.message === 'ServerHello');
  if (f.reason === 'badServerKeyExchange' && hello) {
    // RFC 8422 §5.4: the signature covers client_random ‖ server_random ‖ the share.
    return `the bank signed its key share over both randoms as it saw them, and a hello was changed on the way (${hello.what}): the ServerKeyExchange signature no longer verified for Alice`;
  }
  if (f.reason !== 'handshakeKeysDiffer') return explainFailure(f);
  // The downgrade event: an old browser took the bank's TLS 1.2 answer (the bank made a 1.2 master secret) without looking for the sentinel.
  if (hello?.message === 'ClientHello' && round.config.event === 'versionDowngrade' && round.server.learned['master secret']) return EVENT_VERDICTS.downgradeCaughtByFinished(hello.what);
  if (hello) {
    return `the two sides derived different keys because the handshake was changed (${hello.what}): the first encrypted handshake message (${f.message}) failed its tag`;
  }
  const kex = round.attacker.edits.find((e) => e.message === 'ClientKeyExchange');
  if (kex) {
    // What ClientKeyExchange carries is the level's key exchange: an encrypted secret, or a public share.
    switch (round.module.keyExchange) {
      case 'transport':
        return `the encrypted pre-master secret was changed on the way (${kex.what}): the bank decrypted something else and, as TLS requires, carried on without saying so (RFC 5246 §7.4.7.1), so the two sides derived different keys and the first encrypted handshake message (${f.message}) failed its tag`;
      case 'ephemeral':
        // RFC 8422 §5.7: the client's share is sent unsigned; only Finished (RFC 5246 §7.4.9) can notice.
        return `Alice's public key share in ClientKeyExchange was replaced on the way (${kex.what}). Nothing signs her share, so the bank combined its one-time secret with another one: the two sides' keys differ, and Alice's ${f.message}, the first encrypted handshake message, failed its tag`;
      case 'none':
      case 'plaintextKey':
        break;
    }
  }
  const record = round.attacker.edits.find((e) => e.message === 'EncryptedRecord');
  if (record) return `the first encrypted handshake message (${f.message}) was changed on the way (${record.what}), so its tag failed`;
  return explainFailure(f);
}

/** The client's failures a wrong certificate of the bank's own causes (at the bank's side: a key exchange it cannot open). */
const MISCONFIGURATION_SHOWS: ReadonlySet<string> = new Set(['certificateRejected', 'badCertificateVerify', 'unusableCertificateKey']);

/** The checks Alice's browser fails on the bank's own certificate and the chain it sends (a wrong name or key, a missing intermediate), by the ground truth. */
function bankCertificateFaults(round: Round): CheckResult[] {
  const { certificate: cert, chain } = round.server.config;
  const spec = round.module.pki?.certificateKey;
  if (!cert || !spec) return [];
  const validation = validateCertificatePath(cert, {
    chain: chain ?? [],
    trustStore: round.client.config.trustStore,
    expectedName: round.client.config.serverName,
    now: gameTime(round),
    expectedKeyType: spec.keyType,
    expectedUsage: spec.keyUsage,
  });
  // The CT event: a browser that requires SCTs refuses the bank's own certificate too, if the CA kept it out of the log.
  const logs = round.client.config.ctLogs;
  const checks = [...checksOf(validation), ...(logs ? [pathTransparencyCheck(validation, logs)] : [])];
  return checks.filter((c) => !c.passed && !c.blockedBy); // a check another's failure kept from running says nothing of its own
}

/**
 * The rogue-root event, when Alice refused the café certificate and her browser then refused
 * a certificate that root signed, for want of it in her store: the words that say so.
 */
function refusedRootCaught(round: Round): string | undefined {
  const { portal, certificatePath } = round.client;
  if (portal?.answer !== 'refused' || !certificatePath || certificatePath.validation.anchor) return undefined;
  const top = certificatePath.validation.steps.at(-1)?.certificate;
  if (top?.issuer.commonName !== portal.root.subject) return undefined;
  const failed = certificatePath.validation.checks.filter((c) => !c.passed && !c.blockedBy);
  return EVENT_VERDICTS.rogueRootRefused(portal.root.subject, failed.map((c) => c.detail).join('; '));
}

/** The CT event: the certificate Mallory's proxy showed, and whether the log has it and the bank's monitor saw it. */
function transparencyOf(round: Round): { subject: string; how: 'spotted' | 'unwatched' | 'unlogged' } | undefined {
  const shown = round.attacker.proxy?.downstream?.config.certificate;
  const log = round.ctLog;
  if (!shown || !log) return undefined;
  const entry = log.entries.find((e) => e.certificate.serial === shown.serial && e.certificate.issuer === shown.issuer); // the CA's serials are unique
  return { subject: shown.subject, how: !entry ? 'unlogged' : log.spotted.includes(entry.index) ? 'spotted' : 'unwatched' };
}

export function classify(round: Round): Verdict {
  const { client, server, attacker } = round;
  const attacked = attacker.interfered.length > 0;
  const proxy = attacker.proxy;
  if (proxy?.downstream && proxy.mode !== 'strip' && client.established) {
    if (proxy.mode === 'lookalike') {
      // She read the name in the address bar and closed before sending anything: the one defence there is.
      if (!client.orderSent && client.failure) return { outcome: 'attackDetected', why: EVENT_VERDICTS.lookalikeSpotted(client.config.serverName) };
      return { outcome: 'impersonated', why: EVENT_VERDICTS.lookalike(client.config.serverName, server.config.serverName) };
    }
    // A path that ended at a root Alice installed: the cause is her trust store, not a fooled CA.
    const anchor = client.certificatePath?.validation.anchor;
    if (anchor?.installed) return { outcome: 'impersonated', why: EVENT_VERDICTS.rogueRoot(anchor.name) };
    // The CT event: a certificate the CA signed for her, logged (and seen, if the bank watches) or not.
    const misIssued = proxy.mode === 'issuedCertificate' && round.ctLog ? transparencyOf(round) : undefined;
    if (misIssued) return { outcome: 'impersonated', why: EVENT_VERDICTS.misIssued(misIssued.subject, misIssued.how) };
    // The bank's own certificate, with the key that leaked to her: the CA's answer and Alice's browser's policy decided it.
    const leaked = leakedKeyImpersonation(round);
    if (leaked) return { outcome: 'impersonated', why: leaked };
    return { outcome: 'impersonated', why: `the client completed its handshake with the attacker, who showed ${SUBSTITUTE_WORDS[proxy.mode]}, and took her for the bank` };
  }
  const changed = server.received.find((o) => !sameOrder(o, client.order));
  if (changed && attacker.edits.some((e) => e.flip)) return { outcome: 'tampered', why: EVENT_VERDICTS.flipped(changed.amount, changed.to) };
  if (changed) return { outcome: 'tampered', why: `the bank accepted a changed order: pay ${changed.amount} to ${changed.to}` };
  // The early-data event: a copy of Alice's first flight, on a connection of Mallory's own.
  if (server.received.length > 1 && server.copy) return { outcome: 'tampered', why: EVENT_VERDICTS.earlyDataReplayed(server.received.length, server.received[0]!.amount, server.received[0]!.to) };
  if (server.received.length > 1) return { outcome: 'tampered', why: `the bank carried out the same order ${server.received.length} times: a replayed request was accepted` };
  if (server.copy?.refused === 'usedTicket') return { outcome: 'attackDetected', why: EVENT_VERDICTS.earlyDataReplayRefused };
  if (server.copy?.refused === 'stale') return { outcome: 'attackDetected', why: EVENT_VERDICTS.earlyDataReplayTooLate };
  if (client.response && (client.responseOrigin === 'edited' || client.responseOrigin === 'replayed')) {
    return { outcome: 'tampered', why: 'the client accepted an answer the attacker had changed' };
  }
  // The HSTS events, stripped: the words say which HSTS rule was missing (strippedWords).
  const stripped = proxy?.mode === 'strip' ? strippedWords(round) : undefined;
  if (attacker.submissions.some((s) => s.correct)) {
    if (stripped) return { outcome: 'eavesdropped', why: stripped(EVENT_VERDICTS.firstVisitReadPin(client.secret)) };
    return { outcome: 'eavesdropped', why: "the attacker read the client's PIN on the way and proved it" };
  }
  // Harvest now, decrypt later: the recording Mallory kept opens years later, when X25519 alone made the keys — her proof comes then.
  if (harvestReveal(round)?.request) return { outcome: 'eavesdropped', why: EVENT_VERDICTS.harvested(client.secret) };
  if (client.response && (client.responseOrigin === 'injected' || client.responseOrigin === 'proxied')) {
    if (stripped) return { outcome: 'impersonated', why: stripped(EVENT_VERDICTS.firstVisitTookHerAnswers) };
    return { outcome: 'impersonated', why: 'the client took the attacker for the bank: its answer came from her, in plain HTTP' };
  }
  if (attackerHeldTheKeys(round)) {
    return { outcome: 'exposed', why: 'the attacker held the keys and could read everything on the way, though she did not prove it by submitting the PIN' };
  }
  const failures = [client.failure, server.failure].filter((f) => f !== undefined);
  // Only a failure a wrong certificate causes, with the genuine bank, can be the bank's fault (the check costs a signature verification).
  const showsMisconfiguration = MISCONFIGURATION_SHOWS.has(client.failure?.reason ?? 'none') || server.failure?.reason === 'cannotOpenKeyExchange';
  const faults = showsMisconfiguration && !proxy?.downstream ? bankCertificateFaults(round) : [];
  if (faults.length > 0) {
    // Its certificate alone, where the CA sent a chain: the certificate is right, the server's set-up is not.
    const unsent = server.chainReceived.filter((c) => !(server.config.chain ?? []).includes(c));
    if (unsent.length > 0 && faults.some((f) => f.check === 'issuer')) {
      return {
        outcome: 'misconfigured',
        why: `the bank sent its certificate without ${unsent.map((c) => `${c.subject}'s`).join(' or ')}, so Alice's browser could build no path to a CA it trusts (${faults.map((f) => f.detail).join('; ')}) — no attacker needed. Her browser was right to stop; the bank must send the full chain (fullchain.pem)`,
      };
    }
    // Right name and key, but out of date: the bank forgot to renew (the expired-certificate event, or a bank that let it run out).
    if (faults.every((f) => f.check === 'notExpired')) return { outcome: 'misconfigured', why: EVENT_VERDICTS.expired(faults.map((f) => f.detail).join('; ')) };
    // The CT event: the CA signed the bank's certificate but kept it out of the log — no SCT, and her browser requires one.
    if (faults.every((f) => f.check === 'certificateTransparency')) return { outcome: 'misconfigured', why: EVENT_VERDICTS.bankUnlogged };
    return {
      outcome: 'misconfigured',
      why: `the bank's own certificate failed Alice's checks (${faults.map((f) => f.detail).join('; ')}), so no secure session with it was possible — no attacker needed. Her browser was right to stop; the bank must ask the CA for the right name and key`,
    };
  }
  // One of the bank's own names that its certificate does not list (the subdomain event, renewed for bank.example alone): its server cannot answer for it.
  if (!attacked && server.failure?.reason === 'unrecognizedName' && DOMAIN_OWNERS[server.failure.name] === 'server') return { outcome: 'misconfigured', why: EVENT_VERDICTS.bankNameUncertified(server.failure.name) };
  if (failures.length > 0) {
    const detection = failures.find(isDetection);
    const refusedRoot = detection && detection === client.failure ? refusedRootCaught(round) : undefined;
    if (refusedRoot) return { outcome: 'attackDetected', why: refusedRoot };
    const revoked = detection && detection === client.failure ? leakedKeyCaught(round) : undefined;
    if (revoked) return revoked;
    if (detection) return { outcome: attacked ? 'attackDetected' : 'falseAlarm', why: diagnosis(round, detection) };
    if (!attacked && client.failure?.reason === 'keyRejected') {
      // Nothing can vouch for a bare key: refusing it is the careful answer, not an alarm raised for nothing.
      return { outcome: 'keyRefused', why: `${explainFailure(client.failure)} — right, like an SSH host key one cannot check. Nobody had swapped it this time, but nothing could have told her` };
    }
    return attacked
      ? { outcome: 'attackDetected', why: 'a player aborted while the attacker was at work' }
      : { outcome: 'falseAlarm', why: 'a player aborted, but nothing was wrong' };
  }
  if (!client.response) {
    if (round.module.caPlays && !server.config.certificate) return { outcome: 'timedOut', why: 'the bank never had a certificate to answer Alice with: it asks the CA for one while the round prepares' };
    return { outcome: 'timedOut', why: 'the transfer never completed before the timer' };
  }
  const unprotected = (round.config.event && EVENT_TEXTS[round.config.event].unprotected) || round.module.texts.unprotected;
  if (round.module.protection !== 'tls' && unprotected) return { outcome: 'unprotected', why: `the transfer went through unharmed, but ${unprotected}` };
  const clickedThrough = failedCertificateChecks(client.checks);
  if (clickedThrough.length > 0) {
    return attacked
      ? { outcome: 'tampered', why: `the client accepted a certificate the attacker had changed, clicking through ${clickedThrough.length} failed check(s)` }
      : clickedThrough.every((c) => c === 'notExpired')
        ? { outcome: 'unprotected', why: EVENT_VERDICTS.clickedThroughExpired }
        : { outcome: 'unprotected', why: `the transfer went through, but the client clicked through ${clickedThrough.length} failed certificate check(s): nothing proved the other end was the bank` };
  }
  // The early-data event: Alice's own first flight, held past the bank's freshness window — her early data skipped, her order sent again inside the session.
  if (server.checks.some((c) => c.check === 'ticketFreshness' && !c.passed)) return { outcome: 'secure', why: EVENT_VERDICTS.earlyDataHeldTooLong };
  return { outcome: 'secure', why: 'the client reached the genuine bank over a protected session whose every check passed; the attacker never held the session keys, and every message arrived intact' };
}

/** The client's session keys are within the attacker's reach: she learned one, or one crossed her tap readable (level 2's key). */
function sessionKeyWithinReach(round: Round): boolean {
  const a = round.attacker;
  const keys = Object.values(round.client.learned).map(toHex);
  if (keys.length === 0) return false;
  const hers = new Set(Object.values(a.learned).map(toHex));
  if (keys.some((k) => hers.has(k))) return true;
  const wire = a.captured.map((id) => toHex(round.packets[id - 1]!.bytes)).join('|');
  return keys.some((k) => wire.includes(k));
}

/**
 * Once the conversation is over, the attacker can change the outcome only by proving the PIN:
 * so the referee waits for her only while she can read it (or holds a key that opens it), has
 * not proved it, has guesses left and has not said she is done — and while a proof would still
 * change the verdict (not after Impersonated or Tampered, which rank above Eavesdropped).
 */
export function attackerMayStillProve(round: Round): boolean {
  const a = round.attacker;
  if (a.done || a.submissions.some((s) => s.correct) || left(round, 'attacker', 'guesses') === 0) return false;
  if (!pinKnownTo(round, 'attacker') && !sessionKeyWithinReach(round)) return false;
  const now = classify(round).outcome;
  return now !== 'impersonated' && now !== 'tampered';
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
  const longTerm = round.module.longTermKey;
  if (longTerm) add('server', longTerm.name, server.config[longTerm.of].secretKey);
  // No CA plays at levels without certificates; where an intermediate signs, the root's key stays offline.
  if (round.module.caPlays) add('ca', ca.issuing.chain.length === 0 ? "CA's signing key" : `CA's signing key (${ca.issuing.name}, an intermediate)`, ca.issuing.keys.secretKey);
  for (const [name, value] of Object.entries(client.learned)) add('client', name, value);
  for (const [name, value] of Object.entries(server.learned)) add('server', name, value);
  for (const [name, value] of Object.entries(attacker.learned)) add('attacker', name, value);
  return [...holders.values()].map((h) => ({ key: h.key, knownBy: [...h.knownBy] }));
}

/** Whether the party stopped because of this check: it went back at the certificate, or this check's failure closed its connection. */
function actedOn(failure: Failure | undefined, c: CheckResult): boolean {
  if (!failure || c.passed) return false;
  if (failure.reason === 'certificateRejected') return failedCertificateChecks([c]).length > 0;
  return checkOf(failure) === c.check;
}

function checksDebrief(round: Round): DebriefCheck[] {
  const rows: DebriefCheck[] = [];
  const party = (by: 'client' | 'server', checks: CheckResult[], failure: Failure | undefined) => {
    for (const c of checks) rows.push({ by, check: c.check, ran: !c.blockedBy, flagged: !c.passed && !c.blockedBy, actedOn: actedOn(failure, c), detail: c.detail });
  };
  party('client', round.client.checks, round.client.failure);
  party('server', round.server.checks, round.server.failure);
  for (const r of round.ca.requests) {
    if (!r.investigated.includes('http01')) {
      const decided = r.decision === 'pending' ? 'left it undecided' : `${r.decision} it`;
      rows.push({ by: 'ca', check: 'domainControl', ran: false, skipped: true, flagged: false, actedOn: false, detail: `request for ${r.csr.subject}: the CA ${decided} without fetching its challenge, so nobody checked who controls ${r.csr.subject}` });
      continue;
    }
    const flagged = !r.domainControl.passed;
    rows.push({ by: 'ca', check: 'domainControl', ran: true, flagged, actedOn: flagged && r.decision === 'refused', detail: `request for ${r.csr.subject}: ${r.domainControl.detail}; ${r.decision}` });
  }
  return rows;
}

/** GAME.md's "server key leaked" event, played on this round's recording, beside the same leak at every level that has it. */
function serverKeyLeak(round: Round): KeyLeak | undefined {
  const longTerm = round.module.longTermKey;
  if (!longTerm?.leakEvent) return undefined;
  const recording = recordingOf(round);
  const trial = tryKeyOnRecording(recording, round.server.config[longTerm.of].secretKey);
  const harvest = harvestReveal(round);
  const opened = trial.opened.size > 0;
  const readsOrder = [...trial.opened.values()].some((o) => o.message.type === 'HttpRequest');
  const compare = LEVELS.flatMap((level) => {
    const m = LEVEL_MODULES[level];
    const how = m.texts.leak?.how;
    return m.longTermKey?.leakEvent && how ? [{ level, how, opens: m.keyExchange === 'transport', thisRound: level === round.config.level && !harvest }] : [];
  });
  // The quantum computer of the harvest event, beside the leaks (at the level that offers it): it needs no leaked key, and only the hybrid key share withstands it.
  const quantumLevel = LEVELS.find((level) => LEVEL_MODULES[level].events?.includes('harvestNowDecryptLater'));
  if (quantumLevel !== undefined) for (const { hybrid, ...row } of HARVEST_WORDS.leakRows) compare.push({ level: quantumLevel, ...row, thisRound: harvest?.hybrid === hybrid });
  // The bank's ticket key leaking instead: what it opens of a resumed session (the early-data event's level).
  compare.push(...ticketKeyRows(round));
  // The headline follows what the key opens; "forward secrecy" only where something was encrypted to keep sealed.
  const { headline, text } = readsOrder
    ? {
        headline: 'Her recording opens: she reads the past.',
        text: "Server key leaked: with the bank's private key, the attacker's recording of this round opens — she reads the PIN and the transfer order. Key transport has no forward secrecy.",
      }
    : opened
      ? {
          headline: 'Her recording opens, but holds no order.',
          text: `Server key leaked: with the bank's private key, the attacker's recording of this round opens — ${trial.explanation} — but no record of it carries the PIN or the order. Key transport has no forward secrecy.`,
        }
      : !recording.packets.some(isRecord)
        ? {
            headline: 'Nothing to open: no encrypted record crossed her Wi-Fi.',
            text: 'Server key leaked: but the conversation ended before anything was encrypted, so her recording of this round holds nothing for any key to open.',
          }
        : {
            headline: round.module.keyExchange === 'ephemeral' ? 'Her recording stays sealed: forward secrecy.' : 'Her recording gives up nothing this time.',
            text: `Server key leaked: the attacker tries the bank's long-term key on her recording of this round — ${trial.explanation}.`,
          };
  const afterword = round.module.texts.leak?.afterword;
  return { opened, headline, text, compare, ...(afterword ? { afterword } : {}) };
}

export function judge(round: Round): RoundResult {
  const verdict = classify(round);
  const points = { ...OUTCOME_POINTS[verdict.outcome] };
  points.ca += caPoints(round) + revocationPoints(round);
  // The CT event: the bank's monitor saw a certificate for its name it never asked for — credited whatever else happened.
  if (round.ctLog?.spotted.length) points.server += CT_MONITOR_POINTS.spotted;
  // A hidden-attacker match: the attacker seat scores by that mode; the scoreboard opens with the truth (`hiddenAttacker`).
  const hidden = hiddenAttackerResult(round, verdict.outcome);
  if (hidden) points.attacker = hidden.attackerPoints;
  const summary = `${OUTCOME_TITLES[verdict.outcome]}: ${verdict.why}.`;
  // The scoreboard shows the summary: the notes add only what it does not say.
  const event = round.config.event ? EVENT_TEXTS[round.config.event] : undefined;
  const notes = [...(event?.changesLevel ? [] : [round.module.texts.debriefNote]), ...(event ? [event.debriefNote] : [])];
  const parties = [
    ['Alice', round.client.failure],
    ['The bank', round.server.failure],
  ] as const;
  for (const [who, f] of parties) {
    if (!f) continue;
    const words = explainFailure(f);
    if (verdict.why.includes(words) || verdict.why.includes(diagnosis(round, f))) continue;
    notes.push(`${who} closed the connection too: ${words}.`);
  }
  if (round.attacker.interfered.length > 0) notes.push(`The attacker ${round.attacker.interfered.join('; ')}.`);
  const shortLived = shortLivedNote(round);
  if (shortLived) notes.push(shortLived);
  const leak = serverKeyLeak(round);
  const integrity = integrityCompare(round);
  const harvest = harvestReveal(round);
  return {
    outcome: verdict.outcome,
    summary,
    points,
    debrief: { checks: checksDebrief(round), keys: keysDebrief(round), notes, ...(leak ? { serverKeyLeak: leak } : {}), ...(integrity ? { integrity } : {}), ...(harvest ? { harvest } : {}) },
    ...(hidden ? { hiddenAttacker: hidden.reveal } : {}),
  };
}

/**
 * A stripped round at an HSTS event: which rule was missing — a first visit with no entry and no
 * preload list, a returning visit whose entry's max-age had run out, or a subdomain the bank's
 * entry did not cover (no includeSubDomains). `got` says what Mallory got.
 */
function strippedWords(round: Round): ((got: string) => string) | undefined {
  const { client } = round;
  if (round.config.event === 'hstsFirstVisit') return (got) => EVENT_VERDICTS.firstVisitStripped(client.config.serverName, got);
  if (round.config.event === 'hstsSubdomain' && client.lastVisit && !client.lastVisit.entry.includeSubDomains) {
    const visit = lastVisitInDays(client.lastVisit, gameTime(round));
    return (got) => EVENT_VERDICTS.subdomainStripped(client.config.serverName, client.lastVisit!.entry.domain, got, visit);
  }
  const visit = round.config.event === 'hstsReturningVisit' && client.lastVisit ? lastVisitInDays(client.lastVisit, gameTime(round)) : undefined;
  const expiredDaysAgo = visit?.expiredDaysAgo;
  if (!visit || expiredDaysAgo === undefined) return undefined;
  return (got) => EVENT_VERDICTS.returningVisitStripped(client.config.serverName, got, { ...visit, expiredDaysAgo });
}
