// Typed errors of nodescope. Every error that may reach a user is one of these, with a stable
// `code`; the CLI prints `message` on one line and exits 2. Anything else escaping is a bug.

/** Base of every error nodescope throws on purpose; `code` is stable for scripts and tests. */
export abstract class NodescopeError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A read of target memory or of a file range that is not backed by data. */
export class ReadFault extends NodescopeError {
  readonly code = 'READ_FAULT';
  constructor(readonly address: number, readonly length: number, where = 'target memory') {
    super(`cannot read ${length} bytes at 0x${address.toString(16)} of ${where}`);
  }
}

/** A file that is not what it claims to be (not ELF, truncated, bad note, …). */
export class FormatError extends NodescopeError {
  readonly code = 'FORMAT_ERROR';
  constructor(readonly file: string, readonly what: string) {
    super(`${file}: ${what}`);
  }
}

/** A required V8/Node metadata constant that the binary does not carry. */
export class MissingConstant extends NodescopeError {
  readonly code = 'MISSING_CONSTANT';
  constructor(readonly constantName: string, readonly binary: string) {
    super(`${binary}: required V8 metadata constant ${constantName} is missing`);
  }
}

/** A heap object whose fields do not make sense (bad map, impossible length, …). */
export class CorruptObject extends NodescopeError {
  readonly code = 'CORRUPT_OBJECT';
  constructor(readonly address: number, readonly why: string) {
    super(`corrupt object at 0x${address.toString(16)}: ${why}`);
  }
}

/** A target (core, binary or process) that cannot be used, with what to do about it. */
export class TargetError extends NodescopeError {
  readonly code = 'TARGET_ERROR';
}

/** Bad command-line or REPL input. */
export class UsageError extends NodescopeError {
  readonly code = 'USAGE';
}

/** A walk or scan that hit its depth, length or time limit. */
export class LimitExceeded extends NodescopeError {
  readonly code = 'LIMIT_EXCEEDED';
}

/** Whether `e` is one of our typed errors (the only kind allowed to escape a parser). */
export function isNodescopeError(e: unknown): e is NodescopeError {
  return e instanceof NodescopeError;
}
