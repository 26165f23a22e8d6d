// Keeps the TAP block of every failing test (the `not ok` line and its indented YAML up to `...`)
// from a test runner's output, fed in chunks, to print again at the end. Suites that failed only
// because a subtest did are left out; blocks and their number are capped.
const MAX_BLOCKS = 40;
const MAX_LINES = 30;

/** Role: failing-test blocks out of TAP text. */
export class FailureCollector {
  private rest = '';
  private current: string[] | undefined;
  private indent = 0;
  private readonly blocks: string[][] = [];
  count = 0;

  push(text: string): void {
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** Every kept block, each ending at its `...` line (or cut at MAX_LINES). */
  summary(): string {
    if (this.rest !== '') this.line(this.rest);
    this.rest = '';
    this.close();
    return this.blocks.map((b) => b.join('\n') + '\n').join('');
  }

  private line(line: string): void {
    const m = /^(\s*)not ok \d+ - /.exec(line);
    if (m !== null) {
      this.close();
      this.current = [line];
      this.indent = m[1]!.length;
      return;
    }
    if (this.current === undefined) return;
    if (this.current.length < MAX_LINES) this.current.push(line);
    if (line.trim() === '...' && line.length - line.trimStart().length === this.indent + 2) this.close();
  }

  private close(): void {
    const b = this.current;
    this.current = undefined;
    if (b === undefined || b.some((l) => /failureType: 'subtestsFailed'/.test(l))) return;
    this.count++;
    if (this.blocks.length < MAX_BLOCKS) this.blocks.push(b);
  }
}
