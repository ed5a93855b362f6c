/**
 * One game server for the whole browser project, started once before its first file and stopped
 * after its last (Vitest's globalSetup), instead of one per file: the browser files run one after
 * another, and starting `npm start -w server` for each cost seconds of the chain every time
 * (docs/benchmarks.md, "The test suite"). The Chromium is shared too, by the files' worker
 * (support/chromium.ts).
 *
 * A file that needs other timing starts its own server (useServerAndBrowser with settings). The
 * shared server runs with the browser tests' default settings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTestServer } from './server.ts';

/** What the workers are given (Vitest's provide/inject): where the shared server listens, and its output. */
export interface SharedServer {
  url: string;
  port: number;
  logFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedServer: SharedServer;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer();
  // The server's output, for a failing test to print (it lives in this process, not the worker's).
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'heist-shared-server-')), 'output.log');
  fs.writeFileSync(logFile, server.process.output.join(''));
  const append = (chunk: Buffer) => fs.appendFileSync(logFile, chunk);
  server.process.command.proc.stdout!.on('data', append);
  server.process.command.proc.stderr!.on('data', append);
  project.provide('sharedServer', { url: server.url, port: server.process.port, logFile });
  return async () => {
    await server.close();
    fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
  };
}
