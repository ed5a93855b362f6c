/**
 * Nicknames the whole class sees on the projector: a student must not join as a blank name
 * (Hangul fillers look like nothing), as a look-alike of a classmate (Cyrillic "Аda" for "Ada",
 * "Ian" with a lower-case L), or as "Teacher"; a student whose name is written with combining
 * marks (Devanagari's vowel signs) must get in. Over real websockets, into a class lobby.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, createClass, Lobbyist, until, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer();
});
afterAll(async () => {
  await t.close();
});

describe('nicknames in a class', () => {
  it('refuses blank, invisible, look-alike and "Teacher" names with a reason; lets अनिल and Zoë in', async () => {
    const { code, teacherSecret } = await createClass(t.http);
    const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
    await Lobbyist.join(t.url, code, { nickname: 'Ada' });
    await Lobbyist.join(t.url, code, { nickname: 'Ian' });
    const refusal = (nickname: string) => Lobbyist.join(t.url, code, { nickname }).then(() => 'joined', (e: Error) => e.message);

    expect(await refusal('\u3164\u3164\u3164')).toBe('A nickname may not contain invisible characters.');
    expect(await refusal('\u115F\u1160Bob')).toBe('A nickname may not contain invisible characters.');
    expect(await refusal('Bo\u200Bb')).toBe('A nickname may not contain invisible characters.');
    expect(await refusal('\u0410da')).toBe('Someone here already has that nickname.'); // Cyrillic А
    expect(await refusal('ADA')).toBe('Someone here already has that nickname.');
    expect(await refusal('lan')).toBe('Someone here already has that nickname.'); // l for I
    expect(await refusal('Teacher')).toBe('“Teacher” is kept for the teacher: pick another nickname.');
    expect(await refusal('T\u0435acher')).toBe('“T\u0435acher” is kept for the teacher: pick another nickname.'); // Cyrillic е
    expect(await refusal('\u0301\u0301ab')).toBe('A nickname may use letters, digits, spaces, dashes and underscores.');
    expect(await refusal('q\u0308\u0308\u0308\u0308\u0308algo')).toBe('A nickname may use letters, digits, spaces, dashes and underscores.');

    await Lobbyist.join(t.url, code, { nickname: 'अनिल' });
    await Lobbyist.join(t.url, code, { nickname: 'Zoë' });
    await until('four students', () => teacher.state.students.size === 4);
    expect([...teacher.state.students.values()].map((s: { nickname: string }) => s.nickname).sort()).toEqual(['Ada', 'Ian', 'Zoë', 'अनिल'].sort());
  });
});
