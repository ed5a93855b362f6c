/** Mallory's tool forms: how each is laid out, and which of the round's budgets it spends. */
import { BUDGET_WORDS, type AttackerAction, type AttackerView, type Budget } from '../../../shared.ts';
import { h } from '../../dom.ts';

/** Which of the round's budgets each tool spends. */
export const TOOL_BUDGETS: Partial<Record<AttackerAction['type'], Budget[]>> = {
  inject: ['injections', 'bytes'],
  requestCertificate: ['certificateRequests'],
  tryKey: ['keyTrials'],
  submitSecret: ['guesses'],
};

/** "17 of 20 injections left · 28672 of 32768 bytes left" — the limits come from the view. */
export function budgetLine(v: AttackerView, budgets: Budget[]): string {
  return budgets.map((b) => `${Math.max(0, v.budgets[b].limit - v.budgets[b].used)} of ${v.budgets[b].limit} ${BUDGET_WORDS[b].left} left`).join(' · ') + ' this round.';
}

export function fieldLabel(forId: string, text: string): HTMLElement {
  return h('label', { for: forId }, text);
}

export function toolForm(title: string, submit: () => void, controls: HTMLElement[], button: string, disabled = false): HTMLElement {
  return h(
    'form',
    { class: 'tool', 'aria-label': title, onsubmit: (e: Event) => { e.preventDefault(); submit(); } },
    h('h4', {}, title),
    controls,
    h('button', { type: 'submit', disabled }, button),
  );
}

/** What she typed as hex, with anything but hex digits left out. */
export function hexOnly(hex: string): string {
  return hex.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
}
