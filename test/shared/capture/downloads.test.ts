/**
 * Who may download which file of a round, at every level and in every phase: the teacher the
 * keyed capture and key log once the round is over; the attacker her recording at any time
 * and the leaked key after the round; nobody else anything. What a view offers is exactly what
 * `download` hands out, and no view carries a key log line.
 */
import { describe, expect, it } from 'vitest';
import { download, downloadOffers, type Downloader } from '../../../shared/src/capture/downloads.ts';
import { readPcapng, keyLogLines } from '../../../shared/src/capture/pcapng.ts';
import { attackerCapture } from '../../../shared/src/capture/round-capture.ts';
import { createRound, DEFAULT_CONFIG } from '../../../shared/src/play/round.ts';
import { playBots, simulateRound } from '../../../shared/src/play/simulate.ts';
import { isOver, nextEventAt, tick } from '../../../shared/src/play/round.ts';
import { seededRng } from '../../../shared/src/crypto/rng.ts';
import { spectatorView, viewFor } from '../../../shared/src/play/views.ts';
import { DOWNLOAD_FILES, LEVELS, ROLES, type Level } from '../../../shared/src/round/types.ts';
import type { Round } from '../../../shared/src/round/state.ts';
import { levelModule } from '../../../shared/src/levels/index.ts';

const BOTS = { client: 'careless', server: 'standard', ca: 'strict', attacker: 'passive' } as const;
const WHO: Downloader[] = [...ROLES, 'teacher'];

function expected(level: Level, who: Downloader, over: boolean): string[] {
  const leaks = levelModule(level).longTermKey?.leakEvent === true;
  const tls = levelModule(level).protection === 'tls';
  if (who === 'teacher') return over ? ['capture', ...(tls ? ['keyLog'] : []), 'recording', ...(leaks ? ['leakedKey'] : [])] : [];
  if (who === 'attacker') return ['recording', ...(over && leaks ? ['leakedKey'] : [])];
  return [];
}

function checkRound(round: Round, level: Level): void {
  const over = round.phase === 'over';
  for (const who of WHO) {
    const offered = downloadOffers(round, who).map((o) => o.file);
    expect(offered, `${who} at level ${level}, ${round.phase}`).toEqual(expected(level, who, over));
    for (const file of DOWNLOAD_FILES) {
      const got = download(round, who, file);
      if (offered.includes(file)) expect('bytes' in got && got.bytes.length > 0, `${who} gets ${file}`).toBe(true);
      else expect(got, `${who} refused ${file}`).toMatchObject({ code: 'notAllowed', message: expect.any(String) });
    }
  }
  // The views say the same; the CA's and the (passive) attacker's carry none of the key log's secrets.
  for (const role of ROLES) {
    const view = viewFor(round, role);
    expect(view.downloads).toEqual(downloadOffers(round, role));
    if (role !== 'ca' && role !== 'attacker') continue;
    const text = JSON.stringify(view).toLowerCase();
    for (const line of round.keyLog) expect(text).not.toContain(line.split(' ')[2]!);
  }
  expect(spectatorView(round, 'public').teacherDownloads).toEqual(downloadOffers(round, 'teacher'));
}

describe('round files: who gets what', () => {
  for (const level of LEVELS) {
    it(`level ${level}: before, during and after the round`, () => {
      const preparing = createRound({ ...DEFAULT_CONFIG, level, bots: BOTS }, seededRng(`files-${level}`), 0);
      checkRound(preparing, level);
      const { round } = simulateRound(level, BOTS, `files-${level}`);
      expect(round.phase).toBe('over');
      checkRound(round, level);
    });
  }

  it('the teacher’s capture carries the key log, the attacker’s recording none', () => {
    const { round } = simulateRound(5, BOTS, 'files-5');
    const capture = download(round, 'teacher', 'capture');
    const recording = download(round, 'attacker', 'recording');
    if (!('bytes' in capture) || !('bytes' in recording)) throw new Error('refused');
    expect(keyLogLines(readPcapng(capture.bytes))).toEqual(round.keyLog);
    expect(round.keyLog).toHaveLength(5);
    expect(readPcapng(recording.bytes).secrets).toEqual([]);
    const leaked = download(round, 'attacker', 'leakedKey');
    expect('bytes' in leaked && leaked.filename).toBe('heist-level5-bank-signing-key.pem');
  });

  it('builds a file once per state of the round: asked again, the same bytes; after a new packet, the new recording', () => {
    const round = createRound({ ...DEFAULT_CONFIG, latencyMs: 100, graceMs: 0, level: 4, bots: BOTS }, seededRng('files-cache'), 0);
    const recording = () => {
      const got = download(round, 'attacker', 'recording');
      if (!('bytes' in got)) throw new Error(got.message);
      return got.bytes;
    };
    const sizes: number[] = [];
    for (let step = 0; step < 1_000 && !isOver(round); step++) {
      const before = recording();
      // Asked for again and again, unchanged: not built again (the same bytes, not a copy).
      expect(recording()).toBe(before);
      const captured = round.attacker.captured.length;
      playBots(round, BOTS);
      const at = nextEventAt(round);
      if (at !== null && !isOver(round)) tick(round, at);
      const after = recording();
      if (round.attacker.captured.length > captured) {
        expect(after).not.toBe(before);
        expect(readPcapng(after).frames.length).toBeGreaterThan(readPcapng(before).frames.length);
        sizes.push(after.length);
      }
    }
    expect(sizes.length, 'packets went by').toBeGreaterThan(3);
    // And the kept file is byte for byte the one built afresh from the round as it is now.
    expect(recording()).toEqual(attackerCapture(round));
  });
});
