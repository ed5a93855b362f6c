/**
 * Something to watch or do for a seat that would otherwise wait: the client before play, the
 * CA once it has decided, the bank once it is set up, and the students who share the attacker
 * seat (a job each). Suggestions to tick off, kept in this tab: they change no rule and no points.
 */
import type { LobbyInfo } from '../../bus.ts';
import type { RoleView } from '../../shared.ts';
import { h, Memo, replaceChildren } from '../dom.ts';

/** Jobs for the students sharing the attacker seat, dealt in nickname order. */
const ATTACKER_JOBS = [
  'at the proxy: intercept, forward, drop — you run the tools',
  'on the wire: open each new packet in the inspector and say what is readable',
  'hunting: look for the PIN or a key in what was captured, and submit it',
] as const;

interface Tasks {
  title: string;
  lead?: string;
  items: string[];
}

/** What this seat could look at now, if it is waiting; nothing while it has a move to make. */
export function seatTasks(view: RoleView, lobby: LobbyInfo | undefined): Tasks | null {
  if (view.phase === 'over') return null;
  switch (view.role) {
    case 'client':
      if (view.phase !== 'preparing') return null;
      return {
        title: 'While the others prepare',
        items: [
          'Your PIN and the transfer, above: they are what Mallory is after.',
          view.caPlays ? 'Open “More: how it works” in the briefing: which message will carry the bank’s certificate?' : 'Guess what Mallory, on the café Wi-Fi, will be able to read at this level.',
          ...(view.caPlays ? ['Guess which of your browser’s checks would fail if Mallory showed a certificate she made herself. Connect, then compare.'] : []),
          ...(view.browser && !view.browser.hsts ? ['Your browser has no HSTS for the bank: once you connect, watch whether your first request ever becomes https://.'] : []),
        ],
      };
    case 'ca':
      if (!view.caPlays || view.requests.some((r) => r.decision === 'pending')) return null;
      return view.requests.length === 0
        ? { title: 'While you wait for a request', items: ['When the bank’s request arrives: fetch its challenge (http-01) before you decide.', 'Mallory may ask too, for bank.example: what would tell you it is not the bank?'] }
        : {
            title: 'Your part is done: what to look for now',
            items: [
              'Open a request you decided in the inspector (“Open the request in the inspector”): find the name and the public key you vouched for.',
              'Which of Alice’s checks uses your public key? Guess, then read the debrief’s checks when the round ends.',
              'Watch the timeline: the round’s result says whether your decision held.',
            ],
          };
    case 'server':
      if (view.phase !== 'playing' || view.packets.length > 0) return null;
      return {
        title: 'While Alice connects',
        items: [view.caPlays ? 'When Alice’s first message arrives, open it in the inspector: find her random and the name she asks for.' : 'When Alice’s request arrives, open it in the inspector: could Mallory read it too?'],
      };
    case 'attacker': {
      // Off the Wi-Fi, with no attack in the room this round: something to look for while the others play.
      if (view.sittingOut)
        return {
          title: 'While you watch',
          items: [
            'Before play: agree on your call between you — how sure do the defenders seem?',
            'Watch the parcels between Alice and the bank: which are postcards anyone could read, which locked boxes?',
            'Which of Alice’s checks would you have had to fool to get in at this level? Compare with the debrief.',
          ],
        };
      const mates = lobby ? lobby.members.filter((m) => m.role === 'attacker').map((m) => m.nickname) : [];
      if (mates.length < 2) return null;
      const order = [...mates].sort((a, b) => a.localeCompare(b));
      return {
        title: 'Share the work',
        lead: 'One seat, several of you: a job each (a suggestion — anyone may press any button).',
        items: order.map((name, i) => `${name === lobby?.myNickname ? `${name} (you)` : name}: ${ATTACKER_JOBS[i % ATTACKER_JOBS.length]}.`),
      };
    }
  }
}

export class SeatTasks {
  readonly el = h('section', { class: 'panel seat-tasks', 'aria-labelledby': 'seat-tasks-title', hidden: true });
  private readonly memo = new Memo();
  /** Ticked items, this round. */
  private ticked = new Set<string>();
  private round = -1;

  update(view: RoleView | undefined, lobby: LobbyInfo | undefined, round: number): void {
    const tasks = view ? seatTasks(view, lobby) : null;
    if (round !== this.round) {
      this.round = round;
      this.ticked = new Set();
    }
    if (!this.memo.changed('tasks', [tasks, round])) return;
    this.el.hidden = !tasks;
    if (!tasks) return replaceChildren(this.el);
    const jobs = tasks.lead !== undefined;
    replaceChildren(
      this.el,
      h('h2', { id: 'seat-tasks-title' }, tasks.title),
      tasks.lead ? h('p', { class: 'muted' }, tasks.lead) : null,
      jobs
        ? h('ul', { class: 'seat-jobs' }, tasks.items.map((t) => h('li', {}, t)))
        : h(
            'ul',
            { class: 'seat-todo' },
            tasks.items.map((t, i) =>
              h(
                'li',
                {},
                h('label', { class: 'check' }, h('input', { type: 'checkbox', 'data-key': `task-${i}`, checked: this.ticked.has(t), onchange: (e: Event) => ((e.target as HTMLInputElement).checked ? this.ticked.add(t) : this.ticked.delete(t)) }), ' ', t),
              ),
            ),
          ),
    );
  }
}
