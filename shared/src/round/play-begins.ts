/**
 * What the referee says as play begins. Where a CA plays, the bank may still have no
 * certificate then (its student asked late, or never, or the CA has not answered): the line
 * says so to every seat, and tells the bank's own seat what it can still do. A bank without a
 * certificate keeps Alice's ClientHello until it has one (round/bank.ts).
 */
import { left } from './limits.ts';
import { EVERYONE, log, type Round } from './state.ts';

/** Why preparation ended: every seat was ready, the host started play, or the preparation time ran out. */
export type PlayBeginsBecause = 'ready' | 'host' | 'timeUp';

export function announcePlay(round: Round, because: PlayBeginsBecause): void {
  const s = round.server;
  if (!round.module.caPlays) return log(round, 'referee', 'Play begins: Alice may connect now.', EVERYONE);
  if (s.config.certificate) return log(round, 'referee', 'Play begins: the bank has prepared, and Alice may connect now.', EVERYONE);
  const opening = because === 'timeUp' ? 'Play begins: time is up, and the bank has no certificate yet' : 'Play begins, but the bank has no certificate yet';
  const canAsk = left(round, 'server', 'certificateRequests') > 0;
  const state =
    s.csr === 'pending'
      ? 'its request is still with the CA; until the CA signs, the bank cannot answer Alice'
      : canAsk
        ? 'it can still ask the CA; until it has one it cannot answer Alice'
        : 'the CA refused its requests and it has none left, so it cannot answer Alice';
  log(round, 'referee', `${opening} — ${state}. Alice may connect now.`, EVERYONE, 'warning');
  if (s.csr === 'pending') {
    log(round, 'referee', 'Your request is still with the CA. Once it signs, your server answers: Alice’s ClientHello waits at the bank until then.', ['server'], 'warning');
  } else if (canAsk) {
    log(round, 'referee', 'You have no certificate: ask the CA for one now (choose the name and the key under “Certificate”, then send the CSR). Alice’s ClientHello waits at the bank until you have it.', ['server'], 'warning');
  }
}
