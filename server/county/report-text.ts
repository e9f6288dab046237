// The validation report as readable text, in Chinese or English: a line per layer, then a line per problem.
import type { CountyReport } from '../../shared/api/county-report.ts';
import { problemText, type Lang } from '../../shared/county-problem-text.ts';

export { problemText, type Lang };

const WORDS = {
  zh: {
    title: (r: CountyReport) => `县域数据包检查：${r.county ? `${r.county.name}（${r.county.code}）` : '（无清单）'}`,
    layer: '图层',
    none: '无',
    block: '阻断',
    warn: '警告',
    omitted: (code: string, n: number) => `另有 ${n} 个 ${code} 问题未列出`,
    verdict: (b: number, w: number) =>
      b ? `${b} 个阻断问题、${w} 个警告：不能导入` : `没有阻断问题（${w} 个警告）：可以导入`,
  },
  en: {
    title: (r: CountyReport) =>
      `County package check: ${r.county ? `${r.county.name} (${r.county.code})` : '(no manifest)'}`,
    layer: 'layer',
    none: 'none',
    block: 'BLOCK',
    warn: 'warn',
    omitted: (code: string, n: number) => `${n} more ${code} problems not listed`,
    verdict: (b: number, w: number) =>
      b
        ? `${b} blocking problems, ${w} warnings: cannot be imported`
        : `nothing blocks (${w} warnings): can be imported`,
  },
};

export function reportText(report: CountyReport, lang: Lang): string {
  const w = WORDS[lang];
  const lines = [w.title(report)];
  for (const l of report.layers) {
    const what = l.file ? `${l.file} · ${l.format ?? '?'} · ${l.features} · ${l.crs ?? ''}` : (l.derivation ?? w.none);
    lines.push(`  ${l.role.padEnd(13)} ${l.status.padEnd(8)} ${what}`);
  }
  for (const p of report.problems) {
    const at = p.where;
    const place = [at.layer, at.id && `#${at.id}`, at.name, at.lon !== null && `${at.lon},${at.lat}`].filter(Boolean);
    lines.push(`${p.severity === 'block' ? w.block : w.warn} [${p.code}] ${place.join(' ')}: ${problemText(p, lang)}`);
  }
  for (const [code, n] of Object.entries(report.omitted)) lines.push(w.omitted(code, n));
  const blocks = report.problems.filter((p) => p.severity === 'block').length + 0;
  lines.push(w.verdict(blocks, report.problems.length - blocks));
  return lines.join('\n');
}
