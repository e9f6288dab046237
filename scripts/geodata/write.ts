// Streaming writers: one feature / object per line, so towns can be appended at scale 100 without
// holding everything in memory, and diffs of the committed files stay readable.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class Sink {
  private fd: number;
  private first = true;
  constructor(
    dir: string,
    file: string,
    private readonly geo: boolean,
  ) {
    mkdirSync(dir, { recursive: true });
    this.fd = openSync(join(dir, file), 'w');
    writeSync(this.fd, geo ? '{"type":"FeatureCollection","features":[\n' : '[\n');
  }
  add(obj: unknown): void {
    writeSync(this.fd, (this.first ? '' : ',\n') + JSON.stringify(obj));
    this.first = false;
  }
  close(): void {
    writeSync(this.fd, this.geo ? '\n]}\n' : '\n]\n');
    closeSync(this.fd);
  }
}

export function feature(id: string, properties: Record<string, unknown>, geometry: unknown): unknown {
  return { type: 'Feature', id, properties: { id, ...properties }, geometry };
}
