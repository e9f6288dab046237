// The environment GDAL's command-line tools run in: built from scratch (no PG*, DATABASE_URL or other secret of
// the server's environment reaches GDAL), every driver but the ones a call names switched off with GDAL_SKIP
// (GDAL 3.6 has no -if), network and remote virtual file systems locked down, and — where the kernel allows
// unprivileged user namespaces — no network at all (`unshare -rn`: only a loopback that is down).
import { execFile } from 'node:child_process';

/** Drivers a call may use, by GDAL short name. */
export type Driver = 'GeoJSON' | 'GeoJSONSeq' | 'GPKG' | 'ESRI Shapefile';

const PATH = '/usr/local/bin:/usr/bin:/bin';

/** Configuration that holds for every call (set as environment variables, which GDAL reads as config options). */
export const LOCKDOWN: Readonly<Record<string, string>> = {
  // No directory listing next to the file opened: GDAL sees the files it is given, not their neighbours.
  GDAL_DISABLE_READDIR_ON_OPEN: 'EMPTY_DIR',
  // /vsicurl/ and the cloud file systems built on it: only a name that cannot exist may be fetched.
  CPL_VSIL_CURL_ALLOWED_FILENAME: 'http://gridlink.invalid/none',
  CPL_VSIL_CURL_ALLOWED_EXTENSIONS: '.gridlink-none',
  // Any HTTP request GDAL still makes goes to a closed local port and gives up at once.
  GDAL_HTTP_PROXY: '127.0.0.1:9',
  GDAL_HTTPS_PROXY: '127.0.0.1:9',
  GDAL_HTTP_TIMEOUT: '1',
  GDAL_HTTP_CONNECTTIMEOUT: '1',
  GDAL_HTTP_MAX_RETRY: '0',
  GDAL_HTTP_NETRC: 'NO',
  AWS_NO_SIGN_REQUEST: 'YES',
  PROJ_NETWORK: 'OFF',
  GDAL_VRT_ENABLE_PYTHON: 'NO',
  SPATIALITE_SECURITY: 'strict',
  ALLOW_OGR_SQL_FUNCTIONS_FROM_TRIGGER_AND_VIEW: 'NO',
  CPL_DEBUG: 'OFF',
};

/**
 * For reading an upload: SQLite refuses functions and virtual tables that are not innocuous inside a schema
 * (views, triggers, generated columns) and any write to the file.
 */
export const READ_ONLY_SQLITE = { OGR_SQLITE_PRAGMA: 'trusted_schema=OFF,query_only=1' } as const;

let driverNames: Promise<string[]> | undefined;

/** Every driver short name this GDAL has (raster and vector), read once from `--formats`. */
export function allDrivers(): Promise<string[]> {
  driverNames ??= Promise.all(
    ['ogrinfo', 'gdalinfo'].map(
      (tool) =>
        new Promise<string>((resolve, reject) => {
          execFile(
            tool,
            ['--formats'],
            { env: { PATH, LANG: 'C.UTF-8' }, encoding: 'utf8', timeout: 30_000, maxBuffer: 1 << 20 },
            (error, stdout) => (error ? reject(error) : resolve(stdout)),
          );
        }),
    ),
  ).then((outputs) => {
    const names = new Set<string>();
    // "  ESRI Shapefile -vector- (rw+v): ESRI Shapefile": the short name is what precedes " -<kinds>- (".
    for (const line of outputs.join('\n').split('\n')) {
      const open = line.indexOf(' (');
      if (!line.startsWith('  ') || open < 0) continue;
      const head = line.slice(0, open).trim();
      const kinds = head.lastIndexOf(' -');
      if (kinds > 0 && head.endsWith('-')) names.add(head.slice(0, kinds));
    }
    if (names.size < 10 || !names.has('GPKG')) throw new Error('cannot list the GDAL drivers');
    return [...names];
  });
  driverNames.catch(() => (driverNames = undefined));
  return driverNames;
}

/** The GDAL_SKIP value that leaves exactly `keep` (comma-separated: some names hold spaces). */
export async function skipAllBut(keep: readonly Driver[]): Promise<string> {
  const skip = (await allDrivers()).filter((name) => !keep.includes(name as Driver));
  if (skip.some((name) => name.includes(','))) throw new Error('a GDAL driver name holds a comma');
  return skip.join(',');
}

/** The whole environment of one call: nothing inherited but GDAL/PROJ data paths. */
export async function gdalEnv(
  home: string,
  drivers: readonly Driver[],
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const env: Record<string, string> = { PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', HOME: home, TMPDIR: home };
  for (const key of ['GDAL_DATA', 'PROJ_DATA', 'PROJ_LIB'] as const) if (process.env[key]) env[key] = process.env[key]!;
  return { ...env, ...LOCKDOWN, GDAL_SKIP: await skipAllBut(drivers), ...extra };
}

let sandbox: Promise<string[]> | undefined;

/** The command prefix that takes the network away (`unshare -rn`), or none where user namespaces are not allowed. */
export function networkSandbox(): Promise<string[]> {
  sandbox ??= new Promise((resolve) => {
    execFile('unshare', ['-rn', 'true'], { env: { PATH }, timeout: 10_000 }, (error) =>
      resolve(error ? [] : ['unshare', '-rn']),
    );
  });
  return sandbox;
}
