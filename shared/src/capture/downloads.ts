/**
 * Who may download which of a round's files, and the files themselves. The key log opens
 * every session of the round, so it goes to the teacher only, and only once the round is over
 * (the debrief); the attacker gets what she really has — her own recording, and after the
 * "server key leaked" event the bank's key. No other seat gets a file: the views say what
 * each seat is offered, the room hands out only what `download` allows.
 */
import { utf8 } from '../codec/bytes.ts';
import { levelLabel } from '../levels/texts/index.ts';
import type { Round } from '../round/state.ts';
import type { ActionError, DownloadFile, DownloadOffer, Role } from '../round/types.ts';
import { leakedKey } from './key-files.ts';
import { attackerCapture, keyLogFile, teacherCapture } from './round-capture.ts';

/** A seat, or the teacher of the class the room belongs to (the server checks the teacher secret). */
export type Downloader = Role | 'teacher';

export interface DownloadedFile {
  file: DownloadFile;
  filename: string;
  mediaType: string;
  bytes: Uint8Array;
}

const PCAPNG = 'application/x-pcapng';

function filename(round: Round, file: DownloadFile): string {
  // The level as players see it (4e, not its id 6).
  const level = `level${levelLabel(round.config.level)}`;
  switch (file) {
    case 'capture':
      return `heist-${level}-capture.pcapng`;
    case 'keyLog':
      return `heist-${level}-keylog.txt`;
    case 'recording':
      return `heist-${level}-attacker-recording.pcapng`;
    case 'leakedKey':
      return `heist-${level}-${leakedKey(round)?.filename ?? 'key.pem'}`;
  }
}

const LABELS: Record<DownloadFile, string> = {
  capture: 'The capture, with its key log (opens decrypted)',
  keyLog: 'The TLS key log on its own',
  recording: 'The attacker’s recording (no keys)',
  leakedKey: 'The bank’s leaked private key',
};

/** Why `who` may not have `file` now, or null when it may. */
function refusal(round: Round, who: Downloader, file: DownloadFile): string | null {
  const over = round.phase === 'over';
  switch (file) {
    case 'capture':
    case 'keyLog':
      if (who !== 'teacher') return 'The key log opens every session of the round: only the teacher gets it, in the debrief.';
      if (!over) return 'The capture with its key log comes with the debrief, once the round is over.';
      if (file === 'keyLog' && round.keyLog.length === 0) return 'No TLS session this round, so there is no key log.';
      return null;
    case 'recording':
      if (who === 'attacker') return null;
      if (who !== 'teacher') return 'Only the attacker records the café Wi-Fi.';
      return over ? null : 'The teacher gets the recording with the debrief, once the round is over.';
    case 'leakedKey':
      if (who !== 'attacker' && who !== 'teacher') return 'Only the attacker gets the leaked key.';
      if (!leakedKey(round)) return 'No key leaks at this level.';
      return over ? null : 'The bank’s key leaks after the round, in the debrief.';
  }
}

const FILES_FOR: Record<Downloader, readonly DownloadFile[]> = {
  teacher: ['capture', 'keyLog', 'recording', 'leakedKey'],
  attacker: ['recording', 'leakedKey'],
  client: [],
  server: [],
  ca: [],
};

/** The files `who` may download now, in the order a debrief lists them. */
export function downloadOffers(round: Round, who: Downloader): DownloadOffer[] {
  return FILES_FOR[who].filter((file) => refusal(round, who, file) === null).map((file) => ({ file, filename: filename(round, file), label: LABELS[file] }));
}

/** The file, or a typed refusal (the room passes it on as an error). */
export function download(round: Round, who: Downloader, file: DownloadFile): DownloadedFile | ActionError {
  const refused = refusal(round, who, file);
  if (refused) return { code: 'notAllowed', message: refused };
  const named = { file, filename: filename(round, file) };
  switch (file) {
    case 'capture':
      return { ...named, mediaType: PCAPNG, bytes: teacherCapture(round) };
    case 'keyLog':
      return { ...named, mediaType: 'text/plain; charset=utf-8', bytes: utf8(keyLogFile(round)) };
    case 'recording':
      return { ...named, mediaType: PCAPNG, bytes: attackerCapture(round) };
    case 'leakedKey':
      return { ...named, mediaType: 'application/x-pem-file', bytes: utf8(leakedKey(round)!.pem) };
  }
}
