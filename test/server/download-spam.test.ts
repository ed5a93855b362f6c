/**
 * One student spamming "download recording" and `resync` from their own casual room must not
 * flood the server's uplink (it once sent 298 MB in 20 s and stalled every other class). Played
 * as that student plays it: many connections take the attacker's seat of a room whose level-4
 * round is over, and each asks 19 times a second (under the 20 messages/s limit) for 20 s.
 * GameSession on a drivable clock, no sockets: what counts is what the room hands out.
 */
import { describe, expect, it } from 'vitest';
import { seededRng, type GameServerMessages, type ProtocolError, type RoundFile } from '@heist/shared';
import { GameSession } from '../../server/src/game/session.ts';
import { GameState } from '../../server/src/schema/GameState.ts';
import { ManualScheduler } from '../../server/src/time/manualScheduler.ts';
import { FAST_TIMING } from './helpers.ts';

function finishedLevel4Room() {
  const scheduler = new ManualScheduler();
  const sent: { to: string; type: keyof GameServerMessages; payload: unknown }[] = [];
  const state = new GameState().assign({ code: 'SPAM1' });
  const session = new GameSession(state, seededRng('spam'), FAST_TIMING, scheduler, {
    send: (to, type, payload) => sent.push({ to, type, payload }),
    disconnect: () => undefined,
    roundOver: () => undefined,
    log: () => undefined,
  });
  session.addMember('host', { nickname: 'Host', host: true, key: 'host-device-key-00' });
  expect(session.configure('host', 4, { attacker: 'passive' })).toBeNull();
  expect(session.start('host')).toBeNull();
  scheduler.advanceUntil(() => state.phase === 'over' && state.lastOutcome !== '');
  return { scheduler, session, state, sent };
}

/** Every connection asks `perSecond` times a second for `seconds`; returns the errors they got back. */
function spam(scheduler: ManualScheduler, ids: readonly string[], perSecond: number, seconds: number, ask: (id: string) => ProtocolError | null): ProtocolError[] {
  const errors: ProtocolError[] = [];
  for (let tick = 0; tick < perSecond * seconds; tick++) {
    for (const id of ids) {
      const e = ask(id);
      if (e) errors.push(e);
    }
    scheduler.advance(1000 / perSecond);
  }
  return errors;
}

const bytesOf = (sent: { type: string; payload: unknown }[]) => sent.filter((m) => m.type === 'download').reduce((n, m) => n + (m.payload as RoundFile).bytes.byteLength, 0);

describe('download and resync spam from one casual room', () => {
  it('seats at most six people in the attacker’s seat, and tells the seventh why', () => {
    const { session, state } = finishedLevel4Room();
    const refusals: (ProtocolError | null)[] = [];
    for (let i = 0; i < 20; i++) {
      session.addMember(`s${i}`, { nickname: `Spam${i}`, key: `spam-device-key-${String(i).padStart(3, '0')}` });
      refusals.push(session.chooseSeat(`s${i}`, 'attacker'));
    }
    expect([...state.members.values()].filter((m) => m.role === 'attacker')).toHaveLength(6);
    expect(refusals.slice(0, 6)).toEqual(Array(6).fill(null));
    expect(refusals[6]).toEqual({ code: 'notAllowed', type: 'chooseSeat', message: 'The attacker seat already has 6 players: pick another seat, or watch.' });
    // Another seat is still free to take.
    expect(session.chooseSeat('s19', 'client')).toBeNull();
  });

  it('hands a seat at most its share of files (1 MiB a minute), says when to come back, and keeps the teacher’s share', () => {
    const { session, scheduler, sent } = finishedLevel4Room();
    const seated: string[] = [];
    for (let i = 0; i < 6; i++) {
      session.addMember(`s${i}`, { nickname: `Spam${i}`, key: `spam-device-key-${String(i).padStart(3, '0')}` });
      expect(session.chooseSeat(`s${i}`, 'attacker')).toBeNull();
      seated.push(`s${i}`);
    }
    // One download, as a student in the debrief makes it.
    expect(session.download('s0', 'recording')).toBeNull();
    const file = sent.filter((m) => m.type === 'download').at(-1)!.payload as RoundFile;
    expect(file.filename).toBe('heist-level4-attacker-recording.pcapng');
    const size = file.bytes.byteLength;

    const errors = spam(scheduler, seated, 19, 20, (id) => session.download(id, 'recording'));
    const total = bytesOf(sent);
    // 6 × 19 × 20 = 2,280 asks; unrationed that is 2,281 files. A seat's share: 1 MiB at once, then 1 MiB a minute.
    expect(total).toBeLessThanOrEqual(1024 * 1024 + (20 / 60) * 1024 * 1024 + size);
    expect(total, "unrationed, it would be 2,281 files").toBeLessThan((2281 * size) / 3);
    // Every ask not answered with the file was answered with a refusal.
    expect(errors.length).toBe(2280 - (sent.filter((m) => m.type === 'download').length - 1));
    expect(errors[0]).toMatchObject({ code: 'rateLimited', type: 'download', message: expect.stringMatching(/^Your seat has downloaded a lot in the last minute: try again in \d+ seconds?\.$/) });

    // The teacher's downloads still go through (the room's share is larger than a seat's).
    const teacher = session.teacherFile('recording');
    expect('bytes' in teacher && teacher.filename).toBe('heist-level4-attacker-recording.pcapng');

    // A minute later the seat may download again.
    scheduler.advance(60_000);
    expect(session.download('s3', 'recording')).toBeNull();
  });

  it('answers resync spam with a few whole views, then one every two seconds; the last ask is answered', () => {
    const { session, scheduler, sent } = finishedLevel4Room();
    session.addMember('s0', { nickname: 'Spam0', key: 'spam-device-key-000' });
    expect(session.chooseSeat('s0', 'attacker')).toBeNull();
    const wholeViews = () => sent.filter((m) => m.to === 's0' && m.type === 'view').length;
    const before = wholeViews();
    // A browser that lost track once gets its view at once.
    expect(session.resync('s0')).toBeNull();
    expect(wholeViews()).toBe(before + 1);

    expect(spam(scheduler, ['s0'], 19, 20, (id) => session.resync(id))).toEqual([]);
    scheduler.advance(2000);
    // 380 asks in 20 s: a few at once, then one per 2 s (unpaced: 380 whole views).
    const answered = wholeViews() - before - 1;
    expect(answered).toBeGreaterThanOrEqual(10);
    expect(answered).toBeLessThanOrEqual(2 + 11);
  });
});
