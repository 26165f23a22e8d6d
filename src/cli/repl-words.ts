// Turns one REPL line into command words: shell-like splitting with quotes, and the habits of
// mdb_v8 (`::jsstack`, `ADDR::jsprint`) and llnode (`v8 bt`, `v8 inspect ADDR`).

/** Splits a line into words; single and double quotes group, backslash escapes. */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += ch;
  }
  if (has || cur) out.push(cur);
  return out;
}

/** Rewrites mdb-style words: `::cmd a` → `cmd a`, `ADDR::cmd a` → `cmd ADDR a`, `v8 inspect` → `print`. */
export function rewriteDialect(words: readonly string[]): string[] {
  const [first, ...rest] = words;
  if (first === undefined) return [];
  const m = /^(.*?)::(\w+)$/.exec(first);
  if (m) return m[1] ? [m[2]!, m[1], ...rest] : [m[2]!, ...rest];
  if (first === 'v8' && rest[0] === 'inspect') return ['print', ...rest.slice(1)];
  return [...words];
}
