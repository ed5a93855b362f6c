/**
 * Builds the whole server: HTTP API and the built client on one port, with the Colyseus
 * websocket beside them, over one SQLite file. main.ts runs it; tests start it on a random
 * port with a temporary database.
 *
 * Every request meets, in order: the connection caps (http/connections.ts), then either the
 * matchmaker's door (http/matchmake.ts: origin, rate, caps, body size) or the Express app
 * (security headers, origin, the API, the client); every websocket upgrade meets the
 * connection caps and the origin check.
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
import { reachableUrls } from './http/addresses.ts';
import { apiRouter } from './http/api.ts';
import { ConnectionCaps } from './http/connections.ts';
import { jsonErrors } from './http/errors.ts';
import { MatchmakeDoor, reachesMatchmaker } from './http/matchmake.ts';
import { OriginPolicy, originGuard } from './http/origins.ts';
import { securityHeaders } from './http/securityHeaders.ts';
import { checkpointInBackground } from './persistence/checkpointer.ts';
import { openDb } from './persistence/db.ts';
import { Store } from './persistence/store.ts';
import { ClassRoom } from './rooms/ClassRoom.ts';
import { GameRoom } from './rooms/GameRoom.ts';
import { JOIN_ERRORS } from './rooms/joinErrors.ts';
import { guardedInterval, type Log } from './safety.ts';
import { RealScheduler } from './time/scheduler.ts';

/** Frames above LIMITS.maxMessageBytes get a typed error; above this, ws closes the socket. */
const MAX_FRAME_BYTES = 64 * 1024;
/** Class lobbies older than this are not reopened after a restart (their results stay). */
const CLASS_LIFETIME_MS = 14 * 24 * 3600_000;
/**
 * A request must send its headers within 10 s and all of itself within 30 s; connections that
 * say nothing are closed (checked every 2 s). Websockets, once upgraded, are no longer requests.
 */
const HTTP_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 2_000 };

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
  const origins = new OriginPolicy([...(options.allowedOrigins ?? []), ...(options.publicUrl ? [options.publicUrl] : [])]);
  const sockets = new ConnectionCaps(ctx.limits.socketsPerAddress, ctx.limits.maxSockets);
  const door = new MatchmakeDoor(ctx.limits, origins, (req) => sockets.hasRoomForAnother(req), log);
  let port = options.port ?? 0;

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(originGuard(origins));
  app.use(express.json({ limit: '8kb' }));
  app.use(apiRouter(ctx, openKey, () => reachableUrls({ port, host: options.host, publicUrl: options.publicUrl })));
  const clientDir = options.clientDir;
  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h' }));
    // Deep links (e.g. /join/ABCDE) load the single-page client.
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(clientDir, 'index.html')));
  }
  app.use(jsonErrors(log));

  const httpServer = http.createServer(HTTP_TIMEOUTS);
  sockets.watch(httpServer);
  const gameServer = new Server({
    transport: new WebSocketTransport({
      server: httpServer,
      maxPayload: MAX_FRAME_BYTES,
      verifyClient: ({ req }, admit) => {
        if (sockets.isRefused(req.socket)) return admit(false, 503, JOIN_ERRORS.tooManyConnections.message);
        if (!origins.allows(req)) return admit(false, 403, JOIN_ERRORS.otherSite.message);
        admit(true);
      },
    }),
    greet: false,
    gracefullyShutdown: false,
    logger: colyseusLogger(log),
  });
  // Colyseus has put its own matchmaking route in front of the app; the door takes its place.
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (sockets.isRefused(req.socket)) return refuse(res, JOIN_ERRORS.tooManyConnections);
    sockets.requestStarted(req, res);
    if (reachesMatchmaker(req.url)) return door.handle(req, res);
    app(req, res);
  });
  const sweeper = guardedInterval('sweeping per-address limits', 60_000, log, () => door.sweep(Date.now()));

  for (const handler of [
    gameServer.define(
      ROOM.game,
      class extends GameRoom {
        override ctx = ctx;
      },
    ),
    gameServer.define(
      ROOM.classLobby,
      class extends ClassRoom {
        override ctx = ctx;
        override openKey = openKey;
      },
    ),
  ])
    handler.on('create', (room) => door.roomCreated(room));

  await gameServer.listen(options.port ?? 0, options.host);
  const address = httpServer.address();
  port = typeof address === 'object' && address ? address.port : port;

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
      clearInterval(sweeper);
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

function refuse(res: http.ServerResponse, error: { code: number; message: string }): void {
  const body = JSON.stringify({ code: error.code, error: error.message });
  res.writeHead(error.code, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close', 'Retry-After': '10', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

/**
 * Colyseus' own messages, one line each into our log: it prints a stack for errors it
 * catches (a websocket arriving for an expired seat, say), one per failed join.
 */
function colyseusLogger(log: Log) {
  const line = (...args: unknown[]) => log(`colyseus: ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ').split('\n')[0]}`);
  const quiet = () => undefined;
  return { info: line, warn: line, error: line, debug: quiet, trace: quiet };
}
