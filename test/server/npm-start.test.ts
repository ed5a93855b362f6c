/**
 * `npm start -w server` in a terminal, stopped the way a teacher stops it: Ctrl-C, which the
 * terminal sends as SIGINT to every process of the job (npm, its shell, the server). The server
 * must get it once and do what docs/server.md says: finish the rounds being played, record them,
 * then stop. A supervisor between npm and the server (the `tsx` command line, which relays
 * signals it thinks the server missed and SIGKILLs a server that does not answer within 30 ms)
 * cut rounds off instead, in most tries on a busy machine.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { autoPilot, BOTS, Person, tempDbPath, until } from './helpers.ts';
import { spawnServer, type ServerProcess } from './process.ts';
import { FAST_PROCESS_ENV } from './support/services.ts';

const running: ServerProcess[] = [];
afterAll(async () => {
  for (const s of running) if (s.running()) await s.crash();
});

describe('npm start -w server, stopped with Ctrl-C', () => {
  it('plays the round under way to its result and records it, then stops', async () => {
    const dbPath = tempDbPath();
    const server = await spawnServer({ ...FAST_PROCESS_ENV, BOT_DELAY_MS: '150-300', SHUTDOWN_WAIT_MS: '30000', DB_PATH: dbPath });
    running.push(server);
    const pat = await Person.create(`ws://127.0.0.1:${server.port}`, 'Pat');
    pat.send('chooseSeat', { role: 'client' });
    await until('seated', () => pat.state.seats.get('client')?.bot === false);
    pat.send('configure', { level: 1, bots: BOTS });
    await until('configured', () => pat.state.level === 1);
    const stop = autoPilot(pat, BOTS, 'ctrl-c');
    pat.send('start');
    await until('round under way', () => pat.view?.phase === 'playing');

    server.command.signalGroup('SIGINT');
    const result = await until('the result', () => pat.views.find((v) => v.result)?.result, 30_000);
    stop();
    expect(result.outcome).toBe('eavesdropped');
    await Promise.race([server.command.ended, new Promise((_, reject) => setTimeout(() => reject(new Error(`still running:\n${server.output.join('')}`)), 40_000))]);
    const log = server.output.join('');
    expect(log).toMatch(/SIGINT: finishing the rounds being played, then stopping/);
    expect(log).not.toMatch(/again: stopping now/);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT room_code AS room, outcome FROM rounds').all()).toEqual([{ room: pat.room.roomId, outcome: 'eavesdropped' }]);
    } finally {
      db.close();
    }
  }, 90_000);
});
