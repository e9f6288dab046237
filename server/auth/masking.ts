import { can, type Principal } from '../../shared/roles.ts';

/**
 * Masking of personal data for the roles that must not see it in full (docs: domain.md, privacy).
 * Both helpers work on Unicode code points, so a name in any script keeps its first character only.
 */

/** 张三 → 张*, 欧阳娜娜 → 欧***; a one-character name becomes *. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

/**
 * 13812341234 → 138****1234: keeps the first three and the last four digits of numbers with at least
 * eight digits, separators stay; shorter numbers keep only their last two digits.
 */
export function maskPhone(phone: string): string {
  const digits = [...phone].filter((c) => c >= '0' && c <= '9').length;
  const keepHead = digits >= 8 ? 3 : 0;
  const keepTail = digits >= 8 ? 4 : Math.min(2, Math.max(0, digits - 2));
  let seen = 0;
  return [...phone]
    .map((c) => {
      if (c < '0' || c > '9') return c;
      seen++;
      return seen <= keepHead || seen > digits - keepTail ? c : '*';
    })
    .join('');
}

/**
 * A person's name and phone as this caller may see them: in full only with people:read-unmasked (and the
 * route then writes auditUnmaskedView), masked otherwise. Area scope is checked before, in SQL.
 */
export function contactFor(
  principal: Principal,
  person: { name: string; phone: string | null },
): { name: string; phone: string | null; masked: boolean } {
  if (can(principal, 'people:read-unmasked')) return { ...person, masked: false };
  return { name: maskName(person.name), phone: person.phone === null ? null : maskPhone(person.phone), masked: true };
}
