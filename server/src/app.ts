/**
 * Builds the whole server: HTTP API and the built client on one port, with the Colyseus
 * websocket beside them, over one SQLite file, or PostgreSQL (databaseUrl). With redisUrl it
 * is one of several processes sharing matchmaking (Colyseus' RedisPresence and RedisDriver),
 * codes, liveness and the per-address limits (cluster/redisCluster.ts); each announces its own
 * publicAddress. main.ts runs it; tests start it on a random port with a temporary database.
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
import { LocalCluster, type Cluster } from './cluster/cluster.ts';
import { LobbyKeeper } from './cluster/lobbyKeeper.ts';
import { placement } from './cluster/placement.ts';
import { createRoom, withDeadline } from './cluster/remote.ts';
import { DEFAULT_LIMITS, DEFAULT_TIMING, type ServerOptions } from './config.ts';
import { CodeBook, rngSource, type ServerContext } from './context.ts';
import { reachableUrls } from './http/addresses.ts';
import { apiRouter } from './http/api.ts';
import { ConnectionCaps } from './http/connections.ts';
import { jsonErrors } from './http/errors.ts';
import { MatchmakeDoor, reachesMatchmaker } from './http/matchmake.ts';
import { OriginPolicy, originGuard } from './http/origins.ts';
import { HostAllowList } from './http/hosts.ts';
import { securityHeaders } from './http/securityHeaders.ts';
import { proxyTrust } from './http/trustProxy.ts';
import { openStore } from './persistence/open.ts';
import { admit } from './rooms/admission.ts';
import { ClassRoom } from './rooms/ClassRoom.ts';
import { GameRoom } from './rooms/GameRoom.ts';
import { LiveRsaKeys } from './game/roundKeys.ts';
import { JOIN_ERRORS } from './validation/joinErrors.ts';
import { guardedInterval, type Log } from './safety.ts';
import { RealScheduler } from './time/scheduler.ts';

/** Frames above LIMITS.maxMessageBytes get a typed error; above this, ws closes the socket. */
const MAX_FRAME_BYTES = 64 * 1024;
/**
 * A request must send its headers within 10 s and all of itself within 30 s; connections that
 * say nothing are closed (checked every 2 s). Websockets, once upgraded, are no longer requests.
 */
const HTTP_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 2_000 };

export interface HeistServer {
  port: number;
  ctx: ServerContext;
  /**
   * A graceful stop (SIGTERM): no new rooms here; rounds being played finish (within
   * timing.shutdownWaitMs) or are recorded as interrupted; every result is written; then
   * everything closes.
   */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions & { port?: number; host?: string }): Promise<HeistServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const limits = { ...DEFAULT_LIMITS, ...defined(options.limits) };
  const timing = { ...DEFAULT_TIMING, ...defined(options.timing) };
  const scheduler = options.scheduler ?? new RealScheduler(log);
  const store = await openStore({ dbPath: options.dbPath, databaseUrl: options.databaseUrl, journalPath: options.journalPath }, log, scheduler);
  const redisUrl = options.redisUrl;
  // Colyseus' matchmaker is process-wide; setting up the server gives this process its id.
  // Redis' clients are loaded only for a process that uses them (a third of a second of a start).
  const redis = redisUrl ? await import('./cluster/redisConnections.ts') : undefined;
  const presence = redisUrl && redis ? new redis.SafePresence(redis.redisOptions(redisUrl, timing), log) : undefined;
  const driver = redisUrl && redis ? redis.redisDriver(redis.redisOptions(redisUrl, timing), log) : undefined;
  let cluster: Cluster | undefined;
  let place: ((roomName: string, options: unknown) => Promise<string>) | undefined;
  const proxies = proxyTrust(options.trustProxy ?? []);
  const hosts = new HostAllowList([...(options.allowedOrigins ?? []), ...(options.publicUrl ? [options.publicUrl] : []), ...(options.publicAddress ? [options.publicAddress] : [])]);
  const origins = new OriginPolicy([...(options.allowedOrigins ?? []), ...(options.publicUrl ? [options.publicUrl] : [])], hosts);
  // Our proxies' sockets carry many clients (the proxy caps connections per client, deploy/); every other peer is capped.
  const sockets = new ConnectionCaps(limits.socketsPerAddress, limits.maxSockets, proxies.isProxy);
  let port = options.port ?? 0;

  const httpServer = http.createServer(HTTP_TIMEOUTS);
  sockets.watch(httpServer);
  const gameServer = new Server({
    transport: new WebSocketTransport({
      server: httpServer,
      maxPayload: MAX_FRAME_BYTES,
      verifyClient: ({ req }, admit) => {
        if (sockets.isRefused(req.socket)) return admit(false, 503, JOIN_ERRORS.tooManyConnections.message);
        if (!hosts.allows(req)) return admit(false, 421, JOIN_ERRORS.wrongHost.message);
        if (!origins.allows(req)) return admit(false, 403, JOIN_ERRORS.otherSite.message);
        admit(true);
      },
    }),
    presence,
    driver,
    publicAddress: options.publicAddress,
    // Not before the cluster exists: Colyseus asks only once the matchmaker accepts (at listen).
    selectProcessIdToCreateRoom: redisUrl ? (name, opts) => place!(name, opts) : undefined,
    greet: false,
    gracefullyShutdown: false,
    logger: colyseusLogger(log),
  });
  cluster = redisUrl ? await (await import('./cluster/redisCluster.ts')).RedisCluster.connect(redisUrl, matchMaker.processId, limits, log, timing) : new LocalCluster(matchMaker.processId, limits);
  place = placement(cluster);
  // Live play never uses the fixed test pool: RSA keys are made by the server (fresh for every level-4 round, game/roundKeys.ts).
  const rsaKeys = options.seed === undefined ? new LiveRsaKeys(log) : undefined;
  const ctx: ServerContext = {
    store,
    timing,
    limits,
    cluster,
    codes: new CodeBook((code) => store.classExists(code), cluster),
    scheduler,
    rng: rngSource(options.seed),
    rsaKeys,
    log,
  };
  const addressOf = proxies.clientAddress;
  const peers = cluster;
  const admitHere: typeof admit = (call, options, address) => admit(call, options, address, (processId) => peers.isDead(processId));
  const door = new MatchmakeDoor(limits, cluster.ledger, origins, addressOf, (req) => sockets.hasRoomForAnother(req), () => cluster.kind === 'local' && cluster.draining, admitHere, log);

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(originGuard(origins));
  app.use(express.json({ limit: '8kb' }));
  app.use(apiRouter(ctx, addressOf, () => reachableUrls({ port, host: options.host, publicUrl: options.publicUrl })));
  const clientDir = options.clientDir;
  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h' }));
    // Deep links (e.g. /join/ABCDE) load the single-page client.
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(clientDir, 'index.html')));
  }
  app.use(jsonErrors(log));

  // Colyseus has put its own matchmaking route in front of the app; the door takes its place.
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (sockets.isRefused(req.socket)) return refuse(res, JOIN_ERRORS.tooManyConnections);
    sockets.requestStarted(req, res);
    if (!hosts.allows(req)) return refuse(res, JOIN_ERRORS.wrongHost);
    if (reachesMatchmaker(req.url)) return door.handle(req, res);
    app(req, res);
  });
  const sweeper = guardedInterval('sweeping per-address limits', 60_000, log, () => cluster.ledger.sweep(Date.now()));

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
    },
  );

  await gameServer.listen(options.port ?? 0, options.host);
  const address = httpServer.address();
  port = typeof address === 'object' && address ? address.port : port;

  // The lobbies of recent classes that no live process has open: at start-up, and (several processes) whenever one's process dies.
  const keeper = new LobbyKeeper(ctx, (classCode) => createRoom(ROOM.classLobby, { classCode, openKey: cluster.openKey }, timing.remoteCallMs));
  await keeper.sweep().catch((e: unknown) => log(`reopening class lobbies: ${(e as Error).message}`));
  if (cluster.kind !== 'local') keeper.start();

  let closing: Promise<void> | undefined;
  return {
    port,
    ctx,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        keeper.stop();
        rsaKeys?.close();
        // No new rooms here: other processes stop placing rooms on this one, and this one sends its own elsewhere.
        // (Redis may be away: the others then learn it from the heartbeat that stops.)
        await withDeadline('draining', timing.remoteCallMs, cluster.drain()).catch((e: unknown) => log(`shutdown: ${(e as Error).message}`));
        await gameServer.gracefullyShutdown(false);
        httpServer.closeAllConnections?.();
        await cluster.close();
        await store.close();
      })();
      return closing;
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
