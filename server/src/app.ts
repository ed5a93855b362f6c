/**
 * Builds the whole server: HTTP API and the built client on one port, with the Colyseus
 * websocket beside them, over one SQLite file. main.ts runs it; tests start it on a random
 * port with a temporary database.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import { Server, matchMaker } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { ROOM } from '@heist/shared';
import { DEFAULT_LIMITS, DEFAULT_TIMING, type ServerOptions } from './config.ts';
import { CodeBook, rngSource, type ServerContext } from './context.ts';
import { MatchRegistry } from './class/registry.ts';
import { newSecret } from './class/secrets.ts';
import { apiRouter } from './http/api.ts';
import { checkpointInBackground } from './persistence/checkpointer.ts';
import { openDb } from './persistence/db.ts';
import { Store } from './persistence/store.ts';
import { ClassRoom } from './rooms/ClassRoom.ts';
import { GameRoom } from './rooms/GameRoom.ts';
import { JOIN_ERRORS } from './rooms/joinErrors.ts';
import { RateLimiter } from './validation/rateLimit.ts';
import { RealScheduler } from './time/scheduler.ts';

/** Frames above LIMITS.maxMessageBytes get a typed error; above this, ws closes the socket. */
const MAX_FRAME_BYTES = 64 * 1024;
/** Class lobbies older than this are not reopened after a restart (their results stay). */
const CLASS_LIFETIME_MS = 14 * 24 * 3600_000;

export interface HeistServer {
  port: number;
  ctx: ServerContext;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions & { port?: number; host?: string }): Promise<HeistServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const db = openDb(options.dbPath);
  const checkpointer = checkpointInBackground(db, options.dbPath, 2000, log);
  const store = new Store(db);
  const ctx: ServerContext = {
    store,
    timing: { ...DEFAULT_TIMING, ...defined(options.timing) },
    limits: { ...DEFAULT_LIMITS, ...defined(options.limits) },
    matches: new MatchRegistry(),
    codes: new CodeBook((code) => store.classExists(code)),
    scheduler: options.scheduler ?? new RealScheduler(log),
    rng: rngSource(options.seed),
    log,
  };
  const openKey = newSecret(32);

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '8kb' }));
  app.use(apiRouter(ctx, openKey));
  const clientDir = options.clientDir;
  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h' }));
    // Deep links (e.g. /join/ABCDE) load the single-page client.
    app.get(/^\/(?!api\/|matchmake\/).*/, (_req, res) => res.sendFile(path.join(clientDir, 'index.html')));
  }

  const httpServer = http.createServer(app);
  const gameServer = new Server({
    transport: new WebSocketTransport({ server: httpServer, maxPayload: MAX_FRAME_BYTES }),
    greet: false,
    gracefullyShutdown: false,
  });
  limitJoinAttempts(httpServer, new RateLimiter(ctx.limits.joinsPerMinute, ctx.limits.joinsPerMinute / 60));

  gameServer.define(
    ROOM.game,
    class extends GameRoom {
      override ctx = ctx;
    },
  );
  gameServer.define(
    ROOM.classLobby,
    class extends ClassRoom {
      override ctx = ctx;
      override openKey = openKey;
    },
  );

  await gameServer.listen(options.port ?? 0, options.host);
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);

  // Reopen the lobbies of recent classes: students and teacher rejoin by the same code.
  for (const code of store.openClassCodes(Date.now() - CLASS_LIFETIME_MS)) {
    try {
      await matchMaker.createRoom(ROOM.classLobby, { classCode: code, openKey });
    } catch (e) {
      log(`could not reopen class ${code}: ${(e as Error).message}`);
    }
  }

  return {
    port,
    ctx,
    async close() {
      await gameServer.gracefullyShutdown(false);
      httpServer.closeAllConnections?.();
      await checkpointer.stop();
      db.close();
    },
  };
}

/** Unset options (e.g. absent environment variables) keep their defaults. */
function defined<T extends object>(o: Partial<T> | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Join and create attempts are HTTP requests to Colyseus' matchmaker (before any room code
 * runs, so a wrong code never reaches a room). Count them per address in front of it.
 */
function limitJoinAttempts(httpServer: http.Server, limiter: RateLimiter): void {
  const listeners = httpServer.listeners('request') as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method === 'POST' && req.url?.startsWith('/matchmake/') && !req.url.startsWith('/matchmake/reconnect/')) {
      if (!limiter.allow(req.socket.remoteAddress ?? 'unknown', Date.now())) {
        res.writeHead(429, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
        res.end(JSON.stringify({ code: JOIN_ERRORS.rateLimited.code, error: JOIN_ERRORS.rateLimited.message }));
        return;
      }
    }
    for (const l of listeners) l.call(httpServer, req, res);
  });
  setInterval(() => limiter.sweep(Date.now()), 60_000).unref();
}
