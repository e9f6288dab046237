// The summary of a county import as `npm run county -- import` prints it, in Chinese (default) or English.
import type { ImportSummary } from './import.ts';
import type { Lang } from './report-text.ts';

const TABLES: Record<string, Record<Lang, string>> = {
  streets: { zh: '街道', en: 'streets' },
  communities: { zh: '社区', en: 'communities' },
  grids: { zh: '网格', en: 'grids' },
  compounds: { zh: '小区', en: 'compounds' },
  buildings: { zh: '楼栋', en: 'buildings' },
  stations: { zh: '站点', en: 'stations' },
};

const TEXT = {
  zh: {
    imported: (s: ImportSummary, rows: string) => `已导入 ${s.name}（${s.code}），用时 ${s.seconds} 秒：${rows}。`,
    separator: '、',
    replaced: (n: number) => `替换了该县原有数据 ${n} 行。`,
    violation: (v: string) => `  网格方案未满足：${v}`,
  },
  en: {
    imported: (s: ImportSummary, rows: string) => `Imported ${s.name} (${s.code}) in ${s.seconds} s: ${rows}.`,
    separator: ', ',
    replaced: (n: number) => `It replaced ${n} rows of the county's earlier data.`,
    violation: (v: string) => `  grid plan: ${v}`,
  },
} as const;

export function importSummaryText(s: ImportSummary, lang: Lang): string {
  const t = TEXT[lang];
  const rows = Object.entries(s.rows).map(([table, n]) => `${TABLES[table]?.[lang] ?? table} ${n}`);
  const lines = [t.imported(s, rows.join(t.separator))];
  if (s.replaced) lines.push(t.replaced(s.replaced));
  for (const v of s.violations) lines.push(t.violation(v));
  return lines.join('\n');
}
