/**
 * Bots for the defending seats. Each reads only its own seat's view, as a person would, and
 * moves only as the view allows.
 * - client: careful (HSTS for the bank from an earlier visit; goes back at any failed check) or
 *   careless (a first visit, no HSTS; clicks through every warning). A bare key at level 3 has
 *   no check to fail, so both use it;
 * - server: standard (asks the CA for a certificate while preparing, then answers);
 * - CA: strict (signs only when domain control passes) or sloppy (signs whatever comes).
 */
import type { CaAction, CaBehaviour, CaView, ClientAction, ClientBehaviour, ClientView, ServerAction, ServerView } from '../round/types.ts';

export function clientBot(view: ClientView, behaviour: ClientBehaviour): ClientAction | null {
  const can = (type: ClientAction['type']) => view.allowed.includes(type);
  if (can('ready')) return { type: 'ready' };
  if (can('connect')) return { type: 'connect' };
  if (view.decision && can('trust')) {
    if (behaviour === 'careless') return { type: 'trust' };
    return view.decision.checks.every((c) => c.passed) ? { type: 'trust' } : { type: 'abort' };
  }
  return can('sendSecret') ? { type: 'sendSecret' } : null;
}

export function serverBot(view: ServerView): ServerAction | null {
  if (view.allowed.includes('requestCertificate') && view.csr === 'none') return { type: 'requestCertificate' };
  return view.allowed.includes('ready') && view.csr !== 'pending' ? { type: 'ready' } : null;
}

export function caBot(view: CaView, behaviour: CaBehaviour): CaAction | null {
  const pending = view.requests.find((r) => r.decision === 'pending');
  if (pending && view.allowed.includes('sign')) {
    const sign = behaviour === 'sloppy' || pending.domainControl.passed;
    return { type: sign ? 'sign' : 'refuse', csrId: pending.id };
  }
  return view.allowed.includes('ready') ? { type: 'ready' } : null;
}
