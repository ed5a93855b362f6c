/**
 * `npm run capture -- --level L --attack A --seed S --out D`: plays one round with bots in
 * every seat (the engine's own simulation: a seed replays it exactly) and writes what a
 * teacher opens in Wireshark and OpenSSL:
 *   D/round.pcapng     the café Wi-Fi as the tap saw it, with the TLS key log inside (opens decrypted)
 *   D/attacker.pcapng  the same packets without secrets: the attacker's own recording
 *   D/keylog.txt       the key log on its own (SSLKEYLOGFILE format)
 *   D/root.pem, D/bank.pem   the CA's root and the bank's certificate (levels with a CA)
 *   D/intermediate.pem the intermediate CA's certificate, where one signs the bank's (level 6)
 *   D/bank-*-key.pem   the key the "server key leaked" event hands the attacker (levels 4-5)
 * Options: --client careful|careless, --ca strict|sloppy (the game's defaults: careful, strict).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { simulateRound } from '../shared/src/play/simulate.ts';
import { DEFAULT_CONFIG } from '../shared/src/round/state.ts';
import { ATTACKER_BEHAVIOURS, CA_BEHAVIOURS, CLIENT_BEHAVIOURS, LEVELS, type BotBehaviours, type Level } from '../shared/src/round/types.ts';
import { attackerCapture, keyLogFile, teacherCapture } from '../shared/src/capture/round-capture.ts';
import { bankPem, intermediatePem, leakedKey, rootPem } from '../shared/src/capture/key-files.ts';
import { levelByLabel, levelLabel } from '../shared/src/levels/texts/index.ts';

export interface CaptureOptions {
  level: Level;
  bots: BotBehaviours;
  seed: string;
}

export class UsageError extends Error {}

/** Levels as players name them: 1, 2, 3, 4, 4e, 5. */
const LEVEL_LABELS = LEVELS.map(levelLabel);
const USAGE = `usage: npm run capture -- --level ${LEVEL_LABELS.join('|')} --attack ${ATTACKER_BEHAVIOURS.join('|')} --seed S --out DIR [--client ${CLIENT_BEHAVIOURS.join('|')}] [--ca ${CA_BEHAVIOURS.join('|')}]`;

function oneOf<T extends string | number>(name: string, value: string | undefined, allowed: readonly T[], fallback?: T): T {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`--${name} is required\n${USAGE}`);
  }
  const found = allowed.find((a) => String(a) === value);
  if (found === undefined) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")\n${USAGE}`);
  return found;
}

export function parseOptions(argv: string[]): CaptureOptions & { out: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { level: { type: 'string' }, attack: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, client: { type: 'string' }, ca: { type: 'string' } },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (!values.seed) throw new UsageError(`--seed is required\n${USAGE}`);
  if (!values.out) throw new UsageError(`--out is required\n${USAGE}`);
  return {
    level: levelByLabel(oneOf('level', values.level, LEVEL_LABELS))!,
    bots: {
      client: oneOf('client', values.client, CLIENT_BEHAVIOURS, 'careful'),
      server: 'standard',
      ca: oneOf('ca', values.ca, CA_BEHAVIOURS, 'strict'),
      attacker: oneOf('attack', values.attack, ATTACKER_BEHAVIOURS),
    },
    seed: values.seed,
    out: values.out,
  };
}

/** The files of one round, by name; and what happened, in one line. */
export function captureFiles(options: CaptureOptions): { files: Map<string, Uint8Array | string>; summary: string } {
  const { round, refused } = simulateRound(options.level, options.bots, options.seed);
  if (refused.length) throw new Error(`a bot's move was refused: ${refused.map((r) => `${r.role}: ${r.error.message}`).join('; ')}`);
  const files = new Map<string, Uint8Array | string>();
  files.set('round.pcapng', teacherCapture(round));
  files.set('attacker.pcapng', attackerCapture(round));
  files.set('keylog.txt', keyLogFile(round));
  if (round.module.caPlays) {
    files.set('root.pem', rootPem(round));
    const bank = bankPem(round);
    if (bank) files.set('bank.pem', bank);
    const intermediate = intermediatePem(round);
    if (intermediate) files.set('intermediate.pem', intermediate);
  }
  const leaked = leakedKey(round);
  if (leaked) files.set(leaked.filename, leaked.pem);
  const summary = `Level ${levelLabel(options.level)}, attacker ${options.bots.attacker}, seed "${options.seed}": ${round.result?.summary ?? 'no result'} ${round.packets.filter((p) => p.path === 'wifi').length} packets on the Wi-Fi, ${round.keyLog.length} key log line(s).`;
  return { files, summary };
}

function main(argv: string[]): number {
  let options;
  try {
    options = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  const { files, summary } = captureFiles(options);
  mkdirSync(options.out, { recursive: true });
  for (const [name, content] of files) writeFileSync(path.join(options.out, name), content);
  process.stdout.write(`${summary}\nWrote ${[...files.keys()].map((n) => path.join(options.out, n)).join(', ')}\n`);
  process.stdout.write('Open round.pcapng in Wireshark: it carries its key log, so the TLS records show decrypted (filter: http).\n');
  process.stdout.write('attacker.pcapng has no secrets: give Wireshark the leaked key under Preferences → RSA Keys and only the level-4 session opens.\n');
  // The certificates are dated in game time (round.config.gameClock), not today's.
  const untrusted = files.has('intermediate.pem') ? ' -untrusted intermediate.pem' : '';
  if (files.has('bank.pem')) process.stdout.write(`Check the certificate at game time: openssl verify -attime ${DEFAULT_CONFIG.gameClock} -CAfile root.pem${untrusted} bank.pem\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
