/**
 * What the browser's and the bank's steps leave behind alike when their machine fails: the line
 * every seat reads, and the alert a failing side sealed as its last record (which its sender can read).
 */
import { alertFor, explainFailure, isDetection } from '../handshake/failures.ts';
import type { Output } from '../handshake/types.ts';
import type { Message, MessageOf } from '../messages/types.ts';
import { EVERYONE, log, type Round } from './state.ts';

export function failureLine(round: Round, who: 'client' | 'server', out: Output): void {
  if (!out.failure) return;
  const name = who === 'client' ? 'The client' : 'The bank';
  const kind = isDetection(out.failure) ? 'failure' : 'warning';
  log(round, who, `${name} closed the connection: ${explainFailure(out.failure)}.`, EVERYONE, kind);
}

/** A failing side's last record is its alert, sealed once it writes under record keys (handshake/machine.ts): its sender knows what it says. */
export function sealedAlert(out: Output, m: Message, i: number): MessageOf<'Alert'> | undefined {
  if (!out.failure || out.failure.reason === 'peerAlert' || m.type !== 'EncryptedRecord' || i !== out.send.length - 1) return undefined;
  return { type: 'Alert', description: alertFor(out.failure) };
}
