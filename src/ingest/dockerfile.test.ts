import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusCases, summarize } from './docker-run-summary.js';
import { readDockerfile } from './dockerfile.js';

const cases = corpusCases('dockerfile');

describe('Dockerfile corpus', () => {
  it('has enough cases', () => expect(cases.length).toBeGreaterThanOrEqual(8));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = readDockerfile(c.text, c.name);
    const { description: _d, ...want } = c.expect;
    expect(summarize(r)).toEqual(want);
    for (const d of r.diagnostics) expect(d.file).toBe(c.name);
  });
});

describe('readDockerfile', () => {
  it('the last USER of the final stage wins', () => {
    const r = readDockerfile('FROM a\nUSER one\nUSER two\n', 'D');
    expect(r.workloads[0]?.containers[0]?.user?.value).toBe('two');
  });

  it('no USER leaves the user absent (the check reads that as root)', () => {
    const c = readDockerfile('FROM a\n', 'D').workloads[0]?.containers[0];
    expect(c?.user).toBeUndefined();
    expect(c?.runAsUser).toBeUndefined();
  });

  it('VOLUME over /proc and WORKDIR under /proc/self/fd survive CRLF line ends', () => {
    const w = readDockerfile('FROM a\r\nVOLUME /proc\r\nWORKDIR /proc/self/fd/5\r\n', 'D').workloads[0];
    expect(w?.dockerfile?.volumes.map((v) => v.value)).toEqual(['/proc']);
    expect(w?.containers[0]?.workdir?.value).toBe('/proc/self/fd/5');
  });

  it('JSON VOLUME strings are decoded from the source: spaces and escapes kept', () => {
    const w = readDockerfile('FROM a\nVOLUME ["/my data", "/a\\u0062"]\n', 'D').workloads[0];
    expect(w?.dockerfile?.volumes.map((v) => v.value)).toEqual(['/my data', '/ab']);
  });

  it('ADD of a local file that merely looks like a host:path is not remote', () => {
    const w = readDockerfile('FROM a\nADD host:path /x\nADD ftp.tar /y\n', 'D').workloads[0];
    expect(w?.dockerfile?.remoteAdds).toEqual([]);
  });

  it('never throws', () => {
    const line = fc.oneof(
      fc.constantFrom(
        'FROM a',
        'FROM a AS b',
        'FROM b',
        'USER',
        'USER x',
        'WORKDIR',
        'WORKDIR rel',
        'VOLUME ["/x"',
        'VOLUME [',
        'ADD',
        'ADD x',
        'ADD <<E /x',
        'E',
        'EXPOSE -1',
        'EXPOSE 99999999999',
        '# syntax=',
        '\\',
        'ONBUILD ADD http://x /y',
        'ARG A',
      ),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (ls) => {
        const r = readDockerfile(ls.join('\n'), 'D');
        expect(r.workloads.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});
