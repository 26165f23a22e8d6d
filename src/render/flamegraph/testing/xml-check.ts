// A strict XML 1.0 well-formedness checker for our SVG output tests (no XML parser ships with
// Node): balanced tags, quoted unique attributes, known entities, CDATA, comments and PIs.
// Returns the element names in document order, or throws with the offending position.

/** Role: checks `text` is well-formed XML with one root; returns the elements and their attributes. */
export function checkWellFormedXml(text: string): Array<{ name: string; attrs: Record<string, string>; text: string }> {
  const out: Array<{ name: string; attrs: Record<string, string>; text: string }> = [];
  const stack: Array<{ name: string; text: string; index: number }> = [];
  let i = 0;
  let roots = 0;
  const fail = (why: string): never => { throw new Error(`XML: ${why} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`); };
  const checkText = (t: string): string => {
    if (/&(?![A-Za-z#][^;&\s]*;)/.test(t)) fail('bare &');
    return t.replace(/&([^;]*);/g, (_m, e: string) => {
      if (e === 'amp') return '&'; if (e === 'lt') return '<'; if (e === 'gt') return '>'; if (e === 'quot') return '"'; if (e === 'apos') return "'";
      if (/^#[0-9]+$/.test(e)) return String.fromCodePoint(Number(e.slice(1)));
      if (/^#x[0-9a-fA-F]+$/.test(e)) return String.fromCodePoint(parseInt(e.slice(2), 16));
      return fail(`unknown entity &${e};`);
    });
  };
  if (text.startsWith('<?xml')) { i = text.indexOf('?>') + 2; if (i < 2) fail('unterminated XML declaration'); }
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (/[<>]/.test(chunk.replace(/>/g, ''))) fail('stray <');
    if (stack.length === 0 && chunk.trim() !== '') fail('text outside the root');
    const decoded = checkText(chunk);
    if (stack.length > 0) stack[stack.length - 1]!.text += decoded;
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) { const e = text.indexOf('-->', i); if (e < 0) fail('unterminated comment'); i = e + 3; continue; }
    if (text.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) fail('CDATA outside the root');
      const e = text.indexOf(']]>', i); if (e < 0) fail('unterminated CDATA');
      stack[stack.length - 1]!.text += text.slice(i + 9, e); i = e + 3; continue;
    }
    if (text.startsWith('<?', i)) { const e = text.indexOf('?>', i); if (e < 0) fail('unterminated PI'); i = e + 2; continue; }
    if (text.startsWith('<!', i)) fail('DOCTYPE or declaration not expected');
    if (text.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(i));
      if (!m) fail('bad end tag');
      const top = stack.pop();
      if (!top || top.name !== m![1]) fail(`end tag </${m![1]}> does not match <${top?.name}>`);
      out[top!.index]!.text = top!.text;
      if (stack.length > 0) stack[stack.length - 1]!.text += top!.text;
      i += m![0].length; continue;
    }
    const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(text.slice(i));
    if (!m) fail('bad start tag');
    const attrs: Record<string, string> = {};
    for (const a of m![2]!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1]! in attrs) fail(`duplicate attribute ${a[1]}`);
      attrs[a[1]!] = checkText(a[2] ?? a[3] ?? '');
    }
    if (stack.length === 0) { roots++; if (roots > 1) fail('two root elements'); }
    out.push({ name: m![1]!, attrs, text: '' });
    if (m![3] !== '/') stack.push({ name: m![1]!, text: '', index: out.length - 1 });
    i += m![0].length;
  }
  if (stack.length > 0) throw new Error(`XML: unclosed <${stack[stack.length - 1]!.name}>`);
  if (roots !== 1) throw new Error('XML: no root element');
  return out;
}
