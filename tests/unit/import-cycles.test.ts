// No import circles: a module never reaches itself through its imports (type imports included), so layers can be
// read, tested and loaded one at a time.
import { describe, expect, it } from 'vitest';
import { importsUnder, type ImportLine } from '../helpers/imports.ts';

/** The first cycle found in the graph of relative imports, as the files around it, or null. */
export function findCycle(imports: ImportLine[]): string[] | null {
  const edges = new Map<string, string[]>();
  for (const i of imports) if (i.target !== null) edges.set(i.file, [...(edges.get(i.file) ?? []), i.target]);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of edges.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

describe('import cycles', () => {
  it('finds a cycle where there is one', () => {
    const line = (file: string, target: string): ImportLine => ({ file, target, specifier: target, typeOnly: true });
    expect(findCycle([line('a.ts', 'b.ts'), line('b.ts', 'c.ts'), line('c.ts', 'a.ts')])).toEqual([
      'a.ts',
      'b.ts',
      'c.ts',
      'a.ts',
    ]);
    expect(findCycle([line('a.ts', 'b.ts'), line('a.ts', 'c.ts'), line('b.ts', 'c.ts')])).toBeNull();
  });

  it('server/, client/, shared/ and scripts/ have none', () => {
    const imports = ['server', 'client', 'shared', 'scripts'].flatMap(importsUnder);
    expect(imports.length).toBeGreaterThan(500);
    expect(findCycle(imports)?.join(' → ') ?? null).toBeNull();
  });
});
