/**
 * Suites that need a real tool (runc, gcc, scmp_sys_resolver, root...) call needTools(): locally a
 * missing tool skips the suite with a printed reason; under CI=true it fails, because CI installs
 * every tool and a silent skip there would hide a broken setup.
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Returns the reason the requirements are not met, or undefined when they are. */
export function missing(tools: readonly string[], opts: { root?: boolean } = {}): string | undefined {
  const absent = tools.filter((t) => !hasCommand(t));
  if (opts.root && !isRoot()) absent.push('root privileges');
  return absent.length ? `needs ${absent.join(', ')}` : undefined;
}

/** describe() that skips (locally) or fails (CI=true) when tools are missing. */
export function describeWithTools(
  name: string,
  tools: readonly string[],
  opts: { root?: boolean },
  body: () => void,
): void {
  const reason = missing(tools, opts);
  if (!reason) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`has its tools (${reason})`, () => {
        throw new Error(`${name}: ${reason}; .ci/run must install it`);
      });
    });
    return;
  }
  console.warn(`[skip] ${name}: ${reason}`);
  describe.skip(`${name} (skipped: ${reason})`, body);
}
