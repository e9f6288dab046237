// The import specifiers of the source files of a folder, resolved to repository paths, for tests that check
// which part of the tree may import which.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface ImportLine {
  /** The importing file, relative to the repository root. */
  file: string;
  specifier: string;
  /** Repository path of a relative import; null for a package. */
  target: string | null;
  typeOnly: boolean;
}

const IMPORT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function sourceFiles(folder: string): string[] {
  const entries = readdirSync(path.join(REPO_ROOT, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|vue|mjs)$/.test(e.name))
    .map((e) => path.relative(REPO_ROOT, path.join(e.parentPath, e.name)));
}

export function importsOf(file: string): ImportLine[] {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => {
    const specifier = m[3] ?? m[4];
    const relative = specifier.startsWith('.');
    return {
      file,
      specifier,
      target: relative ? path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.dirname(file), specifier)) : null,
      typeOnly: Boolean(m[2]),
    };
  });
}

export const importsUnder = (folder: string): ImportLine[] => sourceFiles(folder).flatMap(importsOf);

export const describeImport = (i: ImportLine): string => `${i.file} → ${i.specifier}`;
