// Renders a ValueNode as JS-like text in the manner of util.inspect: quoted strings cut with a
// length note, `<N empty items>` for holes, `[Circular *n]`, `[Object]` beyond depth, Buffers as
// `<Buffer 68 65>`, and functions with where they are defined. One line when it fits.
import type { ElementNode, PropertyNode, ValueNode } from '../../analysis/inspect/value-node.js';

/** Role: options of renderValue. */
export interface ValueTextOptions {
  /** Show every heap value's address (`-a`). */
  readonly addresses?: boolean;
  /** Append ` file:line` to functions (default true). */
  readonly locations?: boolean;
  /** Longest line before entries go on lines of their own (default 80; Infinity: one line). */
  readonly breakLength?: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders `node` as text (no trailing newline). */
export function renderValue(node: ValueNode, options: ValueTextOptions = {}): string {
  return new TextRenderer(options).value(node, 0);
}

class TextRenderer {
  private readonly addresses: boolean;
  private readonly locations: boolean;
  private readonly breakLength: number;

  constructor(options: ValueTextOptions) {
    this.addresses = options.addresses ?? false;
    this.locations = options.locations ?? true;
    this.breakLength = options.breakLength ?? 80;
  }

  value(n: ValueNode, indent: number): string {
    const body = this.body(n, indent);
    const ref = n.ref !== undefined ? `<ref *${n.ref}> ` : '';
    const addr = this.addresses && n.address !== undefined ? `<0x${n.address.toString(16)}> ` : '';
    const corrupt = n.corrupt !== undefined && !body.includes('<corrupt') ? ` <corrupt: ${n.corrupt}>` : '';
    return addr + ref + body + corrupt;
  }

  private body(n: ValueNode, indent: number): string {
    if (n.circular !== undefined) return `[Circular *${n.circular}]`;
    switch (n.type) {
      case 'number':
        return n.value === undefined ? '<corrupt number>' : String(n.value);
      case 'string':
        return n.value === undefined ? '<corrupt string>' : quoteCut(String(n.value), n.length);
      case 'boolean':
        return String(n.value);
      case 'null':
        return 'null';
      case 'undefined':
        return 'undefined';
      case 'hole':
        return '<the hole>';
      case 'bigint':
        return n.value === undefined ? '<corrupt bigint>' : `${String(n.value)}n`;
      case 'symbol':
        return `Symbol(${n.name ?? ''})`;
      case 'Function':
        return this.func(n, indent);
      case 'internal':
        return `<${n.v8Class ?? 'internal'}${n.value !== undefined ? ` ${String(n.value)}` : ''}${n.address !== undefined ? ` 0x${n.address.toString(16)}` : ''}>`;
      case 'unknown':
        return n.address !== undefined ? `<${n.corrupt ?? 'unknown'} at 0x${n.address.toString(16)}>` : `<${n.corrupt ?? 'unknown'}>`;
      default:
        return n.truncated ? `[${truncatedName(n)}]` : this.receiver(n, indent);
    }
  }

  private func(n: ValueNode, indent: number): string {
    const name = n.name ?? '';
    const head = n.functionKind === 'class' ? `[class ${name || '(anonymous)'}${n.extends ? ` extends ${n.extends}` : ''}]` : name === '' ? '[Function (anonymous)]' : `[Function: ${name}]`;
    const loc = this.locations && n.location?.script !== undefined ? ` ${n.location.script}${n.location.line !== undefined ? `:${n.location.line}` : ''}` : '';
    return this.withProps(head + loc, n, indent);
  }

  private receiver(n: ValueNode, indent: number): string {
    const ctor = n.constructorName;
    switch (n.type) {
      case 'Array': {
        const items = [...this.elements(n.elements ?? [], indent), ...this.props(n.properties, indent), ...more(n.more, 'item')];
        const prefix = ctor === null ? `[Array(${n.length ?? '?'}): null prototype] ` : ctor !== undefined && ctor !== 'Array' ? `${ctor}(${n.length ?? '?'}) ` : '';
        return prefix + this.wrap('[', items, ']', indent);
      }
      case 'TypedArray': {
        const items = [...this.elements(n.elements ?? [], indent), ...more(n.more, 'item')];
        return `${ctor ?? 'TypedArray'}(${n.length ?? '?'}) ` + this.wrap('[', items, ']', indent);
      }
      case 'Buffer':
        return `<Buffer${n.value ? ` ${String(n.value)}` : ''}${n.more ? ` ... ${n.more} more byte${n.more === 1 ? '' : 's'}` : ''}>`;
      case 'ArrayBuffer': {
        const items = n.detached
          ? ['(detached)', `byteLength: ${n.byteLength ?? '?'}`]
          : [`[Uint8Contents]: <${String(n.value ?? '')}${n.more ? ` ... ${n.more} more byte${n.more === 1 ? '' : 's'}` : ''}>`, `byteLength: ${n.byteLength ?? '?'}`];
        return `${ctor ?? 'ArrayBuffer'} ${this.wrap('{', items, '}', indent)}`;
      }
      case 'Map':
      case 'WeakMap':
      case 'Set':
      case 'WeakSet': {
        const items = (n.entries ?? []).map((e) =>
          e.value !== undefined ? `${this.value(e.key, indent + 2)} => ${this.value(e.value, indent + 2)}` : this.value(e.key, indent + 2),
        );
        items.push(...this.props(n.properties, indent), ...more(n.more, 'item'));
        const size = n.type === 'Map' || n.type === 'Set' ? `(${n.length ?? '?'})` : '';
        return `${ctor ?? n.type}${size} ${this.wrap('{', items, '}', indent)}`;
      }
      case 'Date':
      case 'RegExp':
        return this.withProps(String(n.value ?? `<corrupt ${n.type}>`), n, indent);
      case 'Error':
        // Stack lines are indented to the nesting level, as util.inspect does.
        return this.withProps(elideCauseFrames(String(n.value ?? ctor ?? 'Error'), n).replace(/\n/g, '\n' + ' '.repeat(indent)), n, indent);
      case 'Promise': {
        const result = n.internal?.find((p) => p.name === 'PromiseResult')?.value;
        const inner = n.state === 'pending' ? '<pending>' : n.state === 'rejected' ? `<rejected> ${result ? this.value(result, indent + 2) : '?'}` : result ? this.value(result, indent + 2) : '?';
        return `${ctor ?? 'Promise'} ${this.wrap('{', [inner, ...this.props(n.properties, indent)], '}', indent)}`;
      }
      case 'PrimitiveWrapper': {
        const v = n.internal?.find((p) => p.name === 'PrimitiveValue')?.value;
        const name = v === undefined ? 'Object' : wrapperName(v);
        return this.withProps(`[${name}: ${v ? this.value(v, indent + 2) : '?'}]`, n, indent);
      }
      case 'BoundFunction':
        return `[Function: ${n.name ?? 'bound'}]`;
      case 'Proxy': {
        const target = n.internal?.find((p) => p.name === 'Target')?.value;
        return `Proxy(${target ? this.value(target, indent) : '?'})`;
      }
      default: {
        const items = [...this.props(n.properties, indent), ...more(n.more, 'property', 'properties')];
        if (n.embedderFields !== undefined) items.push(`[[EmbedderFields]]: ${this.wrap('[', n.embedderFields.map((f) => (f.nativeClass !== undefined ? `${f.value} (${f.nativeClass})` : f.value)), ']', indent + 2)}`);
        const tag = n.stringTag !== undefined && n.stringTag !== ctor ? `[${n.stringTag}] ` : '';
        const prefix = ctor === null ? '[Object: null prototype] ' : ctor !== undefined && (ctor !== 'Object' || tag !== '') ? `${ctor} ` : tag !== '' ? 'Object ' : '';
        return prefix + tag + this.wrap('{', items, '}', indent);
      }
    }
  }

  /** `{ head props }`: a function, error, date or wrapper with own properties, as util.inspect's compact mode puts it. */
  private withProps(head: string, n: ValueNode, indent: number): string {
    const props = this.props(n.properties, indent);
    if (props.length === 0) return head;
    if (head.includes('\n')) return `{ ${head}\n${' '.repeat(indent + 2)}${props.join(`,\n${' '.repeat(indent + 2)}`)} }`;
    const one = `{ ${head} ${props.join(', ')} }`;
    return one.length + indent <= this.breakLength && !one.includes('\n') ? one : `{ ${head}\n${' '.repeat(indent + 2)}${props.join(`,\n${' '.repeat(indent + 2)}`)} }`;
  }

  private props(props: readonly PropertyNode[] | undefined, indent: number): string[] {
    if (props === undefined) return [];
    return props.map((p) => {
      const plain = p.name.startsWith('[Symbol(') || IDENTIFIER.test(p.name) ? p.name : quote(p.name);
      const key = p.enumerable === false && !plain.startsWith('[') ? `[${plain}]` : plain;
      if (p.accessor !== undefined) return `${key}: ${p.accessor === 'both' ? '[Getter/Setter]' : p.accessor === 'getter' ? '[Getter]' : '[Setter]'}`;
      return `${key}: ${this.value(p.value, indent + 2)}`;
    });
  }

  private elements(items: readonly ElementNode[], indent: number): string[] {
    return items.map((e) => {
      if (e.type === 'hole' && 'count' in e) return `<${e.count} empty item${e.count === 1 ? '' : 's'}>`;
      return this.value(e as ValueNode, indent + 2);
    });
  }

  private wrap(open: string, items: readonly string[], close: string, indent: number): string {
    if (items.length === 0) return open + close;
    const one = `${open} ${items.join(', ')} ${close}`;
    if (indent + one.length <= this.breakLength && (!one.includes('\n') || this.breakLength === Infinity)) return one;
    const pad = ' '.repeat(indent + 2);
    return `${open}\n${items.map((i) => pad + i).join(',\n')}\n${' '.repeat(indent)}${close}`;
  }
}

function more(n: number | undefined, one: string, many = `${one}s`): string[] {
  return n ? [`... ${n} more ${n === 1 ? one : many}`] : [];
}

function truncatedName(n: ValueNode): string {
  if (typeof n.constructorName === 'string') return n.type === 'Array' && n.constructorName === 'Array' ? 'Array' : n.constructorName;
  return n.type === 'Array' ? 'Array' : 'Object';
}

function wrapperName(v: ValueNode): string {
  switch (v.type) {
    case 'number':
      return 'Number';
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'symbol':
      return 'Symbol';
    case 'bigint':
      return 'BigInt';
    default:
      return 'Object';
  }
}

/** Quotes a string the way util.inspect does: single quotes unless the text has some. */
export function quote(s: string): string {
  const q = !s.includes("'") ? "'" : !s.includes('"') ? '"' : !s.includes('`') && !s.includes('${') ? '`' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
    else out += ch;
  }
  return q + out + q;
}

function quoteCut(text: string, length: number | undefined): string {
  const rest = length !== undefined ? length - text.length : 0;
  return quote(text) + (rest > 0 ? `... ${rest} more character${rest === 1 ? '' : 's'}` : '');
}

/**
 * An error whose `cause` is an error with a stack: the run of frames both stacks share (at least
 * four) is cut to its first and last line with `... N lines matching cause stack trace ...`
 * between them, as util.inspect's getStackFrames does.
 */
function elideCauseFrames(stack: string, n: ValueNode): string {
  const cause = n.properties?.find((p) => p.name === 'cause' && p.enumerable === false)?.value;
  if (cause?.type !== 'Error' || typeof cause.value !== 'string') return stack;
  const at = cause.value.indexOf('\n    at');
  if (at < 0) return stack;
  const frames = stack.split('\n');
  const causeFrames = cause.value.slice(at + 1).split('\n');
  const { len, offset } = sharedRun(frames, causeFrames);
  if (len === 0) return stack;
  const skipped = len - 2;
  frames.splice(offset + 1, skipped, `    ... ${skipped} lines matching cause stack trace ...`);
  return frames.join('\n');
}

/** The first run of more than three lines of `a` that also appears in `b` with more than three lines left. */
function sharedRun(a: readonly string[], b: readonly string[]): { len: number; offset: number } {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = b.indexOf(a[i]!);
    if (pos === -1 || b.length - pos <= 3) continue;
    const maxLen = Math.min(a.length - i, b.length - pos);
    let len = 1;
    while (len < maxLen && a[i + len] === b[pos + len]) len++;
    if (len > 3) return { len, offset: i };
  }
  return { len: 0, offset: 0 };
}
