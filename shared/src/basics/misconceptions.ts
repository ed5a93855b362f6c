/**
 * What a student's play can show they believe, wrongly (this file imports nothing: every layer
 * may use it). The referee's facts decide which a round showed, per seat (referee/misconceptions.ts);
 * only the teacher's dashboard and results say them (levels/texts/teaching-map.ts has the words).
 * - clickedThroughForgedCertificate: Alice went on past a failed certificate check, and the
 *   certificate was the attacker's.
 * - trustedStrippedPage: Alice sent her order over plain http:// to a stripping attacker.
 * - acceptedLookalikeName: Alice sent her order to the look-alike name.
 * - installedRogueRoot: Alice installed the café Wi-Fi's “certificate” (the rogue-root event).
 * - abortedCleanSession: a defender aborted a session nobody attacked (a false alarm).
 * - misIssuedCertificate: the CA signed a certificate for a name its requester does not control
 *   (the domain-control check failed, or was never run).
 * - refusedLeakedKeyRevocation: the CA refused the bank's proven request to revoke the
 *   certificate whose key leaked (the leaked-key event): the stolen key stays good for months.
 */
export const MISCONCEPTIONS = ['clickedThroughForgedCertificate', 'trustedStrippedPage', 'acceptedLookalikeName', 'installedRogueRoot', 'abortedCleanSession', 'misIssuedCertificate', 'refusedLeakedKeyRevocation'] as const;
export type Misconception = (typeof MISCONCEPTIONS)[number];
