/**
 * "Server key leaked", for resumption (RFC 8446 §2.2, §E.5): the bank's ticket key leaks instead
 * of its signing key. It opens every ticket the bank sealed, so each resumed session's PSK. With
 * psk_ke (the ticket alone) that PSK is all the keys come from: the recording opens. With
 * psk_dhe_ke the keys after the handshake also needed a fresh X25519 secret, deleted since:
 * sealed — but 0-RTT early data was sealed under keys from the PSK and the ClientHello alone, and
 * opens. Where the round resumed (the early-data event), that row is computed on Mallory's own
 * recording with the bank's real ticket key.
 */
import { tls13EarlySecrets } from '../crypto/tls13-key-schedule.ts';
import { clientEarlyTrafficSecret, openTicket, pskOffer } from '../handshake/tls13-tickets.ts';
import { openRecord, tls13RecordKeys } from '../handshake/record.ts';
import { parseHttp } from '../messages/http.ts';
import type { MessageOf } from '../messages/types.ts';
import { isRecord } from '../attacker/recording.ts';
import { recordingOf } from '../round/attacker-actions.ts';
import { LEVEL_MODULES } from '../levels/index.ts';
import { LEVELS } from '../basics/levels.ts';
import { TICKET_KEY_WORDS } from '../levels/texts/events.ts';
import type { Round } from '../round/state.ts';
import type { KeyLeak } from '../round/result.ts';

/** With the bank's ticket key, does Mallory's recording of this round open Alice's early data? Undefined where she offered no ticket. */
export function earlyDataOpensWithTicketKey(round: Round): boolean | undefined {
  const key = round.server.config.tickets?.key;
  if (!key) return undefined;
  const recording = recordingOf(round);
  const at = recording.packets.findIndex((p) => p.from === 'client' && p.message.type === 'ClientHello');
  const hello = recording.packets[at]?.message as MessageOf<'ClientHello'> | undefined;
  const offer = hello && pskOffer(hello);
  if (!hello || !offer) return undefined;
  const state = openTicket(key, offer.identities[0]!.identity);
  if (!state) return false;
  const secret = clientEarlyTrafficSecret(tls13EarlySecrets(state.psk).earlySecret, hello);
  const early = recording.packets.slice(at + 1).find((p) => p.from === 'client');
  if (!early || !isRecord(early)) return false;
  const opened = openRecord(tls13RecordKeys(secret), early.message);
  if (!opened.ok) return false;
  try {
    return parseHttp(opened.plaintext).type === 'HttpRequest';
  } catch {
    return false;
  }
}

/** The rows the leak comparison gains at the level that offers resumption with 0-RTT. */
export function ticketKeyRows(round: Round): KeyLeak['compare'] {
  const level = LEVELS.find((l) => LEVEL_MODULES[l].events?.includes('earlyDataReplay'));
  if (level === undefined) return [];
  const computed = round.config.level === level ? earlyDataOpensWithTicketKey(round) : undefined;
  const resumed = computed !== undefined;
  return TICKET_KEY_WORDS.leakRows.map(({ part, ...row }) => ({
    level,
    ...row,
    opens: part === 'earlyData' && resumed ? computed : row.opens,
    thisRound: resumed && part !== 'pskKe',
  }));
}
