/**
 * Flipping bits of a record she cannot read, laid out byte by byte as she types: her guess of
 * how the record ends, what she wants it to say, the XOR mask, and the end of the ciphertext
 * before and after; then whether a tag will give the change away.
 */
import { planFlip, type PacketDetail } from '../../../shared.ts';
import { h, mark } from '../../dom.ts';
import { flatten } from '../PacketInspector.ts';

/** What the preview box holds for packet `p` (nothing where it has no ciphertext). */
export function flipPreview(p: PacketDetail | undefined, known: string, wanted: string): HTMLElement[] {
  const span = p && flatten(p.fields).find((f) => f.path === 'fragment.ciphertext');
  if (!p || !span) return [];
  const ciphertext = Uint8Array.from(p.hex.slice(span.offset * 2, (span.offset + span.length) * 2).match(/../g) ?? [], (b) => parseInt(b, 16));
  const plan = planFlip(ciphertext, known, wanted);
  if ('problem' in plan) return [h('p', { class: 'tool-note' }, mark('info', `${plan.problem[0]!.toUpperCase()}${plan.problem.slice(1)}.`))];
  const hex = (b: number) => b.toString(16).padStart(2, '0');
  const flipped = (i: number) => (plan.mask[i] ? 'flipped' : '');
  const chars = (bytes: Uint8Array, i: number) => String.fromCharCode(bytes[i]!);
  const row = (title: string, bytes: Uint8Array, text?: Uint8Array) =>
    h('tr', {}, h('th', { scope: 'row' }, title), [...bytes].map((b, i) => h('td', { class: flipped(i) }, text ? [h('span', { class: 'flip-char' }, chars(text, i)), h('br'), hex(b)] : hex(b))));
  const changed = plan.mask.filter((b) => b !== 0).length;
  const tagged = flatten(p.fields).some((f) => f.path === 'fragment.tag');
  return [
    h(
      'table',
      { class: 'flip-table' },
      h('caption', {}, `The last ${plan.guess.length} bytes of the record`),
      h(
        'tbody',
        {},
        row('Your guess', plan.guess, plan.guess),
        row('Make it say', plan.wanted, plan.wanted),
        row('Mask = guess XOR wanted', plan.mask),
        row('Ciphertext now', plan.before),
        row('Ciphertext XOR mask', plan.after),
      ),
    ),
    h('p', { class: 'flip-note' }, `${changed === 1 ? '1 byte changes' : `${changed} bytes change`}, and you need no key. `, tagged
      ? mark('warn', 'But this record ends with a 16-byte AES-GCM tag computed over the ciphertext: the bank will see the change and refuse the record.')
      : mark('info', 'This record carries no tag: nothing can tell the bank that the bytes changed.')),
  ];
}
