// printf of the probe language, formatted on our side from the values the agent sends: %d %i %u
// %x %X %c %s %S %f %e %g with flags (-, +, space, 0, #), width and precision, and %%.

/** Formats `format` with `args` (the checker guarantees the count; missing ones print as 0). */
export function formatPrintf(format: string, args: readonly unknown[]): string {
  let i = 0;
  return format.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (all, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const v = args[i++];
    const n = typeof v === 'number' ? v : Number(v);
    const num = Number.isFinite(n) ? n : 0;
    const p = prec === undefined ? undefined : Number(prec);
    let body: string;
    switch (conv) {
      case 'd': case 'i': body = Math.trunc(num).toString(); break;
      case 'u': body = Math.trunc(Math.abs(num)).toString(); break;
      case 'x': body = (flags.includes('#') ? '0x' : '') + Math.trunc(num).toString(16); break;
      case 'X': body = (flags.includes('#') ? '0X' : '') + Math.trunc(num).toString(16).toUpperCase(); break;
      case 'f': body = num.toFixed(p ?? 6); break;
      case 'e': body = num.toExponential(p ?? 6); break;
      case 'g': body = String(Number(num.toPrecision(p ?? 6))); break;
      case 'c': body = typeof v === 'string' ? v.slice(0, 1) : String.fromCharCode(num); break;
      case 's': case 'S': body = v === undefined ? '' : String(v); if (p !== undefined) body = body.slice(0, p); break;
      default: return all;
    }
    if ('dif'.includes(conv) || conv === 'e' || conv === 'g') {
      if (num >= 0 && flags.includes('+')) body = `+${body}`;
      else if (num >= 0 && flags.includes(' ')) body = ` ${body}`;
    }
    const w = width === undefined ? 0 : Number(width);
    if (body.length >= w) return body;
    if (flags.includes('-')) return body.padEnd(w);
    if (flags.includes('0') && conv !== 's' && conv !== 'c') {
      const sign = /^[+\- ]/.test(body) ? body[0]! : '';
      return sign + body.slice(sign.length).padStart(w - sign.length, '0');
    }
    return body.padStart(w);
  });
}
