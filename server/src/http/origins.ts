/**
 * Which pages may talk to this server: its own (the page's origin is the Host it was served
 * from, whatever address the students typed — but only a Host the server answers to, hosts.ts:
 * under DNS rebinding a foreign page's origin and Host agree), plus an allow-list for a front
 * end served from elsewhere. Programs that are not browsers send no Origin; no page stands behind them, so
 * they are let through (their requests meet every other limit).
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { HostAllowList } from './hosts.ts';

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    allowList: readonly string[] = [],
    private readonly hosts?: HostAllowList,
  ) {
    this.allowed = new Set(allowList.map((o) => canonicalOrigin(o)).filter((o): o is string => o !== undefined));
  }

  /** Origins as configured, normalised (bad entries dropped). */
  get allowList(): readonly string[] {
    return [...this.allowed];
  }

  allows(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    const canonical = canonicalOrigin(origin);
    if (canonical === undefined) return false; // "null" (a sandboxed frame, a file) or garbage
    const host = req.headers.host?.toLowerCase();
    if (host !== undefined && new URL(canonical).host === host && (this.hosts?.allows(req) ?? true)) return true;
    return this.allowed.has(canonical);
  }

  /** A browser from a different, allowed origin needs to be told so (CORS); others get nothing. */
  corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (origin === undefined || !this.allows(req)) return {};
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization, X-Teacher-Secret',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    };
  }
}

function canonicalOrigin(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/**
 * Express side of the policy: requests carrying a foreign Origin are refused (a page elsewhere
 * must not create classes or read results through a visitor's browser); allowed ones are
 * answered with CORS headers, preflights included.
 */
export function originGuard(policy: OriginPolicy): RequestHandler {
  return (req, res, next) => {
    if (!policy.allows(req)) {
      res.status(403).json({ error: 'This game server does not accept requests from that page.' });
      return;
    }
    res.set(policy.corsHeaders(req));
    if (req.method === 'OPTIONS') {
      res.sendStatus(204);
      return;
    }
    next();
  };
}
