/**
 * deploy/ hangs together, as far as can be checked without a Docker engine (there is none on
 * the machine this was written on, so the compose file has not been run): the compose file
 * parses; every game service runs the server's real entry point with settings the server reads,
 * a Redis and a PostgreSQL URL that point at services of the file, and a PUBLIC_ADDRESS of its
 * own that nginx routes to it; nginx's pool holds every game service; every file the compose
 * file and the Dockerfile name exists.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isPostgresUrl } from '../../server/src/persistence/open.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const deploy = path.join(root, 'deploy');
const compose = parse(fs.readFileSync(path.join(deploy, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: { context: string; dockerfile: string }; command?: string[]; environment?: Record<string, string>; volumes?: string[]; depends_on?: unknown; networks?: Record<string, { ipv4_address?: string }> }>;
  networks?: Record<string, { ipam?: { config?: { subnet?: string }[] } }>;
};
const nginx = fs.readFileSync(path.join(deploy, 'nginx.conf'), 'utf8');
const dockerfile = fs.readFileSync(path.join(deploy, 'Dockerfile'), 'utf8');
/** Every setting server/src/main.ts reads from the environment. */
const settings = new Set([...fs.readFileSync(path.join(root, 'server/src/main.ts'), 'utf8').matchAll(/env\.([A-Z_]+)/g)].map((m) => m[1]!));
const games = Object.entries(compose.services).filter(([, s]) => s.build);

describe('deploy/', () => {
  it('runs four game processes from the Dockerfile, whose every COPY source and entry point exist', () => {
    expect(games.map(([name]) => name)).toEqual(['game1', 'game2', 'game3', 'game4']);
    for (const [, s] of games) expect(path.resolve(deploy, s.build!.context, s.build!.dockerfile)).toBe(path.join(deploy, 'Dockerfile'));
    for (const m of dockerfile.matchAll(/^COPY (.+) \S+$/gm)) for (const src of m[1]!.split(' ')) expect(fs.existsSync(path.join(root, src)), src).toBe(true);
    // The image builds the server, then runs what its start script runs (from /app, not server/).
    expect(dockerfile).toMatch(/^RUN .*npm run build -w server/m);
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!) as string[];
    const start = JSON.parse(fs.readFileSync(path.join(root, 'server/package.json'), 'utf8')).scripts.start as string;
    const run = /&& (.+)$/.exec(start)![1]!.replace(/\bdist\//g, 'server/dist/');
    expect(cmd).toEqual(run.split(' '));
  });

  it('gives every game process settings the server reads: the shared Redis and PostgreSQL, one proxy trusted, an address of its own', () => {
    const addresses = new Set<string>();
    for (const [name, s] of games) {
      const env = s.environment!;
      for (const key of Object.keys(env)) expect(settings.has(key), `${name}: ${key} is not a setting main.ts reads`).toBe(true);
      expect(new URL(env.REDIS_URL!).hostname).toBe('redis');
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/heist:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\/heist$/);
      // Only nginx is trusted, at the fixed address it has on the compose network.
      expect(env.TRUST_PROXY).toBe(compose.services.nginx!.networks!.default!.ipv4_address);
      expect(compose.networks!.default!.ipam!.config![0]!.subnet).toBe('172.28.0.0/24');
      expect(env.PUBLIC_ADDRESS).toBe(`\${HEIST_HOST}/g${name.slice(4)}`);
      addresses.add(env.PUBLIC_ADDRESS!);
    }
    expect(addresses.size).toBe(games.length);
    expect(compose.services.redis!.image).toMatch(/^redis:/);
    expect(compose.services.postgres!.image).toMatch(/^postgres:/);
    expect(compose.services.postgres!.environment).toMatchObject({ POSTGRES_USER: 'heist', POSTGRES_DB: 'heist' });
  });

  it('has nginx route each process\'s address to it, pool them all for the rest, upgrade websockets, terminate TLS', () => {
    for (const [name] of games) {
      const n = name.slice(4);
      // Through a variable, so that the name is looked up again while nginx runs (a recreated container's new address).
      expect(nginx).toContain(`location /g${n}/ { set $game ${name}:2567; rewrite ^/g${n}(/.*)$ $1 break; proxy_pass http://$game; }`);
      expect(nginx).toMatch(new RegExp(`upstream heist_any \\{[^}]*server ${name}:2567 resolve `));
    }
    expect(nginx).toMatch(/^resolver 127\.0\.0\.11 valid=\d+s/m); // Docker's DNS, asked again as names' addresses change
    expect(nginx).toMatch(/upstream heist_any \{\s[^}]*zone heist_any /); // `resolve` needs the pool in shared memory
    expect(compose.services.nginx!.image).toMatch(/^nginx:1\.(2[89]|[3-9]\d)/); // upstream `resolve` is in open-source nginx from 1.27.3
    expect(nginx).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(nginx).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    expect(nginx).toMatch(/listen 443 ssl;[\s\S]*ssl_certificate \/etc\/nginx\/certs\/fullchain\.pem;/);
    const mounts = compose.services.nginx!.volumes!.map((v) => v.split(':')[0]!);
    for (const m of mounts) expect(fs.existsSync(path.join(deploy, m)), m).toBe(true);
    // The main configuration makes room for two websockets per student, and reads the server blocks.
    const main = fs.readFileSync(path.join(deploy, 'nginx-main.conf'), 'utf8');
    expect(Number(/worker_connections (\d+);/.exec(main)![1])).toBeGreaterThanOrEqual(16384);
    expect(main).toContain('include /etc/nginx/conf.d/*.conf;');
  });

  it("makes database passwords, by docs/deploy.md's recipe, that every game process reads back from DATABASE_URL exactly", (ctx) => {
    // compose.yaml puts the password into the URL as it is: a character URLs reserve ("/" is in
    // about 40 % of `openssl rand -base64 24` draws) made every game process exit with "Invalid URL".
    const recipe = /export POSTGRES_PASSWORD="\$\((.+?)\)"/.exec(fs.readFileSync(path.join(root, 'docs/deploy.md'), 'utf8'))?.[1];
    expect(recipe, 'docs/deploy.md shows how to make POSTGRES_PASSWORD').toBeDefined();
    if (spawnSync('openssl', ['version']).status !== 0) return ctx.skip('openssl is not installed');
    const run = spawnSync('sh', ['-c', `for i in $(seq 100); do ${recipe}; done`], { encoding: 'utf8' });
    const draws = run.stdout.trim().split('\n');
    expect(draws).toHaveLength(100);
    expect(new Set(draws).size).toBe(100);
    for (const [name, s] of games) {
      const template = s.environment!.DATABASE_URL!;
      for (const password of draws) {
        expect(password.length, 'at least 128 bits').toBeGreaterThanOrEqual(32);
        const url = template.replace(/\$\{POSTGRES_PASSWORD[^}]*\}/, password); // as compose fills it in
        expect(isPostgresUrl(url), `${name}: ${url}`).toBe(true);
        // What the server's PostgreSQL driver (node-postgres) makes of it; "Invalid URL" is a throw here.
        const client = new pg.Client({ connectionString: url }) as pg.Client & { connectionParameters: { user: string; password: string; host: string; port: number; database: string } };
        const { user, password: read, host, port, database } = client.connectionParameters;
        expect({ user, password: read, host, port, database }, `${name}: ${url}`).toEqual({ user: 'heist', password, host: 'postgres', port: 5432, database: 'heist' });
      }
    }
  });
});
