import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as c from './constants.js';

const here = dirname(fileURLToPath(import.meta.url));
const uapiPath = join(here, '..', '..', '..', 'shared', 'reference', 'uapi-constants.json');

describe('catalog constants', () => {
  it('match the kernel UAPI values in the reference', () => {
    if (!existsSync(uapiPath)) {
      if (process.env.CI === 'true') throw new Error(`missing ${uapiPath}`);
      console.warn('[skip] ../shared/reference not present');
      return;
    }
    const uapi = JSON.parse(readFileSync(uapiPath, 'utf8')) as Record<
      string,
      { values: Record<string, { value: number }> }
    >;
    const ref = (group: string, name: string) => BigInt(uapi[group]?.values[name]?.value ?? Number.NaN);
    const pairs: Array<[bigint, bigint]> = [
      [c.CLONE_NEWNS, ref('CLONE', 'CLONE_NEWNS')],
      [c.CLONE_NEWCGROUP, ref('CLONE', 'CLONE_NEWCGROUP')],
      [c.CLONE_NEWUSER, ref('CLONE', 'CLONE_NEWUSER')],
      [c.AF_UNIX, ref('AF', 'AF_UNIX')],
      [c.AF_INET, ref('AF', 'AF_INET')],
      [c.SOCK_STREAM, ref('SOCK', 'SOCK_STREAM')],
      [c.RENAME_EXCHANGE, ref('RENAME', 'RENAME_EXCHANGE')],
      [c.S_IFBLK, ref('S_IF', 'S_IFBLK')],
    ];
    for (const [ours, theirs] of pairs) expect(ours).toBe(theirs);
  });

  it('encode negative ints and device numbers as the kernel receives them', () => {
    expect(BigInt.asIntN(64, c.AT_FDCWD)).toBe(-100n);
    expect(c.DEV_SDA).toBe(0x800n);
  });
});
