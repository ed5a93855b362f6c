/**
 * One client with the class code must not fill a class lobby. It once made 199 students in 41 s
 * and real students found the class locked; the teacher could remove them one at a time only.
 * Now: at most 40 new students from one address (a school's NAT fits a class), a class size the
 * teacher sets, and one click removes everyone who joined in the last few minutes. Real
 * websockets; the lobby's clock is driven, so "ten minutes later" takes no time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualScheduler } from '../../server/src/time/manualScheduler.ts';
import { bootServer, createClass, Lobbyist, until, type TestServer } from './helpers.ts';

const clock = new ManualScheduler();
let t: TestServer;
beforeAll(async () => {
  t = await bootServer({ scheduler: clock });
});
afterAll(async () => {
  await t.close();
});

const tryJoin = (code: string, nickname: string) => Lobbyist.join(t.url, code, { nickname }).then(() => 'joined', (e: Error) => e.message);

describe('a flood of made-up students', () => {
  it('stops at 40 from one address, then at the class size the teacher sets; one click removes the flood', async () => {
    const { code, teacherSecret } = await createClass(t.http);
    const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
    for (const nickname of ['Ada', 'Alan']) expect(await tryJoin(code, nickname)).toBe('joined');
    clock.advance(10 * 60_000);

    const flood: string[] = [];
    for (let i = 0; i < 45; i++) flood.push(await tryJoin(code, `Bot${i}`));
    expect(flood.filter((r) => r === 'joined')).toHaveLength(38);
    expect(flood.slice(38)).toEqual(Array(7).fill('Too many students have joined this class from your network: ask your teacher.'));

    // The teacher's class size: it counts everyone, and is shown on the dashboard.
    teacher.send('setClassSize', { maxStudents: 41 });
    await until('the class size', () => teacher.state.maxStudents === 41);
    expect(await tryJoin(code, 'Grace')).toBe('joined');
    expect(await tryJoin(code, 'Edsger')).toBe('This class is full (41 students): ask your teacher.');

    // One click: everyone who joined in the last 5 minutes goes; Ada and Alan, there for 10, stay.
    teacher.send('removeRecent', { minutes: 5 });
    await until('the flood removed', () => teacher.state.students.size === 2);
    expect([...teacher.state.students.values()].map((s: { nickname: string }) => s.nickname).sort()).toEqual(['Ada', 'Alan']);
    expect(await tryJoin(code, 'Edsger')).toBe('joined');
    expect(teacher.errors).toEqual([]);
  });

  it('lets only the teacher set the class size or remove students in bulk', async () => {
    const { code } = await createClass(t.http);
    const student = await Lobbyist.join(t.url, code, { nickname: 'Mallory' });
    student.send('removeRecent', { minutes: 60 });
    expect((await student.nextError()).code).toBe('notAllowed');
    student.send('setClassSize', { maxStudents: 1 });
    expect((await student.nextError()).code).toBe('notAllowed');
  });
});
