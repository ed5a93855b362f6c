/**
 * Whether the project's node_modules is exactly what `npm ci` would install from its
 * package-lock.json, so that the documented commands' copy may share it instead of running
 * `npm ci` a second time (on CI, `.ci/run` has just run it on the clean clone, and it costs two
 * to three minutes: better-sqlite3 compiles from source).
 *
 * `npm ci` refuses a lockfile out of step with a package.json, then installs every locked
 * package; npm records what it installed in node_modules/.package-lock.json. So: every
 * workspace's dependencies as its package.json says, and every locked package installed at the
 * locked version and integrity (an optional one for another platform may be absent), nothing
 * else. Anything else — a package.json edited, `npm install x` run, a package removed — and the
 * copy runs `npm ci` itself.
 */
import fs from 'node:fs';
import path from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  optional?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const DEPENDENCY_KINDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const [x, y] = [a ?? {}, b ?? {}];
  return Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => y[k] === v);
}

/** Why the installed node_modules cannot stand in for `npm ci` here, or undefined when it can. */
export function whyNotReusable(root: string): string | undefined {
  const lock = readJson<{ packages?: Record<string, LockEntry> }>(path.join(root, 'package-lock.json'))?.packages;
  const installed = readJson<{ packages?: Record<string, LockEntry> }>(path.join(root, 'node_modules/.package-lock.json'))?.packages;
  if (!lock || !installed) return 'no install recorded in node_modules/.package-lock.json';
  const rootPackage = readJson<{ workspaces?: string[] }>(path.join(root, 'package.json'));
  for (const where of ['', ...(rootPackage?.workspaces ?? [])]) {
    const manifest = readJson<Record<string, Record<string, string>>>(path.join(root, where, 'package.json'));
    const locked = lock[where];
    if (!manifest || !locked) return `${where || 'the root'}: package.json or its lock entry is missing`;
    for (const kind of DEPENDENCY_KINDS) if (!sameMap(manifest[kind], locked[kind])) return `${where || 'the root'} package.json's ${kind} differ from package-lock.json`;
  }
  for (const [key, entry] of Object.entries(lock)) {
    if (key === '') continue;
    const have = installed[key];
    if (!have) {
      if (entry.optional) continue;
      return `${key} is locked but not installed`;
    }
    if (have.version !== entry.version || have.resolved !== entry.resolved || have.integrity !== entry.integrity) return `${key} is installed at another version than the locked one`;
  }
  for (const key of Object.keys(installed)) if (!(key in lock)) return `${key} is installed but not locked`;
  return undefined;
}

/** node_modules folders of the project (the root's and the workspaces'), relative to it. */
export function nodeModulesFolders(root: string): string[] {
  const rootPackage = readJson<{ workspaces?: string[] }>(path.join(root, 'package.json'));
  return ['', ...(rootPackage?.workspaces ?? [])].map((w) => path.join(w, 'node_modules')).filter((d) => fs.existsSync(path.join(root, d)));
}
