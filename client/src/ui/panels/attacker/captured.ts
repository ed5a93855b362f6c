/**
 * Everything Mallory's tap has seen on the Wi-Fi, and what she can do with it as it is: replay a
 * packet, replay Alice's whole first flight (the early-data event), or save the recording.
 */
import type { AttackerView } from '../../../shared.ts';
import { h, mark } from '../../dom.ts';
import { endpointName, LOOK_WORDS } from '../../words.ts';
import type { PanelContext } from '../context.ts';
import { budgetLine } from './tools.ts';

/** What the panel's captured box holds. */
export function capturedList(v: AttackerView, canReplay: boolean, ctx: PanelContext): (HTMLElement | null)[] {
  return [
    h('h3', {}, `Everything seen on the Wi-Fi (${v.captured.length})`),
    v.tools.includes('replay') ? h('p', { class: 'budget muted', 'data-budget': 'replays bytes' }, budgetLine(v, ['replays', 'bytes'])) : null,
    firstFlight(v, ctx),
    v.captured.length
      ? h(
          'ul',
          { class: 'captured-list' },
          v.captured.map((p) =>
            h(
              'li',
              {},
              h(
                'span',
                { class: 'captured-what' },
                h('button', { type: 'button', class: 'link', 'data-key': `cap-inspect-${p.id}`, onclick: () => ctx.inspect(p.id) }, `#${p.id} ${p.label}`),
                h('span', {}, ` ${endpointName(p.from)} → ${endpointName(p.to)} · ${LOOK_WORDS[p.look]} · ${p.status}`),
                p.plaintext ? h('span', { class: 'readable' }, ' · ', mark(true, 'you can read it')) : null,
              ),
              h('button', { type: 'button', class: 'small', 'data-key': `replay-${p.id}`, 'aria-label': `Replay packet ${p.id}`, disabled: !canReplay, onclick: () => ctx.act({ type: 'replay', packetId: p.id }) }, 'Replay'),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'Nothing yet.'),
    recordingButton(v, ctx),
  ];
}

/** Her recording so far, for Wireshark: the same packets, without any keys. */
function recordingButton(v: AttackerView, ctx: PanelContext): HTMLElement | null {
  const offer = v.downloads.find((d) => d.file === 'recording');
  if (!offer || v.captured.length === 0) return null;
  return h('p', {}, h('button', { type: 'button', class: 'link', id: 'save-recording', onclick: () => ctx.download(offer) }, '⬇ Save this recording for Wireshark (.pcapng, no keys)'));
}

/**
 * Resumption with 0-RTT (the early-data event): Alice's first flight carries her order as early
 * data. Mallory cannot read it; one click sends a copy of it to the bank, from her own machine.
 */
function firstFlight(v: AttackerView, ctx: PanelContext): HTMLElement | null {
  if (!v.tools.includes('replayFirstFlight')) return null;
  const can = v.allowed.includes('replayFirstFlight');
  const why = !can && v.phase !== 'over' ? v.unavailable.replayFirstFlight : undefined;
  return h(
    'div',
    { class: 'first-flight' },
    h('p', {}, 'Alice came back with a session ticket from yesterday: her first flight — the ClientHello and the 0-RTT early data right behind it — carries her order. You cannot read it, but you can send it to the bank again, byte for byte, once it has passed your tap. (The round is quick: hold it with intercept, forward the flight, then replay.)'),
    h('button', { type: 'button', 'data-key': 'replay-first-flight', disabled: !can, onclick: () => ctx.act({ type: 'replayFirstFlight' }) }, 'Replay Alice’s first flight'),
    why ? h('p', { class: 'muted' }, mark('info', why)) : null,
  );
}
