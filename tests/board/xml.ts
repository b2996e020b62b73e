/**
 * A small strict XML 1.0 well-formedness checker for the graph-picture tests (no XML parser is a
 * dependency): one root element, properly nested and matched tags, quoted and unique attributes, only
 * the five predefined entities and numeric character references, no `<` or bare `&` in text or
 * attribute values. Returns the element tree so tests can look at names, attributes and text.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside the element (entities decoded). */
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;

function decodeEntities(s: string, where: string): string {
  if (s.includes('<')) throw new Error(`'<' in ${where}`);
  return s.replace(/&([^;]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new Error(`bare '&' in ${where}: ${JSON.stringify(m)}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (body in named) return named[body] as string;
    const num = /^#(\d+)$/.exec(body) ?? /^#x([0-9a-fA-F]+)$/.exec(body);
    if (num) {
      const cp = parseInt(num[1] as string, body.startsWith('#x') ? 16 : 10);
      if (cp === 0 || cp > 0x10ffff) throw new Error(`invalid character reference &${body};`);
      return String.fromCodePoint(cp);
    }
    throw new Error(`unknown entity &${body}; in ${where}`);
  });
}

export function parseXml(src: string): XmlElement {
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(src);
  if (bad) throw new Error(`character U+${bad[0].charCodeAt(0).toString(16)} is not allowed in XML`);
  let pos = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const skipMisc = (): void => {
    for (;;) {
      const ws = /^\s*/.exec(src.slice(pos)) as RegExpExecArray;
      pos += ws[0].length;
      if (src.startsWith('<!--', pos)) {
        const end = src.indexOf('-->', pos);
        if (end < 0) throw new Error('unterminated comment');
        pos = end + 3;
      } else if (src.startsWith('<?', pos)) {
        const end = src.indexOf('?>', pos);
        if (end < 0) throw new Error('unterminated processing instruction');
        pos = end + 2;
      } else return;
    }
  };
  skipMisc();
  while (pos < src.length) {
    if (src[pos] !== '<') {
      const next = src.indexOf('<', pos);
      const text = src.slice(pos, next < 0 ? src.length : next);
      if (stack.length === 0) {
        if (text.trim() !== '') throw new Error(`text outside the root element at ${pos}`);
      } else {
        if (text.includes(']]>')) throw new Error("']]>' in text");
        (stack[stack.length - 1] as XmlElement).text += decodeEntities(text, `text at ${pos}`);
      }
      pos = next < 0 ? src.length : next;
      continue;
    }
    if (src.startsWith('<!--', pos)) {
      const end = src.indexOf('-->', pos);
      if (end < 0) throw new Error('unterminated comment');
      pos = end + 3;
      continue;
    }
    if (src.startsWith('</', pos)) {
      const m = NAME.exec(src.slice(pos + 2));
      if (!m) throw new Error(`bad end tag at ${pos}`);
      const open = stack.pop();
      if (!open || open.name !== m[0])
        throw new Error(`end tag </${m[0]}> does not match <${open?.name ?? '(none)'}> at ${pos}`);
      pos += 2 + m[0].length;
      const close = /^\s*>/.exec(src.slice(pos));
      if (!close) throw new Error(`bad end tag at ${pos}`);
      pos += close[0].length;
      if (stack.length === 0) {
        skipMisc();
        if (pos !== src.length) throw new Error(`content after the root element at ${pos}`);
      }
      continue;
    }
    const m = NAME.exec(src.slice(pos + 1));
    if (!m) throw new Error(`bad start tag at ${pos}`);
    if (stack.length === 0 && root !== null) throw new Error('more than one root element');
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    pos += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(src.slice(pos)) as RegExpExecArray;
      pos += ws[0].length;
      if (src.startsWith('/>', pos) || src[pos] === '>') break;
      if (ws[0].length === 0) throw new Error(`attributes must be separated by space at ${pos}`);
      const an = NAME.exec(src.slice(pos));
      if (!an) throw new Error(`bad attribute name at ${pos}: ${JSON.stringify(src.slice(pos, pos + 20))}`);
      pos += an[0].length;
      const eq = /^\s*=\s*(["'])/.exec(src.slice(pos));
      if (!eq) throw new Error(`attribute ${an[0]} without a quoted value at ${pos}`);
      pos += eq[0].length;
      const end = src.indexOf(eq[1] as string, pos);
      if (end < 0) throw new Error(`unterminated attribute value at ${pos}`);
      if (an[0] in el.attrs) throw new Error(`duplicate attribute ${an[0]} on <${el.name}>`);
      el.attrs[an[0]] = decodeEntities(src.slice(pos, end), `attribute ${an[0]}`);
      pos = end + 1;
    }
    if (stack.length) (stack[stack.length - 1] as XmlElement).children.push(el);
    else root = el;
    if (src.startsWith('/>', pos)) {
      pos += 2;
      if (stack.length === 0) {
        skipMisc();
        if (pos !== src.length) throw new Error(`content after the root element at ${pos}`);
      }
    } else {
      pos += 1;
      stack.push(el);
    }
  }
  if (stack.length) throw new Error(`unclosed element <${(stack[stack.length - 1] as XmlElement).name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element of the tree, depth first. */
export function allElements(e: XmlElement): XmlElement[] {
  return [e, ...e.children.flatMap(allElements)];
}

/** All text inside `e` (its own and its descendants'). */
export function textContent(e: XmlElement): string {
  return e.text + e.children.map(textContent).join('');
}
