/**
 * One failing teacher command must not take down the process, and with it every room: the
 * database throwing during a command gives the teacher a typed error, other rooms play on,
 * and the same command works once the database does. (Its own file: Colyseus allows one
 * server per process.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoPilot, bootServer, BOTS, createClass, Lobbyist, Person, until, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer();
});
afterAll(async () => {
  await t.close();
});

describe('a teacher command when the database fails', () => {
  it('is answered with serverError; a round elsewhere still reaches its outcome; the retry works', async () => {
    const { code, teacherSecret } = await createClass(t.http);
    const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
    await until('teacher present', () => teacher.state.teacherPresent === true);

    // Elsewhere, someone practises: a round at level 1 with bots.
    const pat = await Person.create(t.url, 'Pat');
    pat.send('chooseSeat', { role: 'client' });
    await until('seated', () => pat.state.seats.get('client')?.bot === false);
    pat.send('configure', { level: 1, bots: BOTS });
    await until('configured', () => pat.state.level === 1);
    const stop = autoPilot(pat, BOTS, 'command-failure');
    pat.send('start');
    await until('round open', () => pat.view?.phase === 'playing');

    const store = t.server.ctx.store;
    const setLevels = store.setLevels;
    store.setLevels = async () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    teacher.send('setLevels', { levels: [4, 5] });
    const error = await teacher.nextError();
    expect(error).toMatchObject({ code: 'serverError', type: 'setLevels' });
    expect(t.logs.some((l) => /setLevels failed: Error: SQLITE_FULL/.test(l))).toBe(true);

    // The practice round plays to its end, and the class lobby still answers.
    const result = await until('result', () => pat.views.find((v) => v.result)?.result, 30_000);
    stop();
    expect(result.outcome).toBe('eavesdropped');
    teacher.send('pause', {});
    expect((await teacher.nextError()).code).toBe('wrongPhase');

    // Once the database works again, so does the command.
    store.setLevels = setLevels;
    teacher.send('setLevels', { levels: [4, 5] });
    await until('levels saved', () => [...teacher.state.levels].join() === '4,5');
    expect((await store.getClass(code))?.levels).toEqual([4, 5]);
    await Promise.all([pat.leave(), teacher.room.leave()]);
  });
});
