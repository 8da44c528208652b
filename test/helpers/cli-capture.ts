/**
 * In-process CLI command tests: capture stdout/stderr, give each test a temp dir, and reset
 * process.exitCode around it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';

export interface Captured {
  readonly out: string;
  readonly err: string;
  readonly dir: string;
  /** Write a file in the test's temp dir and return its path. */
  write(name: string, text: string): string;
  /** Forget what was written so far (several runs in one test). */
  clear(): void;
}

export function captureCli(prefix: string): Captured {
  const state = { out: '', err: '', dir: '' };
  beforeEach(() => {
    state.dir = mkdtempSync(join(tmpdir(), prefix));
    state.out = '';
    state.err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      state.out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      state.err += String(s);
      return true;
    });
    process.exitCode = undefined;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(state.dir, { recursive: true, force: true });
    process.exitCode = undefined;
  });
  return {
    get out() {
      return state.out;
    },
    get err() {
      return state.err;
    },
    get dir() {
      return state.dir;
    },
    clear() {
      state.out = '';
      state.err = '';
    },
    write(name, text) {
      const p = join(state.dir, name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
  };
}
