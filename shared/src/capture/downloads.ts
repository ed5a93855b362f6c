/**
 * Who may download which of a round's files, and the files themselves. The key log opens
 * every session of the round, so it goes to the teacher only, and only once the round is over
 * (the debrief); the attacker gets what she really has — her own recording, and after the
 * "server key leaked" event the bank's key. No other seat gets a file: the views say what
 * each seat is offered, the room hands out only what `download` allows.
 *
 * A file is built once per state of what it is made of (the packets the tap saw, the key log)
 * and kept with its round: a seat asking for the same recording again and again gets the same
 * bytes without the whole pcapng being rebuilt each time (the server also rations how much a
 * seat may download: server/src/game/downloads.ts).
 */
import { utf8 } from '../codec/bytes.ts';
import { levelLabel } from '../levels/texts/index.ts';
import type { Round } from '../round/state.ts';
import type { Role } from '../basics/roles.ts';
import type { ActionError, DownloadFile, DownloadOffer } from '../round/types.ts';
import { leakedKey } from './key-files.ts';
import { attackerCapture, keyLogFile, teacherCapture } from './round-capture.ts';
import { sitsOut } from '../round/hidden-attacker.ts';

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
  if (who === 'attacker' && sitsOut(round)) return 'No attack from your room this round: you were off the café Wi-Fi and recorded nothing.';
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
  let files = built.get(round);
  if (!files) built.set(round, (files = new Map()));
  const inputs = inputsOf(round, file);
  const kept = files.get(file);
  if (kept && sameInputs(kept.inputs, inputs)) return kept.file;
  const made = build(round, file);
  files.set(file, { inputs, file: made });
  return made;
}

/** Files already built, per round, with what each was built from. */
const built = new WeakMap<Round, Map<DownloadFile, { inputs: readonly unknown[]; file: DownloadedFile }>>();

/**
 * Everything a file's bytes depend on that can change during a round, compared by identity: a
 * packet the tap saw (its bytes are replaced when the attacker edits it, its status and origin
 * change as it travels), and the key log's length (it only grows).
 */
function inputsOf(round: Round, file: DownloadFile): unknown[] {
  const tap = () => round.attacker.captured.flatMap((id) => {
    const p = round.packets[id - 1];
    return p ? [p, p.bytes, p.status, p.origin, p.path, p.sentAt] : [id];
  });
  switch (file) {
    case 'capture':
      return [round.keyLog.length, ...tap()];
    case 'recording':
      return tap();
    case 'keyLog':
      return [round.keyLog.length];
    case 'leakedKey':
      return []; // the bank's key does not change within a round
  }
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function build(round: Round, file: DownloadFile): DownloadedFile {
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
