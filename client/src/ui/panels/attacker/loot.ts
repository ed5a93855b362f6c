/** What Mallory holds so far: keys, certificates, findings, her requests to the CA, and the secrets she submitted. */
import type { AttackerView } from '../../../shared.ts';
import { h, hexPreview, mark } from '../../dom.ts';
import type { PanelContext } from '../context.ts';

/** What the panel's loot box holds. */
export function loot(v: AttackerView, ctx: PanelContext): (HTMLElement | HTMLElement[] | null)[] {
  return [
    h('h3', {}, 'Keys you hold'),
    Object.keys(v.keys).length
      ? h('dl', {}, Object.entries(v.keys).flatMap(([name, hex]) => [h('dt', {}, name), h('dd', {}, hexPreview(hex, name))]))
      : h('p', { class: 'muted' }, 'None yet.'),
    v.certificates.length
      ? [
          h('h3', {}, 'Certificates you hold'),
          h(
            'ul',
            {},
            v.certificates.map((c, i) =>
              h('li', {}, `${c.subject}, issued by ${c.issuer} `, h('button', { type: 'button', class: 'link', 'data-key': `mycert-${i}`, onclick: () => ctx.inspectFields(`Certificate for ${c.subject}`, c.fields) }, 'Inspect')),
            ),
          ),
        ]
      : null,
    v.findings.length ? [h('h3', {}, 'Findings'), h('div', { role: 'log', 'aria-live': 'polite' }, h('ul', { class: 'findings' }, v.findings.map((f) => h('li', {}, f))))] : null,
    v.certificateRequests ? h('p', {}, mark('info', `Certificate requests sent to the CA: ${v.certificateRequests}, refused: ${v.certificateRefusals}.`)) : null,
    v.submissions.length
      ? h(
          'ul',
          { class: 'submissions', 'aria-label': 'Secrets you submitted' },
          v.submissions.map((s) => h('li', {}, mark(s.correct, s.correct ? `“${s.secret}” is the real secret.` : `“${s.secret}” is not the secret.`))),
        )
      : null,
  ];
}
