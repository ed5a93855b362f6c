/**
 * What an HTTP request that fails gets: a status and plain words as JSON, never a stack trace
 * (Express' default handler prints one outside production). Server faults are logged, with
 * their stack, for whoever runs the server.
 */
import type { ErrorRequestHandler } from 'express';

export function jsonErrors(log: (line: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const declared = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
    const status = typeof declared === 'number' && declared >= 400 && declared < 600 ? declared : 500;
    if (status >= 500) log(`${req.method} ${req.path} failed: ${(err as Error)?.stack ?? String(err)}`);
    if (res.headersSent) return void res.destroy();
    const error = status === 413 ? 'That request is too large.' : status < 500 ? 'That request is not valid.' : 'Something went wrong on the server.';
    res.status(status).json({ error });
  };
}
