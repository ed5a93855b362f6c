/**
 * The debrief's "open this round in Wireshark": the files this viewer is offered (the engine
 * says which, in the view), each a button that fetches it, and two lines on opening them.
 */
import type { DownloadOffer, RoundFile } from '../../shared.ts';
import { h } from '../dom.ts';

export function captureLinks(offers: readonly DownloadOffer[], download: (offer: DownloadOffer) => void): HTMLElement | null {
  if (offers.length === 0) return null;
  return h(
    'section',
    { class: 'panel captures', 'aria-labelledby': 'captures-title' },
    h('h3', { id: 'captures-title' }, 'Open this round in Wireshark'),
    h(
      'ul',
      {},
      offers.map((o) => h('li', {}, h('button', { type: 'button', class: 'link', 'data-file': o.file, onclick: () => download(o) }, `⬇ ${o.label}`), ' ', h('code', {}, o.filename))),
    ),
    h('p', { class: 'muted' }, 'Open a .pcapng with File → Open and type http in the filter bar: a capture that carries its key log shows the TLS records decrypted.', leakedKeyAdvice(offers)),
  );
}

/** What the bank's leaked key does to a recording, where this round hands it out: an RSA key opens it, a signing key never does. */
function leakedKeyAdvice(offers: readonly DownloadOffer[]): (HTMLElement | string)[] {
  const leaked = offers.find((o) => o.file === 'leakedKey');
  if (!leaked) return [];
  return [
    h('br', {}),
    leaked.filename.endsWith('rsa-key.pem')
      ? 'A recording without keys stays sealed; add the bank’s leaked RSA key under Preferences → Protocols → TLS → RSA keys list and this session opens — a level-4e or level-5 one never does (one-time key shares: forward secrecy).'
      : 'A recording without keys stays sealed, and the bank’s leaked signing key cannot open it: it only signed, and the session keys came from one-time key shares (forward secrecy).',
  ];
}

/** Hands a downloaded file to the browser, as the results export does. */
export function saveFile(file: RoundFile): void {
  const url = URL.createObjectURL(new Blob([file.bytes.slice().buffer], { type: file.mediaType }));
  const a = h('a', { href: url, download: file.filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
