/**
 * A teacher's downloads are named by the level as players see it: level 4e's files say
 * "level4e", never its internal id 6 (which the teacher never sees anywhere else).
 */
import { describe, expect, it } from 'vitest';
import { download, downloadOffers } from '../../../shared/src/capture/downloads.ts';
import { simulateRound } from '../../../shared/src/play/simulate.ts';

describe('download file names', () => {
  it('say level4e for level 4e (TLS 1.2 with ECDHE)', () => {
    const { round } = simulateRound(6, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, 'file-names-4e');
    expect(downloadOffers(round, 'teacher').map((o) => o.filename)).toEqual(['heist-level4e-capture.pcapng', 'heist-level4e-keylog.txt', 'heist-level4e-attacker-recording.pcapng', 'heist-level4e-bank-signing-key.pem']);
    const key = download(round, 'attacker', 'leakedKey');
    expect('filename' in key && key.filename).toMatch(/^heist-level4e-/);
  });
});
