/**
 * The HTTP side: creating a class, exporting its results, telling the projector where
 * students can reach the server. Everything else is websockets.
 */
import express, { type Router } from 'express';
import { matchMaker } from '@colyseus/core';
import { HTTP, ROOM, type AddressesResponse, type CreateClassResponse } from '@heist/shared';
import type { ServerContext } from '../context.ts';
import { resultsCsv } from '../class/csv.ts';
import { hashSecret, newSecret, secretMatches } from '../class/secrets.ts';
import { RateLimiter } from '../validation/rateLimit.ts';
import { normaliseCode } from '../validation/names.ts';
import { addressKey } from '../validation/perAddress.ts';

export function apiRouter(ctx: ServerContext, openKey: string, reachableUrls: () => string[]): Router {
  const router = express.Router();
  const creations = new RateLimiter(ctx.limits.classesPerHour, ctx.limits.classesPerHour / 3600);

  router.post(HTTP.createClass, async (req, res) => {
    if (!creations.allow(addressKey(req.socket.remoteAddress), Date.now())) {
      res.status(429).json({ error: 'Too many classes created from here; try again later.' });
      return;
    }
    const teacherSecret = newSecret();
    const code = ctx.codes.claim(ctx.rng('class-code'));
    ctx.store.createClass(code, hashSecret(teacherSecret), Date.now());
    try {
      await matchMaker.createRoom(ROOM.classLobby, { classCode: code, openKey });
    } catch (e) {
      ctx.log(`could not open class ${code}: ${(e as Error).message}`);
      res.status(500).json({ error: 'Could not open the class.' });
      return;
    }
    const body: CreateClassResponse = { code, teacherSecret };
    res.status(201).json(body);
  });

  router.get(`${HTTP.createClass}/:code/results.csv`, (req, res) => {
    const code = normaliseCode(req.params.code);
    const record = code ? ctx.store.getClass(code) : undefined;
    // The header only: a secret in the URL would end up in logs, history and Referer headers.
    const secret = req.get(HTTP.teacherSecretHeader);
    // Same answer for "no such class" and "wrong secret": codes are not to be probed.
    if (!record || !secretMatches(secret, record.teacherSecretHash)) {
      res.status(403).json({ error: 'Unknown class or wrong teacher key.' });
      return;
    }
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="handshake-heist-${record.code}.csv"`)
      .set('Cache-Control', 'no-store')
      .send(resultsCsv(ctx.store.results(record.code)));
  });

  router.get(HTTP.addresses, (_req, res) => {
    const body: AddressesResponse = { urls: reachableUrls() };
    res.set('Cache-Control', 'no-store').json(body);
  });

  router.get('/api/health', (_req, res) => {
    res.json({ ok: true });
  });

  return router;
}
