import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { embeddedConnection } from '../../server/postgres/cluster.ts';
import { demoAccounts, loginCookie } from '../helpers/auth.ts';
import { freePort, processRunner } from '../helpers/processes.ts';
import { openSse, type SseConnection } from '../helpers/wall-sse.ts';

/**
 * `npm start -- --workers 2`: the primary starts the embedded PostgreSQL once, two worker processes share
 * the port, a report posted through either reaches a wall stream connected to the other, and a worker that
 * dies is replaced.
 */
const { run, killAll } = processRunner();
const dirs: string[] = [];
const streams: SseConnection[] = [];

afterAll(() => {
  for (const s of streams) s.close();
  killAll();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const bootOf = (s: SseConnection) => s.next((m) => m.event === 'hello').then((m) => JSON.parse(m.data).boot as string);

describe('npm start -- --workers 2', () => {
  it(
    'runs two processes on one database, and the live stream reaches the clients of both',
    { timeout: 300_000 },
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-workers-'));
      dirs.push(dataDir);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const server = run('server/main.ts', ['--workers', '2'], { DATA_DIR: dataDir, PORT: String(port) });
      await server.waitFor('Ready:');
      expect(server.output()).toMatch(/2 worker processes, pids \d+, \d+/);
      expect(server.output().match(/Starting PostgreSQL/g)).toHaveLength(1);
      expect(server.output().match(/Loading the demo data set/g)).toHaveLength(1);

      // Connections go to the workers in turn: open streams until both processes hold one.
      const byBoot = new Map<string, SseConnection>();
      for (let i = 0; i < 12 && byBoot.size < 2; i++) {
        const s = await openSse(`${base}/api/stream`);
        streams.push(s);
        const boot = await bootOf(s);
        if (!byBoot.has(boot)) byBoot.set(boot, s);
      }
      expect(byBoot.size).toBe(2);

      const reporter = demoAccounts(dataDir).find((a) => a.role === 'reporter')!;
      const cookie = await loginCookie(reporter, base);
      const db = new pg.Client(embeddedConnection(dataDir).connection);
      await db.connect();
      const { rows } = await db.query(
        `select st_x(c) lon, st_y(c) lat from (select st_pointonsurface(geom) c from grids order by id limit 1) g`,
      );
      await db.end();
      const froms = [...byBoot.values()].map((s) => s.messages.length);
      const res = await fetch(`${base}/api/issues`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({
          category: 'safety_hazard',
          description: '多进程测试：楼道堆物',
          lon: rows[0].lon,
          lat: rows[0].lat,
        }),
      });
      expect(res.status).toBe(201);
      const code = (await res.json()).code;
      // Whichever process took the report, the stream client of the other one gets it too.
      const events = await Promise.all(
        [...byBoot.values()].map((s, i) =>
          s.next((m) => m.event === 'issue' && JSON.parse(m.data).code === code, 5000, froms[i]),
        ),
      );
      expect(events).toHaveLength(2);

      // A worker that dies is replaced; the port keeps answering meanwhile.
      const pid = Number(server.output().match(/pids (\d+), \d+/)![1]);
      process.kill(pid, 'SIGKILL');
      await server.waitFor(`worker ${pid} ended (SIGKILL); starting another`, 10_000);
      // The new worker serves: a stream connection reaches a process that was not there before.
      await vi.waitFor(
        async () => {
          const s = await openSse(`${base}/api/stream`);
          try {
            expect(s.status).toBe(200);
            expect(byBoot.has(await bootOf(s))).toBe(false);
          } finally {
            s.close();
          }
        },
        { timeout: 20_000, interval: 200 },
      );
      const health = await Promise.all(
        Array.from({ length: 6 }, () => fetch(`${base}/api/health`).then((r) => r.status)),
      );
      expect(health).toEqual([200, 200, 200, 200, 200, 200]);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('Stopped.');
      expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    },
  );
});
