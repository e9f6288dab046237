// Imports run one way: the server and the scripts never import the client; what both need lives in shared/.
// The client reaches into server/ only for the pure balancing engine.
import { describe, expect, it } from 'vitest';
import { describeImport, importsUnder } from '../helpers/imports.ts';

const into = (folder: string) => (target: string | null) => target !== null && target.startsWith(`${folder}/`);

describe('import direction', () => {
  it('server/ and scripts/ import nothing of client/', () => {
    const imports = [...importsUnder('server'), ...importsUnder('scripts')];
    expect(imports.some((i) => into('shared')(i.target))).toBe(true);
    expect(imports.filter((i) => into('client')(i.target)).map(describeImport)).toEqual([]);
  });

  it('shared/ imports nothing outside shared/ but npm packages', () => {
    const imports = importsUnder('shared');
    expect(imports.some((i) => i.target === null)).toBe(true);
    expect(imports.filter((i) => i.target !== null && !into('shared')(i.target)).map(describeImport)).toEqual([]);
  });

  it('client/ imports of server/ only the pure balancing engine', () => {
    const fromServer = importsUnder('client').filter((i) => into('server')(i.target));
    expect(fromServer.some((i) => into('server/balance')(i.target))).toBe(true);
    expect(fromServer.filter((i) => !into('server/balance')(i.target)).map(describeImport)).toEqual([]);
  });
});
