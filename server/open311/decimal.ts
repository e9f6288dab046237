/**
 * Decimal text of a form value ("37.8", "-.5", "1e3"): not "", "0x10", "NaN" or "1,5" as Number() would read
 * some of them. Linear on any input: no part of the pattern can match the same digits two ways (the old
 * `\d+\.?\d*` could, and took seconds on a long run of digits followed by a letter).
 */
const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text);
}
