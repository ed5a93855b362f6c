/**
 * Bots for the defending seats. Each reads only its own seat's view, as a person would.
 * - client: careful (goes back at any certificate warning or plain-HTTP offer) or careless
 *   (clicks through every warning);
 * - server: standard (asks the CA for a certificate, then answers);
 * - CA: strict (signs only when domain control passes) or sloppy (signs whatever comes).
 */
import type { CaAction, CaBehaviour, CaView, ClientAction, ClientBehaviour, ClientView, ServerAction, ServerView } from '../round/types.ts';

export function clientBot(view: ClientView, behaviour: ClientBehaviour): ClientAction | null {
  if (view.phase !== 'playing') return null;
  if (view.status === 'idle') return { type: 'connect' };
  if (view.decision) {
    if (behaviour === 'careless') return { type: 'trust' };
    return view.decision.checks.every((c) => c.passed) ? { type: 'trust' } : { type: 'abort' };
  }
  if (view.status === 'established' && !view.orderSent) return { type: 'sendSecret' };
  return null;
}

export function serverBot(view: ServerView): ServerAction | null {
  if (view.phase !== 'playing') return null;
  if (view.level >= 4 && view.csr === 'none') return { type: 'requestCertificate' };
  return null;
}

export function caBot(view: CaView, behaviour: CaBehaviour): CaAction | null {
  if (view.phase !== 'playing') return null;
  const pending = view.requests.find((r) => r.decision === 'pending');
  if (!pending) return null;
  const sign = behaviour === 'sloppy' || pending.domainControl.passed;
  return { type: sign ? 'sign' : 'refuse', csrId: pending.id };
}
