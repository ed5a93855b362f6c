/**
 * Mallory's café Wi-Fi portal at the rogue-root event: her own root, the certificate it signed
 * for the bank's name, and whether Alice installed the root. At the leaked-key event, what she
 * holds instead: the bank's own certificate, whose key leaked to her.
 */
import type { AttackerView } from '../../../shared.ts';
import { h, mark } from '../../dom.ts';
import type { PanelContext } from '../context.ts';
import { stolenCertificateLine } from '../revocation.ts';

/** What the panel's portal box holds (nothing outside these events). */
export function cafePortal(rogue: AttackerView['rogueRoot'], leaked: AttackerView['leakedKey'], ctx: PanelContext): (HTMLElement | null)[] {
  if (!rogue) {
    // The leaked-key event: what she holds instead of a portal.
    return [leaked ? stolenCertificateLine(leaked) : null];
  }
  const answer =
    rogue.alice === 'installed'
      ? mark(true, `Alice installed it: “${rogue.root.subject}” is in her trust store, so every certificate it signs passes her checks.`)
      : rogue.alice === 'refused'
        ? mark(false, 'Alice refused it: her trust store holds only the roots her browser came with, so your certificate will fail her issuer check.')
        : mark('info', 'Alice has not answered your page yet.');
  return [
    h('h3', {}, 'Your café Wi-Fi portal'),
    h('p', {}, 'Your page asks Alice to “install the café certificate”: your own root, ', h('strong', {}, rogue.root.subject), '. ', h('button', { type: 'button', class: 'link', 'data-key': 'rogue-root', onclick: () => ctx.inspectFields(`Certificate ${rogue.root.subject}`, rogue.root.fields) }, 'Inspect')),
    h('p', {}, 'With its key you signed a certificate for ', h('strong', {}, rogue.forged.subject), ', for your own key: your proxy below shows it to Alice in the bank’s place (“a certificate she signed herself”). ', h('button', { type: 'button', class: 'link', 'data-key': 'rogue-forged', onclick: () => ctx.inspectFields(`Certificate for ${rogue.forged.subject}, issued by ${rogue.forged.issuer}`, rogue.forged.fields) }, 'Inspect')),
    h('p', { id: 'portal-alice', role: 'status' }, answer),
  ];
}
