// Turns argv words into ParsedArgs for one command, from its ArgSpec list. Accepts `--name v`,
// `--name=v`, `-x v`, flags, positionals in order and `--` for verbatim rest. Errors are UsageError.
import type { ArgSpec, ParsedArgs } from '../commands/command.js';
import { UsageError } from '../util/errors.js';

/** Parses `words` against `specs`; throws UsageError with the fix on bad input. */
export function parseArgs(command: string, specs: readonly ArgSpec[], words: readonly string[]): ParsedArgs {
  // No prototype: an option may be called `constructor` (objects -c) without meeting Object's.
  const values: Record<string, string | number | boolean | string[] | undefined> = Object.create(null);
  const given = optionsGiven(specs, words);
  const omitted = (s: ArgSpec): boolean => s.omittedBy !== undefined && given.has(s.omittedBy);
  const positionals = specs.filter((s) => s.kind === 'positional' && !omitted(s));
  let posIndex = 0;
  let rest: string[] = [];
  const set = (spec: ArgSpec, raw: string | boolean): void => {
    let v: string | number | boolean = raw;
    if (spec.type === 'number' && typeof raw === 'string') {
      // Decimal only: Number() would read '' as 0 and '0x10' as 16.
      const kind = spec.integer ? 'a whole number' : 'a number';
      const bound = spec.min !== undefined ? ` of at least ${spec.min}` : '';
      const ok = spec.integer ? /^-?\d+$/.test(raw) : /^-?(\d+(\.\d*)?|\.\d+)$/.test(raw);
      const n = Number(raw);
      if (!ok || !Number.isFinite(n) || (spec.integer && !Number.isSafeInteger(n)) || (spec.min !== undefined && n < spec.min)) {
        const flag = spec.kind === 'positional' ? `<${spec.name}>` : spec.short !== undefined ? `-${spec.short}/--${spec.name}` : `--${spec.name}`;
        throw new UsageError(`${command}: ${flag} takes ${kind}${bound}, not '${raw}'`);
      }
      v = n;
    }
    if (spec.repeatable) {
      const list = (values[spec.name] as string[] | undefined) ?? [];
      list.push(String(v));
      values[spec.name] = list;
    } else values[spec.name] = v;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      rest = words.slice(i + 1);
      break;
    }
    if (w.startsWith('-') && w.length > 1 && !/^-\d/.test(w)) {
      const long = w.startsWith('--');
      const eq = w.indexOf('=');
      const name = long ? w.slice(2, eq > 0 ? eq : undefined) : w.slice(1, 2);
      const spec = specs.find((s) => s.kind !== 'positional' && (long ? s.name === name : s.short === name));
      if (!spec) {
        const near = specs.filter((s) => s.kind !== 'positional').map((s) => `--${s.name}`).join(', ');
        throw new UsageError(`${command}: unknown option ${w}${near ? ` (options: ${near})` : ''}`);
      }
      if (spec.kind === 'flag') {
        set(spec, true);
        continue;
      }
      let value: string | undefined;
      if (long && eq > 0) value = w.slice(eq + 1);
      else if (!long && w.length > 2) value = w.slice(2);
      else value = words[++i];
      if (value === undefined) throw new UsageError(`${command}: ${w} needs a value`);
      set(spec, value);
      continue;
    }
    const spec = positionals[posIndex];
    if (!spec) throw new UsageError(`${command}: unexpected argument '${w}'`);
    set(spec, w);
    if (!spec.repeatable) posIndex++;
  }
  for (const s of specs) {
    if (values[s.name] === undefined && s.default !== undefined) values[s.name] = s.default;
    if (s.required && values[s.name] === undefined && !omitted(s)) {
      throw new UsageError(`${command}: missing ${s.kind === 'positional' ? `<${s.name}>` : `--${s.name}`} (see 'nodescope ${command} --help')`);
    }
  }
  return { values, rest };
}

/** Names of the options and flags that occur in `words` (before `--`), values not checked. */
function optionsGiven(specs: readonly ArgSpec[], words: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') break;
    if (!w.startsWith('-') || w.length < 2 || /^-\d/.test(w)) continue;
    const long = w.startsWith('--');
    const eq = w.indexOf('=');
    const name = long ? w.slice(2, eq > 0 ? eq : undefined) : w.slice(1, 2);
    const spec = specs.find((s) => s.kind !== 'positional' && (long ? s.name === name : s.short === name));
    if (spec === undefined) continue;
    names.add(spec.name);
    if (spec.kind === 'option' && !(long && eq > 0) && !(!long && w.length > 2)) i++;
  }
  return names;
}
