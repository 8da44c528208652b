import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob } from './glob.js';
import { globExamples } from './glob-examples.js';
import { referenceMatch } from './glob-reference.js';

const PROC = new Map([['PROC', ['/proc/']]]);
const ex = (g: string) => globExamples(compileGlob(g, { variables: PROC }));

describe('globExamples', () => {
  it.each([
    ['/etc/passwd', ['/etc/passwd']],
    ['/proc/sys/**', ['/proc/sys/x', '/proc/sys/xx', '/proc/sys/xx/x']],
    [
      '@{PROC}/sys/kernel/{core_pattern,modprobe}',
      ['/proc/sys/kernel/core_pattern', '/proc/sys/kernel/modprobe'],
    ],
    ['/sys/fs/cgroup/*/release_agent', ['/sys/fs/cgroup/x/release_agent', '/sys/fs/cgroup/xx/release_agent']],
    ['/run/{docker,containerd/containerd}.sock', ['/run/docker.sock', '/run/containerd/containerd.sock']],
  ])('%s', (glob, want) => {
    expect(ex(glob)).toEqual(want);
  });

  it("follows AppArmor's reading, not the text: a negated class can be `/`, `**` needs a character", () => {
    // [^k] excludes only k, so the only example for /a[^k] that avoids a `/` is a letter; `/a/**` never yields `/a/`
    expect(ex('/a[^k]')).toEqual(['/ax']);
    expect(ex('/a/**')).not.toContain('/a/');
    expect(ex('/a/{,**}')).toContain('/a/');
  });

  it("covers each of docker-default's /proc deny alternatives", () => {
    const got = ex(
      '@{PROC}/{[^1-9/],[^1-9/][^0-9/],[^1-9s/][^0-9y/][^0-9s/],[^1-9/][^0-9/][^0-9/][^0-9/]*}/**',
    );
    expect(got).toEqual(expect.arrayContaining(['/proc/x/x', '/proc/xx/x', '/proc/xxx/x', '/proc/xxxx/x']));
  });

  it('gives nothing for a glob that matches nothing', () => {
    expect(ex('/a[^\\x00-\\xff]')).toEqual([]);
  });

  it('every example of a random glob matches it by the reference matcher, and there is one', () => {
    const seg = fc.array(
      fc.constantFrom('a', 'b', 'sys', '*', '**', '?', '[ab]', '[^a]', '{x,yz}', '{,c}', '.', '\\*'),
      { minLength: 1, maxLength: 4 },
    );
    const glob = fc
      .array(
        seg.map((s) => s.join('')),
        { minLength: 1, maxLength: 4 },
      )
      .map((ss) => `/${ss.join('/')}`);
    fc.assert(
      fc.property(glob, (g) => {
        const xs = globExamples(compileGlob(g));
        expect(xs.length, g).toBeGreaterThan(0);
        for (const x of xs) expect(referenceMatch(g, x), `${g} ~ ${x}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
