/**
 * The HTTP side: creating a class, exporting its results, telling the projector where
 * students can reach the server. Everything else is websockets.
 */
import express, { type Router } from 'express';
import { DOWNLOAD_FILES, HTTP, ROOM, type AddressesResponse, type CreateClassResponse, type DownloadFile } from '@heist/shared';
import { OPEN_ELSEWHERE } from '../cluster/lobbyKeeper.ts';
import { callRoom, createRoom, untilListed } from '../cluster/remote.ts';
import type { ServerContext } from '../context.ts';
import { resultsCsv } from '../class/csv.ts';
import { hashSecret, newSecret, secretMatches } from '../class/secrets.ts';
import { normaliseCode } from '../validation/names.ts';
import type { ClientAddress } from './clientAddress.ts';

type TeacherFileAnswer = { filename: string; mediaType: string; base64: string } | { error: string; status: number };

const isDownloadFile = (file: unknown): file is DownloadFile => typeof file === 'string' && (DOWNLOAD_FILES as readonly string[]).includes(file);

/** Express 4 does not pass a rejected handler's error on: do it, so jsonErrors answers it. */
const handler =
  (fn: (req: express.Request, res: express.Response) => Promise<void>): express.RequestHandler =>
  (req, res, next) =>
    void fn(req, res).catch(next);

export function apiRouter(ctx: ServerContext, addressOf: ClientAddress, reachableUrls: () => string[]): Router {
  const router = express.Router();

  router.post(
    HTTP.createClass,
    handler(async (req, res) => {
      if (!(await ctx.cluster.ledger.spend('classes', addressOf(req)))) {
        res.status(429).json({ error: 'Too many classes created from here; try again later.' });
        return;
      }
      const teacherSecret = newSecret();
      const code = await ctx.codes.claim(ctx.rng('class-code'));
      try {
        await ctx.store.createClass(code, hashSecret(teacherSecret), Date.now());
      } catch (e) {
        ctx.log(`could not create class ${code}: ${(e as Error).message}`);
        res.status(503).set('Retry-After', '30').json({ error: 'Classes cannot be created right now: the class database is not reachable. Try again in a minute.' });
        return;
      } finally {
        // The store has the code now; the lobby's process (maybe another) holds it from here on.
        ctx.codes.release(code);
      }
      try {
        await createRoom(ROOM.classLobby, { classCode: code, openKey: ctx.cluster.openKey }, ctx.timing.remoteCallMs);
      } catch (e) {
        // A process's lobby keeper was quicker (the class is in the store): the lobby is open all the
        // same, once that opening has finished; the teacher's page joins it as soon as it has the code.
        if (e instanceof Error && e.message.includes(OPEN_ELSEWHERE)) {
          if (!(await untilListed(code, 2 * ctx.timing.remoteCallMs))) ctx.log(`class ${code}: opened elsewhere, not yet listed; the teacher may have to try again`);
          return void res.status(201).json({ code, teacherSecret } satisfies CreateClassResponse);
        }
        ctx.log(`could not open class ${code}: ${(e as Error).message}`);
        res.status(500).json({ error: 'Could not open the class.' });
        return;
      }
      const body: CreateClassResponse = { code, teacherSecret };
      res.status(201).json(body);
    }),
  );

  /** The class whose teacher sent this request, or undefined (and a 403 sent). */
  async function teachersClass(req: express.Request, res: express.Response): Promise<{ code: string } | undefined> {
    const code = normaliseCode(req.params.code);
    const record = code ? await ctx.store.getClass(code) : undefined;
    // The header only: a secret in the URL would end up in logs, history and Referer headers.
    const secret = req.get(HTTP.teacherSecretHeader);
    // Same answer for "no such class" and "wrong secret": codes are not to be probed.
    if (!record || !secretMatches(secret, record.teacherSecretHash)) {
      res.status(403).json({ error: 'Unknown class or wrong teacher key.' });
      return undefined;
    }
    return record;
  }

  router.get(
    `${HTTP.createClass}/:code/results.csv`,
    handler(async (req, res) => {
      const record = await teachersClass(req, res);
      if (!record) return;
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="handshake-heist-${record.code}.csv"`)
        .set('Cache-Control', 'no-store')
        .send(resultsCsv(await ctx.store.results(record.code)));
    }),
  );

  // A capture, key log or key of a class room's last finished round (capture/downloads.ts says
  // which); the room may live on another process, so it is asked by remote call.
  router.get(
    `${HTTP.createClass}/:code/rooms/:room/files/:file`,
    handler(async (req, res) => {
      const record = await teachersClass(req, res);
      if (!record) return;
      const room = normaliseCode(req.params.room);
      const file = req.params.file;
      if (!room || !isDownloadFile(file)) {
        res.status(404).json({ error: 'No such room or file.' });
        return;
      }
      let answer: TeacherFileAnswer;
      try {
        answer = await callRoom<TeacherFileAnswer>(room, 'teacherFile', [record.code, file], ctx.timing.remoteCallMs);
      } catch {
        res.status(404).json({ error: 'That room is closed: its files went with it.' });
        return;
      }
      if ('error' in answer) {
        res.status(answer.status).json({ error: answer.error });
        return;
      }
      res
        .status(200)
        .type(answer.mediaType)
        .set('Content-Disposition', `attachment; filename="${answer.filename}"`)
        .set('Cache-Control', 'no-store')
        .send(Buffer.from(answer.base64, 'base64'));
    }),
  );

  router.get(HTTP.addresses, (_req, res) => {
    const body: AddressesResponse = { urls: reachableUrls() };
    res.set('Cache-Control', 'no-store').json(body);
  });

  router.get('/api/health', (_req, res) => {
    res.json({ ok: true, process: ctx.cluster.processId, store: ctx.store.engine, cluster: ctx.cluster.kind, draining: ctx.cluster.draining });
  });

  return router;
}
