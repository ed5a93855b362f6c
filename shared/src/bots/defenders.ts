/**
 * Bots for the defending seats. Each reads only its own seat's view, as a person would, and
 * moves only as the view allows.
 * - client: careful (HSTS for the bank from an earlier visit; goes back at any failed check;
 *   refuses a captive portal's root) or careless (a first visit, no HSTS; clicks through every
 *   warning its browser lets it through — an HSTS host's certificate error offers none — and
 *   installs whatever root a captive portal asks for). A bare key at level 3 has no check to
 *   fail, so both use it;
 * - server: standard (asks the CA for a certificate for bank.example, with the key its level
 *   needs, while preparing; sends the full chain where the CA sent one; then answers; where a CT
 *   log runs, its monitor watches it — round/ct-log.ts — while a careless bank's does not; at the
 *   returning-visit event a careless bank's HSTS header said a month, not a year — round/events.ts);
 * - CA: strict (fetches each request's http-01 challenge and signs only if the token is there)
 *   or sloppy (signs whatever comes, without looking). Both log what they sign where a CT log runs.
 * Where a CT log runs, a careful client's up-to-date browser requires an SCT; a careless one's does not look.
 *   or sloppy (signs whatever comes, without looking). Asked to revoke a certificate whose key
 *   leaked (the leaked-key event), both revoke: the strict one once the request's proof checks
 *   out (it comes from the account that ordered the certificate, signed with its key), the sloppy one without looking.
 */
import { levelModule } from '../levels/index.ts';
import type { CaAction, ClientAction, ServerAction } from '../basics/actions.ts';
import type { CaBehaviour, ClientBehaviour } from '../basics/roles.ts';
import type { CaView, ClientView, ServerView } from '../round/types.ts';

export function clientBot(view: ClientView, behaviour: ClientBehaviour): ClientAction | null {
  const can = (type: ClientAction['type']) => view.allowed.includes(type);
  // The café Wi-Fi's "install our certificate" page: the careless one installs whatever lets her browse.
  if (can('answerPortal')) return { type: 'answerPortal', install: behaviour === 'careless' };
  if (can('ready')) return { type: 'ready' };
  if (can('connect')) return { type: 'connect' };
  if (view.decision) {
    // Without a way through (an HSTS host's certificate error), even the careless one can only go back.
    if (!can('trust')) return can('abort') ? { type: 'abort' } : null;
    if (behaviour === 'careless') return { type: 'trust' };
    return view.decision.checks.every((c) => c.passed) ? { type: 'trust' } : { type: 'abort' };
  }
  return can('sendSecret') ? { type: 'sendSecret' } : null;
}

/** Asks for what the level needs (its briefing says which key): bank.example, with the level's certificate key; then sends the full chain. */
export function serverBot(view: ServerView): ServerAction | null {
  const key = levelModule(view.level).pki?.certificateKey.of;
  if (view.allowed.includes('requestCertificate') && view.csr === 'none' && key) return { type: 'requestCertificate', subject: 'bank.example', key };
  if (view.allowed.includes('chooseChain') && view.chain?.fullChain === undefined) return { type: 'chooseChain', fullChain: true };
  return view.allowed.includes('ready') && view.csr !== 'pending' ? { type: 'ready' } : null;
}

/** strict: fetches each request's http-01 challenge, and signs only if the token is there. sloppy: signs without looking. */
export function caBot(view: CaView, behaviour: CaBehaviour): CaAction | null {
  if (view.revocation?.decision === 'pending' && view.allowed.includes('answerRevocation')) {
    return { type: 'answerRevocation', revoke: behaviour === 'sloppy' || view.revocation.proof.every((p) => p.holds) };
  }
  const pending = view.requests.find((r) => r.decision === 'pending');
  if (pending && view.allowed.includes('sign')) {
    if (behaviour === 'sloppy') return { type: 'sign', csrId: pending.id };
    if (!pending.domainControl) return { type: 'investigate', csrId: pending.id, method: 'http01' };
    return { type: pending.domainControl.passed ? 'sign' : 'refuse', csrId: pending.id };
  }
  return view.allowed.includes('ready') ? { type: 'ready' } : null;
}
