/**
 * Which misconceptions (basics/misconceptions.ts) a round's play showed, seat by seat: facts the
 * referee holds once the round is over — what Alice's browser checked and what she did next,
 * what the attacker's proxy was, what the portal asked, the verdict. For the teacher's report
 * only: the server hands them to the class's dashboard and results, never to a room's views.
 */
import type { Misconception } from '../basics/misconceptions.ts';
import type { Role } from '../basics/roles.ts';
import { failedCertificateChecks } from '../handshake/failures.ts';
import type { Failure } from '../handshake/failures.ts';
import type { Round } from '../round/state.ts';

/** A party's failure that is its own move, not the other side's alert or close arriving. */
function aborted(f: Failure | undefined): boolean {
  return f !== undefined && f.reason !== 'peerAlert' && f.reason !== 'closed';
}

/** The misconceptions each seat's play showed in a judged round (seats that showed none are left out); none before the result. */
export function misconceptionsOf(round: Round): Partial<Record<Role, Misconception[]>> {
  const outcome = round.result?.outcome;
  if (!outcome) return {};
  const { client, server, attacker } = round;
  const proxy = attacker.proxy;
  const shown: Partial<Record<Role, Misconception[]>> = {};
  const add = (role: Role, m: Misconception) => (shown[role] ??= []).push(m);

  if (client.portal?.answer === 'installed') add('client', 'installedRogueRoot');
  // She went on past a failed check, and what failed was the attacker's certificate: her proxy's, or one she changed on the way (an expired certificate alone is the bank's).
  const failed = failedCertificateChecks(client.checks);
  const wentOn = client.failure?.reason !== 'certificateRejected' && client.connection?.stage !== 'awaitingDecision';
  const forged = (proxy?.downstream !== undefined && proxy.mode !== 'lookalike') || (attacker.interfered.length > 0 && failed.some((c) => c !== 'notExpired'));
  if (failed.length > 0 && wentOn && forged) add('client', 'clickedThroughForgedCertificate');
  // Stripped: her order went to Mallory in plain HTTP, her browser never having started a handshake (no padlock to miss).
  if (proxy?.mode === 'strip' && client.orderSent && client.firstHandshakePacket === undefined) add('client', 'trustedStrippedPage');
  if (proxy?.mode === 'lookalike' && client.orderSent) add('client', 'acceptedLookalikeName');
  // A certificate signed for a name whose challenge was not there: the requester does not control it (the same fact costs the CA its points).
  if (round.ca.requests.some((r) => r.decision === 'signed' && !r.domainControl.passed)) add('ca', 'misIssuedCertificate');
  // The bank proved its request (its ACME account, signed with the leaked key): a CA that keeps the certificate valid leaves the key to Mallory.
  if (round.ca.revocation?.decision === 'refused') add('ca', 'refusedLeakedKeyRevocation');
  if (outcome === 'falseAlarm') {
    if (aborted(client.failure)) add('client', 'abortedCleanSession');
    if (aborted(server.failure)) add('server', 'abortedCleanSession');
  }
  return shown;
}
