// A real newsroom server for a test: a throwaway PostgreSQL cluster in a temporary folder (run
// as the `postgres` account when we are root: PostgreSQL refuses root), a library made in it
// with the CLI, and `copydesk serve` on a free loopback port, which the test may kill and start
// again on the same port and database. `stop()` ends both and deletes the folder.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CLI, waitForPort } from './app.mjs';

function postgresBin() {
  if (process.env.COPYDESK_PG_BIN) return process.env.COPYDESK_PG_BIN;
  const versions = fs
    .readdirSync('/usr/lib/postgresql')
    .map((version) => path.join('/usr/lib/postgresql', version, 'bin'))
    .filter((bin) => fs.existsSync(path.join(bin, 'initdb')))
    .sort();
  if (!versions.length) throw new Error('no PostgreSQL server in /usr/lib/postgresql/*/bin (scripts/install-deps installs it)');
  return versions[versions.length - 1];
}

const root = process.getuid?.() === 0;

/** `program args` as the postgres account when we are root. */
function asServerUser(program, args) {
  return root ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', program, ...args]] : [program, args];
}

export async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts PostgreSQL and a library in it with `outlet`; returns the server handle.
 * @param {{ people: { name: string, title: string, email: string, role: string, password: string }[] }} options
 */
export async function startNewsroom({ people }) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-e2e-postgres-'));
  if (root) {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    fs.chownSync(folder, id('-u'), id('-g'));
  }
  const bin = postgresBin();
  const data = path.join(folder, 'data');
  const [initdb, initArgs] = asServerUser(path.join(bin, 'initdb'), ['-D', data, '-U', 'copydesk', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  execFileSync(initdb, initArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
  const pgPort = await freePort();
  const [postgres, pgArgs] = asServerUser(path.join(bin, 'postgres'), [
    '-D', data, '-p', String(pgPort), '-k', folder, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off',
  ]);
  const database = spawn(postgres, pgArgs, { stdio: ['ignore', 'ignore', fs.openSync(path.join(os.tmpdir(), `copydesk-e2e-postgres-${pgPort}.log`), 'w')] });
  await waitForPort(pgPort, 30000);
  const url = `postgres://copydesk@127.0.0.1:${pgPort}/postgres`;
  // The database accepts connections a moment after the port opens.
  for (let attempt = 0; ; attempt++) {
    try {
      execFileSync(CLI, ['--library', url, 'init', '--outlet', '뉴스핌', '--time-zone', 'Asia/Seoul'], { stdio: ['ignore', 'ignore', 'pipe'] });
      break;
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  for (const person of people) {
    execFileSync(
      CLI,
      ['--library', url, 'user', 'add', '--name', person.name, '--title', person.title, '--email', person.email, '--role', person.role, '--password-stdin'],
      { input: `${person.password}\n`, stdio: ['pipe', 'ignore', 'inherit'] },
    );
  }
  const port = await freePort();
  const address = `http://127.0.0.1:${port}`;
  let serve = null;
  const newsroom = {
    url,
    address,
    /** Starts `copydesk serve` (again) on the same port and database. */
    async start() {
      serve = spawn(CLI, ['serve', '--listen', `127.0.0.1:${port}`], {
        // Warnings and failures only: a line per request would bury the test's own output.
        env: { COPYDESK_LOG: 'warn', ...process.env, COPYDESK_LIBRARY: url },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      await waitForPort(port, 30000);
    },
    /** Kills the server without warning, like a crash or a pulled cable. */
    async kill() {
      if (!serve) return;
      serve.kill('SIGKILL');
      await once(serve, 'exit').catch(() => {});
      serve = null;
    },
    /** Runs the CLI on the newsroom's database. */
    cli(args) {
      return execFileSync(CLI, ['--library', url, ...args], { encoding: 'utf8' });
    },
    async stop() {
      await newsroom.kill();
      database.kill('SIGINT');
      await once(database, 'exit').catch(() => {});
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
  await newsroom.start();
  return newsroom;
}
