// A small XML scanner for the parts of a workbook (xlsx.ts): one pass with indexOf, no regular expressions. A DTD
// (DOCTYPE, ENTITY) is refused, so no entity can be defined, expanded or fetched; of references only the five
// predefined entities and character references are read, any other is refused.

export class XmlRefused extends Error {}

export interface XmlHandler {
  /** An element opens; `name` and the attribute names without their namespace prefix. */
  open(name: string, attrs: Record<string, string>): void;
  close(name: string): void;
  /** Character data between tags (entities decoded). */
  text(text: string): void;
}

const PREDEFINED = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t';

/** Text with its references decoded: `&lt;` and the four others, `&#65;`, `&#x41;`. */
export function decodeXmlText(text: string): string {
  let at = text.indexOf('&');
  if (at < 0) return text;
  let out = text.slice(0, at);
  while (at >= 0) {
    // A reference is short: the `;` is looked for in the next few characters only.
    const semicolon = text.slice(at, at + 12).indexOf(';');
    const end = at + semicolon;
    const ref = semicolon < 0 ? text.slice(at + 1, at + 11) : text.slice(at + 1, end);
    let char = PREDEFINED.get(ref);
    if (/^#(x[0-9a-fA-F]{1,6}|[0-9]{1,7})$/.test(ref)) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code > 0 && code <= 0x10ffff) char = String.fromCodePoint(code);
    }
    if (char === undefined || semicolon < 0)
      throw new XmlRefused(`an entity reference the XML does not define: &${ref};`);
    const next = text.indexOf('&', end);
    out += char + text.slice(end + 1, next < 0 ? text.length : next);
    at = next;
  }
  return out;
}

/** The attributes of a start tag's inside (`name a="1" b='2'`), read left to right. */
function attributes(inside: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  let i = 0;
  while (i < inside.length) {
    if (isSpace(inside[i])) {
      i++;
      continue;
    }
    const eq = inside.indexOf('=', i);
    if (eq < 0) throw new XmlRefused('an attribute without a value');
    const name = inside.slice(i, eq).trim();
    let q = eq + 1;
    while (isSpace(inside[q] ?? '')) q++;
    const quote = inside[q];
    if (quote !== '"' && quote !== "'") throw new XmlRefused('an attribute value without quotes');
    const end = inside.indexOf(quote, q + 1);
    if (end < 0) throw new XmlRefused('an attribute value is not closed');
    attrs[localName(name)] = decodeXmlText(inside.slice(q + 1, end));
    i = end + 1;
  }
  return attrs;
}

/** The end of a start tag: the first `>` outside a quoted attribute value (one pass over the tag). */
function tagEnd(xml: string, from: number): number {
  let quote = '';
  for (let i = from; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  throw new XmlRefused('a tag is not closed');
}

const skipTo = (xml: string, from: number, marker: string, what: string): number => {
  const end = xml.indexOf(marker, from);
  if (end < 0) throw new XmlRefused(`${what} is not closed`);
  return end + marker.length;
};

/** Scans `xml` once, calling the handler for each element and each run of text. */
export function scanXml(xml: string, handler: XmlHandler): void {
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > i) handler.text(decodeXmlText(xml.slice(i, textEnd)));
    if (lt < 0) return;
    if (xml.startsWith('<?', lt)) i = skipTo(xml, lt, '?>', 'a processing instruction');
    else if (xml.startsWith('<!--', lt)) i = skipTo(xml, lt, '-->', 'a comment');
    else if (xml.startsWith('<![CDATA[', lt)) {
      i = skipTo(xml, lt, ']]>', 'a CDATA section');
      handler.text(xml.slice(lt + 9, i - 3));
    } else if (xml.startsWith('<!', lt))
      throw new XmlRefused('the XML declares a DOCTYPE or an entity, which a workbook never needs');
    else if (xml.startsWith('</', lt)) {
      i = skipTo(xml, lt, '>', 'an end tag');
      handler.close(localName(xml.slice(lt + 2, i - 1).trim()));
    } else {
      const end = tagEnd(xml, lt + 1);
      const selfClosing = xml[end - 1] === '/';
      const inside = xml.slice(lt + 1, selfClosing ? end - 1 : end);
      let n = 0;
      while (n < inside.length && !isSpace(inside[n])) n++;
      const name = localName(inside.slice(0, n));
      handler.open(name, attributes(inside.slice(n)));
      if (selfClosing) handler.close(name);
      i = end + 1;
    }
  }
}
