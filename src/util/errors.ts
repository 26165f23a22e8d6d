// Typed errors of nodescope. Every error that may reach a user is one of these, with a stable
// `code` (docs/errors.md lists them all); the CLI prints `nodescope: CODE: message` on one line
// and exits 2. Anything else escaping is a bug (exit 1). Code branches on `code`, never on text.

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

/** Role: the codes a TargetError may carry (TARGET_ERROR when none is more precise). */
export type TargetErrorCode = 'TARGET_ERROR' | 'NO_PROCESS' | 'NO_PERMISSION' | 'NOT_NODE' | 'MISSING_TOOL' | 'LIVE_FAILED' | 'UNSUPPORTED';

/** A target (core, binary or process) that cannot be used, with what to do about it. */
export class TargetError extends NodescopeError {
  constructor(
    message: string,
    readonly code: TargetErrorCode = 'TARGET_ERROR',
  ) {
    super(message);
  }
}

/** A file the operating system will not give us (missing, a folder, a device, no permission). */
export class FileError extends NodescopeError {
  readonly code = 'FILE_ERROR';
  constructor(readonly file: string, readonly what: string) {
    super(`${file}: ${what}`);
  }
}

/** Bad command-line or REPL input. */
export class UsageError extends NodescopeError {
  readonly code = 'USAGE';
}

/** An address given to print (or another inspector) that is not the start of a heap object. */
export class NotAnObject extends NodescopeError {
  readonly code = 'NOT_AN_OBJECT';
}

/** A walk or scan that hit its depth, length or time limit. */
export class LimitExceeded extends NodescopeError {
  readonly code = 'LIMIT_EXCEEDED';
}

/** Whether `e` is one of our typed errors (the only kind allowed to escape a parser). */
export function isNodescopeError(e: unknown): e is NodescopeError {
  return e instanceof NodescopeError;
}

/** Whether `e` is an operating-system error from Node's fs or child_process (it has an errno `code` such as ENOENT). */
export function isErrnoError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code!);
}
