import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createPool } from '../../server/postgres/pool.ts';

/**
 * GET /api/health of an app of its own whose database socket folder does not exist (the database is down):
 * its status and body text. The app, its server and its pool are closed before it returns.
 */
export async function healthWithoutDatabase(
  socketDir: string,
  dataDir?: string,
): Promise<{ status: number; text: string }> {
  const pool = createPool({ host: socketDir, database: 'none', connectionTimeoutMillis: 2000 });
  const app = await createApp({ ...loadConfig(), port: 0, ...(dataDir ? { dataDir } : {}) }, pool);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`);
    return { status: res.status, text: await res.text() };
  } finally {
    server.close();
    await app.context.close();
    await pool.end();
  }
}
