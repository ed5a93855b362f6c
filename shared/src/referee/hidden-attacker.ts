/**
 * The hidden-attacker mode's scoring and reveal (docs/rules.md, "A hidden attacker"). The
 * defenders score by OUTCOME_POINTS, as in every round: an honest session completed scores, an
 * attack stopped scores more, a clean session aborted costs them (a false alarm). The attacker
 * wins only by staying unnoticed: an attack the defenders detect scores her nothing. A room
 * without an attacker has none to score: its attacking team scores its call. The debrief says
 * which it was, in words every seat reads.
 */
import { HIDDEN_ATTACKER_REVEAL } from '../levels/texts/hidden-attacker.ts';
import type { Round } from '../round/state.ts';
import type { Call } from '../round/types.ts';
import type { HiddenAttackerReveal, Outcome } from '../round/result.ts';
import { HIDDEN_ATTACKER_POINTS, OUTCOME_POINTS } from './points.ts';

/** What each call foresaw: the session completed (every check passed, or a level that protects nothing), or a party aborted it. */
export const CALL_OUTCOMES: Readonly<Record<Call, readonly Outcome[]>> = {
  complete: ['secure', 'unprotected'],
  abort: ['falseAlarm', 'misconfigured', 'keyRefused'],
};

/** The attacker seat's points in a hidden-attacker round, and the truth the debrief reveals; undefined outside that mode. */
export function hiddenAttackerResult(round: Round, outcome: Outcome): { attackerPoints: number; reveal: HiddenAttackerReveal } | undefined {
  const hidden = round.config.hiddenAttacker;
  if (!hidden) return undefined;
  const words = HIDDEN_ATTACKER_REVEAL;
  if (hidden.present) {
    const tail = outcome === 'attackDetected' ? words.presentCaught : outcome === 'falseAlarm' ? words.presentUnseen : outcome === 'secure' ? words.presentFoiled : words.presentWon;
    return {
      attackerPoints: outcome === 'attackDetected' ? HIDDEN_ATTACKER_POINTS.attackDetected : OUTCOME_POINTS[outcome].attacker,
      reveal: { present: true, headline: `${words.present(round.attacker.interfered.length > 0)} ${tail}` },
    };
  }
  const tail = outcome === 'falseAlarm' ? words.absentFalseAlarm : CALL_OUTCOMES.complete.includes(outcome) ? words.absentCompleted : words.absentOther;
  const verdict = round.attacker.call;
  const right = verdict !== undefined && CALL_OUTCOMES[verdict].includes(outcome);
  const attackerPoints = verdict === undefined ? 0 : right ? HIDDEN_ATTACKER_POINTS.rightCall : HIDDEN_ATTACKER_POINTS.wrongCall;
  const called = verdict === undefined ? words.noCall : words.call(verdict, right, attackerPoints);
  return {
    attackerPoints,
    reveal: { present: false, headline: `${words.absent} ${tail} ${called}`, ...(verdict !== undefined ? { call: { verdict, right } } : {}) },
  };
}
