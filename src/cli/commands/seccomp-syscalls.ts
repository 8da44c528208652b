/** `breakwater seccomp syscalls --arch ARCH`: the generated table of one architecture. */
import { syscallTable } from '../../seccomp/syscalls/index.js';
import { archFlag } from './context.js';

export async function run(flags: { arch: string; format: string }): Promise<void> {
  const arch = archFlag(flags.arch, '--arch');
  const rows = syscallTable(arch.name);
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  process.stdout.write(`${rows.map((r) => `${r.name.padEnd(width)}  ${r.nr}`).join('\n')}\n`);
}
