/**
 * The real server process (server/src/main.ts) survives what once ended it, and with it every
 * room of every class: a socket flood past its file-descriptor limit (it used to die in the
 * STATS_SECONDS timer with "too many open files"), and an error nobody caught; and it still
 * stops on SIGTERM when what read its log has gone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Person, tempDbPath, until } from './helpers.ts';
import { spawnServer, type ServerProcess } from './process.ts';
import { holdSockets, rawRequest } from './raw-http.ts';

const running: ServerProcess[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) if (p.running()) await p.stop();
});

const statsLines = (p: ServerProcess) => p.output.join('').split('\n').filter((l) => l.startsWith('stats ')).length;

describe('the server process', () => {
  it('a socket flood past the descriptor limit crashes nothing: stats keep printing, the room plays on, the server serves after', async () => {
    const server = await spawnServer({ DB_PATH: tempDbPath(), STATS_SECONDS: '1', SOCKETS_PER_ADDRESS: '40', JOINS_PER_MINUTE: '1000' }, [], { fdLimit: 256 });
    running.push(server);
    const player = await Person.create(`ws://127.0.0.1:${server.port}`, 'Steady');

    // Nine addresses, 60 idle sockets each: more than the process has descriptors.
    const flood = [];
    for (let i = 1; i <= 9; i++) flood.push(...(await holdSockets(server.port, 60, `127.0.0.${i}`)));
    const statsDuring = statsLines(server);
    await until('two more stats lines during the flood, or an exit', () => !server.running() || statsLines(server) >= statsDuring + 2, 10_000);
    expect(server.running(), `the server exited:\n${server.output.join('').slice(-1500)}`).toBe(true);
    expect(server.output.join('')).not.toMatch(/EMFILE|too many open files/);
    player.send('setSpeed', { speed: 'x' });
    expect((await player.nextError()).code).toBe('invalid');

    for (const s of flood) s.destroy();
    let after: number | undefined;
    for (const deadline = Date.now() + 10_000; after === undefined && Date.now() < deadline; ) {
      after = await rawRequest(server.port, { method: 'GET', path: '/api/health', from: '127.0.0.20', timeoutMs: 1000 }).then(
        (r) => r.status,
        () => undefined, // the flood's sockets may still be closing
      );
    }
    expect(after).toBe(200);
    expect(server.running()).toBe(true);
    await player.leave();
  });

  it('an uncaught error or rejection is logged, and the server keeps serving', async () => {
    // A preloaded module that misbehaves on demand, as an undiscovered bug would.
    const stray = `process.on('SIGUSR2', () => { Promise.reject(new Error('a stray rejection')); setTimeout(() => { throw new Error('a stray throw'); }, 10); });`;
    const server = await spawnServer({ DB_PATH: tempDbPath() }, ['--import', `data:text/javascript,${encodeURIComponent(stray)}`]);
    running.push(server);
    const player = await Person.create(`ws://127.0.0.1:${server.port}`, 'Steady');
    server.signal('SIGUSR2');
    await until('both logged', () => /unhandled rejection \(kept running\): Error: a stray rejection[\s\S]*uncaughtException \(kept running\): Error: a stray throw/.test(server.output.join('')));
    expect(server.running()).toBe(true);
    expect((await rawRequest(server.port, { method: 'GET', path: '/api/health' })).status).toBe(200);
    player.send('setSpeed', { speed: 'x' });
    expect((await player.nextError()).code).toBe('invalid');
    await player.leave();
  });

  it('stops on SIGTERM even when whatever read its log is gone (a closed stdout and stderr)', async () => {
    const server = await spawnServer({ DB_PATH: tempDbPath(), STATS_SECONDS: '1' });
    running.push(server);
    const player = await Person.create(`ws://127.0.0.1:${server.port}`, 'Steady');
    server.command.proc.stdout!.destroy();
    server.command.proc.stderr!.destroy();
    await new Promise((r) => setTimeout(r, 1500)); // a stats line or two into the closed pipe
    server.signal('SIGTERM');
    const code = await Promise.race([server.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000))]);
    if (code === 'still running') await server.crash();
    expect(code).toBe(0);
    await player.leave();
  }, 30_000);
});
