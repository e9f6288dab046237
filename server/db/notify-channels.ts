// The NOTIFY channels of the database that every server process listens to (server/stream): issue changes, and
// changes of the data or its figures (data-version.ts).
import pg from 'pg';

/** Told of every new or changed issue: `{"county","id","state"}`. */
export const ISSUES_CHANNEL = 'gridlink_issues';
export const DATA_CHANNEL = 'gridlink_data';

/** Starts listening on `channels` on a dedicated connection (a pooled one would hand the LISTEN to others). */
export async function listenOn(client: pg.Client, channels: readonly string[]): Promise<void> {
  for (const channel of channels) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
}
