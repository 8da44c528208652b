/** A source position: 1-based line and column, as editors show them. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** One problem found in user input. Parsers collect many of these instead of throwing. */
export interface Diagnostic extends SourcePos {
  severity: Severity;
  /** Stable, kebab-case code, e.g. `seccomp-unknown-action`. */
  code: string;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** Base of every error Breakwater raises on purpose; `code` is stable and machine-readable. */
export class BreakwaterError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command-line usage: exit 2. */
export class UsageError extends BreakwaterError {
  constructor(message: string) {
    super(message, 'usage');
  }
}

/** Input that cannot be understood; carries every diagnostic found, with positions: exit 2. */
export class ParseError extends BreakwaterError {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'), diagnostics[0]?.code ?? 'parse-error');
  }
}

/** An unknown syscall name; carries a "did you mean" suggestion when one is close. */
export class UnknownSyscallError extends BreakwaterError {
  constructor(
    readonly syscall: string,
    readonly arch: string,
    readonly suggestion?: string,
  ) {
    super(
      `unknown syscall "${syscall}" on ${arch}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      'unknown-syscall',
    );
  }
}

/** A bug in Breakwater itself: exit 70 and ask for a report. */
export class InternalError extends BreakwaterError {
  constructor(message: string) {
    super(`internal error: ${message} (this is a bug in breakwater; please report it)`, 'internal');
  }
}
