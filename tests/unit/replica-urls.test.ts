import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { parseReplicaUrls, redactDatabaseUrl } from '../../server/postgres/replica-urls.ts';

describe('DATABASE_REPLICA_URLS', () => {
  it('reads comma-separated postgresql URIs, none when unset', () => {
    expect(parseReplicaUrls(undefined)).toEqual([]);
    expect(parseReplicaUrls(' ')).toEqual([]);
    expect(parseReplicaUrls('postgresql://u:p@db1/gridlink, postgres://u:p@db2:5433/gridlink')).toEqual([
      'postgresql://u:p@db1/gridlink',
      'postgres://u:p@db2:5433/gridlink',
    ]);
    expect(loadConfig({ DATABASE_REPLICA_URLS: 'postgresql://db1/g' }).replicas).toEqual({
      urls: ['postgresql://db1/g'],
      maxLagMs: 5000,
      checkEveryMs: 2000,
    });
  });

  it('refuses what is not a postgresql URI, too many, or a bad lag bound, without echoing a password', () => {
    expect(() => parseReplicaUrls('postgresql://u:p@db1/g,mysql://u:secret@db2/g')).toThrow(
      /entry 2 must be a postgresql:\/\/ URI.*"mysql:\/\/db2\/g"/,
    );
    expect(() => parseReplicaUrls('postgresql://u:secret@db1/g,')).toThrow(/entry 2/);
    expect(() => parseReplicaUrls('postgresql://u:se cret@db1/g')).toThrow(/no spaces\), got "postgresql:\/\/db1\/g"/);
    expect(() => parseReplicaUrls(Array(17).fill('postgresql://db/g').join(','))).toThrow(/at most 16/);
    expect(() => loadConfig({ REPLICA_MAX_LAG_MS: '-1' })).toThrow(/REPLICA_MAX_LAG_MS/);
    expect(() => loadConfig({ REPLICA_MAX_LAG_MS: 'soon' })).toThrow(/REPLICA_MAX_LAG_MS/);
  });

  it('logs a replica without its user name or password, in the authority or the query', () => {
    expect(redactDatabaseUrl('postgresql://gridlink:s3cr%40t@db1:5433/gridlink?sslmode=require')).toBe(
      'postgresql://db1:5433/gridlink?sslmode=require',
    );
    expect(redactDatabaseUrl('postgresql:///gridlink?host=/run/pg&user=gridlink&password=s3cret&port=5433')).toBe(
      'postgresql:///gridlink?host=/run/pg&port=5433',
    );
  });
});
