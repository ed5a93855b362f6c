/** Class play between rounds: when the next round starts, at which level, and this student's seat in it. */
import type { ClassInfo } from '../../bus.ts';
import { EVENT_TEXTS, levelLabel, type Level } from '../../shared.ts';
import { h } from '../dom.ts';

/** Between two rounds: every room has its result and the next round is known. */
export function betweenRounds(info: ClassInfo): info is ClassInfo & { nextLevel: Level } {
  return info.nextLevel !== undefined;
}

const ROLE_WORDS: Record<string, string> = { client: 'the Client (Alice’s browser)', server: 'the Server (bank.example)', ca: 'the Certificate authority', attacker: 'the Attacker (Mallory)' };

/**
 * The seconds before the next round, in a span the app updates in place (App.ts): the class
 * screens are not rebuilt every second, so a button is never replaced under a click.
 */
export function countdown(seconds: number): HTMLElement {
  return h('span', { 'data-countdown': '' }, String(seconds));
}

/** A student's line about the next round: when, which level, which seat (the teacher's: when, which level). */
export function upNext(info: ClassInfo): HTMLElement | null {
  if (!betweenRounds(info)) return null;
  const counting = info.nextRoundIn >= 0 && !info.holding && info.status === 'playing';
  const when = counting ? ['in ', countdown(info.nextRoundIn), ' s'] : ['when the teacher says so'];
  const level = `level ${levelLabel(info.nextLevel)}${info.nextEvent ? ` + ${EVENT_TEXTS[info.nextEvent].title}` : ''}`;
  if (info.isTeacher) return h('p', { class: 'up-next', id: 'up-next', role: 'status' }, h('strong', {}, `Next: round ${info.round + 2}, ${level}, `, ...when, '. '), 'Sides swap.');
  const me = info.students.find((s) => s.id === info.me);
  if (!me) return null;
  return h(
    'p',
    { class: 'up-next', id: 'up-next', role: 'status' },
    h('strong', {}, `Next: round ${info.round + 2}, ${level}, `, ...when, '. '),
    me.nextRole ? `You will be ${ROLE_WORDS[me.nextRole] ?? me.nextRole}${info.hiddenAttacker && me.nextRole === 'attacker' ? ' — if the coin gives your room an attacker; if not, you are off the Wi-Fi and call what the defenders will do' : ''}.` : 'You sit this one out (no team yet): ask your teacher.',
  );
}


/**
 * A student's words after her room's result while other rooms still play (the next round is
 * dealt once every room has one): the match ends, or the next round starts by itself after the
 * break — unless the teacher holds it (a pause only stops the clock until she resumes).
 */
export function whileOthersPlay(info: Pick<ClassInfo, 'round' | 'totalRounds' | 'holding'>): string {
  if (info.round + 1 >= info.totalRounds) return 'That was the last round: the match ends once every room has finished.';
  if (info.holding) return 'Once every room has finished, the teacher starts the next round; roles swap.';
  return 'Once every room has finished, the next round starts by itself after a short break; roles swap.';
}
