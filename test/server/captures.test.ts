/**
 * Downloading a round's files from a real server: the class's teacher gets the capture with
 * its key log over HTTP (the teacher secret in a header, as the CSV export); the attacker's
 * seat gets her own recording and, after the round, the bank's leaked key over its socket;
 * no other seat gets anything, and nobody but the teacher gets the key log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomFilePath, type RoundFile } from '@heist/shared';
import { keyLogLines, readPcapng } from '../../shared/src/capture/pcapng.ts';
import { autoPilot, BOTS, bootServer, createClass, Lobbyist, Person, until, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer();
});
afterAll(async () => {
  await t.close();
});

const downloaded = (p: Person, from: number) => until('a download', () => p.messages.slice(from).find((m) => m.type === 'download')?.payload as RoundFile | undefined);

describe('round files', () => {
  it('a class round at level 4: the teacher’s capture opens with its key log, the attacker has her recording and the leaked key, the others nothing', async () => {
    const { code, teacherSecret } = await createClass(t.http);
    const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
    const students = [await Lobbyist.join(t.url, code, { nickname: 'Ada' }), await Lobbyist.join(t.url, code, { nickname: 'Alan' })];
    await until('two students', () => teacher.state.students.size === 2);
    teacher.send('autoBalance', { teamCount: 2 });
    await until('two teams', () => teacher.state.teams.size === 2);
    teacher.send('setLevels', { levels: [4] });
    await until('levels', () => teacher.state.levels.join() === '4');
    teacher.send('startMatch');
    await until('assignments', () => students.every((s) => s.assignments.length === 1));
    const roomCode = students[0]!.assignments[0]!.roomCode;
    const people = await Promise.all(students.map((s, i) => Person.join(t.url, roomCode, ['Ada', 'Alan'][i]!, { ticket: s.assignments[0]!.ticket })));
    const attacker = people.find((_, i) => students[i]!.assignments[0]!.role === 'attacker')!;
    const defender = people.find((p) => p !== attacker)!;

    const teacherGet = (file: string, secret: string | null = teacherSecret, room = roomCode) => fetch(`${t.http}${roomFilePath(code, room, file as never)}`, secret ? { headers: { 'X-Teacher-Secret': secret } } : {});
    // Before any round has ended there is nothing for the teacher.
    const early = await teacherGet('capture');
    expect(early.status).toBe(409);

    // While the round prepares (nobody is ready yet): her recording is offered, nothing else.
    await until('the attacker’s view', () => attacker.view?.phase === 'preparing' && attacker.view);
    expect(attacker.view!.downloads.map((d) => d.file)).toEqual(['recording']);

    const stops = people.map((p, i) => autoPilot(p, BOTS, `files-${i}`));
    // Her recording so far is hers at any time; the key log is nobody's.
    await until('packets on the Wi-Fi', () => attacker.view?.parcels.some((p) => p.from === 'client'));
    let n = attacker.messages.length;
    attacker.send('download', { file: 'recording' });
    expect(readPcapng((await downloaded(attacker, n)).bytes).frames.length).toBeGreaterThan(0);
    attacker.send('download', { file: 'capture' });
    expect(await attacker.nextError()).toMatchObject({ code: 'notAllowed', type: 'download', message: expect.stringMatching(/only the teacher/) });

    const result = await until('the result', () => attacker.views.find((v) => v.result)?.result, 30_000);
    stops.forEach((s) => s());
    expect(result.debrief.serverKeyLeak?.opened).toBe(true);

    // After the round: the recording and the leaked key, offered and handed over.
    await until('offers after the round', () => attacker.view?.phase === 'over' && attacker.view);
    expect(attacker.view!.downloads.map((d) => [d.file, d.filename])).toEqual([
      ['recording', 'heist-level4-attacker-recording.pcapng'],
      ['leakedKey', 'heist-level4-bank-rsa-key.pem'],
    ]);
    n = attacker.messages.length;
    attacker.send('download', { file: 'recording' });
    const recording = await downloaded(attacker, n);
    expect(recording.mediaType).toBe('application/x-pcapng');
    expect(readPcapng(recording.bytes).secrets).toEqual([]);
    n = attacker.messages.length;
    attacker.send('download', { file: 'leakedKey' });
    expect(new TextDecoder().decode((await downloaded(attacker, n)).bytes)).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    attacker.send('download', { file: 'keyLog' });
    expect((await attacker.nextError()).code).toBe('notAllowed');

    // Every other seat: no offers, and a refusal.
    expect(defender.view!.downloads).toEqual([]);
    for (const file of ['capture', 'keyLog', 'recording', 'leakedKey']) {
      defender.send('download', { file });
      expect((await defender.nextError()).code).toBe('notAllowed');
    }
    defender.send('download', { file: '../etc/passwd' });
    expect((await defender.nextError()).code).toBe('invalid');
    expect(defender.messages.some((m) => m.type === 'download')).toBe(false);

    // The teacher: the secret in a header, for this class's rooms only.
    expect((await teacherGet('capture', null)).status).toBe(403);
    expect((await teacherGet('capture', 'wrong')).status).toBe(403);
    expect((await teacherGet('nonsense')).status).toBe(404);
    expect((await teacherGet('capture', teacherSecret, 'ZZZZZ')).status).toBe(404);
    const other = await createClass(t.http);
    expect((await fetch(`${t.http}${roomFilePath(other.code, roomCode, 'capture')}`, { headers: { 'X-Teacher-Secret': other.teacherSecret } })).status).toBe(404);
    const capture = await teacherGet('capture');
    expect(capture.status).toBe(200);
    expect(capture.headers.get('content-type')).toBe('application/x-pcapng');
    expect(capture.headers.get('content-disposition')).toBe('attachment; filename="heist-level4-capture.pcapng"');
    const lines = keyLogLines(readPcapng(new Uint8Array(await capture.arrayBuffer())));
    expect(lines).toEqual([expect.stringMatching(/^RSA [0-9a-f]{16} [0-9a-f]{96}$/), expect.stringMatching(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/)]);
    const keyLog = await teacherGet('keyLog');
    expect(await keyLog.text()).toBe(lines.map((l) => `${l}\n`).join(''));

    // The session's master secret (Alice's and the bank's to know) never reached the attacker's socket.
    const secretHex = lines[0]!.split(' ')[2]!;
    expect(attacker.frames.length).toBeGreaterThan(10);
    for (const frame of attacker.frames) expect(Buffer.from(frame).toString('latin1')).not.toContain(secretHex);
    for (const p of people) await p.leave();
    for (const l of [teacher, ...students]) await l.room.leave(true);
  });
});
