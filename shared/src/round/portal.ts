/**
 * The rogue-root event's captive portal (staged by round/events.ts): before Alice may browse,
 * the café Wi-Fi's page asks her to install "the café certificate" — Mallory's own root.
 * Installed, it joins her browser's trust store as an anchor (RFC 5280 §6.1.1 (d): an anchor is
 * trusted because it is in the store, nothing more), and every certificate it signs passes her
 * checks, for any name. Refused, her store stays as it came, and the portal lets her on all the
 * same: Mallory wants her traffic either way (and a real café's Wi-Fi never needs a root).
 */
import { x509Of } from '../pki/certificate.ts';
import { anchorFromCertificate } from '../pki/path.ts';
import { log, type Round } from './state.ts';

export function answerPortal(round: Round, install: boolean): void {
  const c = round.client;
  const portal = c.portal;
  if (!portal || portal.answer) return;
  const root = portal.root.subject;
  if (install) {
    portal.answer = 'installed';
    c.config = { ...c.config, trustStore: [...c.config.trustStore, { ...anchorFromCertificate(x509Of(portal.root)), installed: true }] };
    log(round, 'client', `You installed “${root}” as a trusted root: your browser now accepts any certificate it signs, for any site.`, ['client'], 'warning');
    log(round, 'attacker', `Alice installed your café certificate: “${root}” is in her trust store now, and every certificate you sign with it passes her checks.`, ['attacker'], 'success');
  } else {
    portal.answer = 'refused';
    log(round, 'client', `You refused to install “${root}”: your trust store holds only the roots your browser came with. The café Wi-Fi lets you on anyway.`, ['client'], 'success');
    log(round, 'attacker', `Alice refused your café certificate: her trust store holds only the roots her browser came with.`, ['attacker'], 'failure');
  }
}
