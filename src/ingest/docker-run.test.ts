import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDockerRun } from './docker-run.js';
import { RUN_FLAGS } from './docker-run-flags.js';
import { crossCheck, scanShell } from './docker-run-shell.js';
import { corpusCases, mountText, summarize } from './docker-run-summary.js';

const cases = corpusCases('docker-run');

describe('docker run corpus', () => {
  it('has enough command lines', () => {
    const lines = cases.flatMap((c) =>
      c.text.split('\n').filter((l) => /^\s*(sudo\s+)?(docker|podman|nerdctl)\b/.test(l)),
    );
    expect(lines.length).toBeGreaterThanOrEqual(15);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = readDockerRun(c.text, c.name);
    const { description: _d, ...want } = c.expect;
    expect(summarize(r)).toEqual(want);
    for (const d of r.diagnostics) expect(d.file).toBe(c.name);
  });
});

const one = (cmd: string) => {
  const r = readDockerRun(cmd, 'cmd');
  return { r, w: r.workloads[0], c: r.workloads[0]?.containers[0] };
};

describe('readDockerRun', () => {
  it('reads -v before --rm -it: the image is the first non-flag', () => {
    const { c, r } = one('docker run -v /:/host --rm -it alpine');
    expect(r.diagnostics).toEqual([]);
    expect(c?.image?.value).toBe('alpine');
    expect(c?.mounts.map(mountText)).toEqual(['bind /:/host@1:15']);
  });

  it('reads --security-opt=seccomp:unconfined (old colon form, glued value)', () => {
    const { c } = one('docker run --security-opt=seccomp:unconfined alpine');
    expect(c?.seccomp).toEqual({ value: { type: 'unconfined' }, pos: { file: 'cmd', line: 1, column: 27 } });
  });

  it('-p 80:80 is a port, not a device', () => {
    const { c } = one('docker run -p 80:80 alpine');
    expect(c?.devices).toEqual([]);
    expect(c?.ports.map((p) => p.value)).toEqual([80]);
    expect(c?.image?.value).toBe('alpine');
  });

  it('everything after the image is the command, even flags', () => {
    const { c, r } = one('docker run alpine --privileged -v /:/host');
    expect(r.diagnostics).toEqual([]);
    expect(c?.privileged).toBeUndefined();
    expect(c?.mounts).toEqual([]);
  });

  it('-- ends the flags', () => {
    expect(one('docker run --rm -- -weird-image:1').c?.image?.value).toBe('-weird-image:1');
  });

  it('short bundles: booleans then a value flag taking the rest or the next word', () => {
    expect(one('docker run -itv/a:/b alpine').c?.mounts.map(mountText)).toEqual(['bind /a:/b@1:16']);
    expect(one('docker run -itv /a:/b alpine').c?.mounts.map(mountText)).toEqual(['bind /a:/b@1:17']);
    expect(one('docker run -v=/a:/b alpine').c?.mounts.map(mountText)).toEqual(['bind /a:/b@1:15']);
    expect(one('docker run -it=false -d alpine').r.diagnostics).toEqual([]);
  });

  it('a value flag takes the next word even when it starts with a dash', () => {
    const { c, w } = one('docker run --name --rm alpine');
    expect(w?.name).toBe('--rm');
    expect(c?.image?.value).toBe('alpine');
  });

  it('volume target and ro positions point inside the value', () => {
    const m = one('docker run -v /srv:/data:ro,z alpine').c?.mounts[0];
    expect(m?.target.pos.column).toBe(20);
    expect(m?.readOnly).toEqual({ value: true, pos: { file: 'cmd', line: 1, column: 26 } });
  });

  it('named and anonymous volumes are not bind mounts', () => {
    const ms = one('docker run -v data:/data -v /cache alpine').c?.mounts;
    expect(ms?.map((m) => [m.type, m.source?.value, m.target.value])).toEqual([
      ['volume', 'data', '/data'],
      ['volume', undefined, '/cache'],
    ]);
  });

  it('--mount: readonly forms, default type volume, quoted CSV fields', () => {
    const ms = one(
      `docker run --mount type=bind,src=/a,dst=/b,ro=false --mount target=/v --mount 'type=bind,"source=/x,y",target=/z' alpine`,
    ).c?.mounts;
    expect(ms?.map((m) => [m.type, m.source?.value, m.target.value, m.readOnly?.value])).toEqual([
      ['bind', '/a', '/b', false],
      ['volume', undefined, '/v', undefined],
      ['bind', '/x,y', '/z', undefined],
    ]);
  });

  it('no-new-privileges spellings', () => {
    for (const [opt, v] of [
      ['no-new-privileges', true],
      ['no-new-privileges=true', true],
      ['no-new-privileges:true', true],
      ['no-new-privileges=false', false],
    ] as const)
      expect(one(`docker run --security-opt ${opt} alpine`).c?.noNewPrivileges?.value, opt).toBe(v);
  });

  it('--userns values', () => {
    expect(one('docker run --userns host alpine').w?.userNamespace?.value).toBe(false);
    expect(one('podman run --userns=auto alpine').w?.userNamespace?.value).toBe(true);
    expect(one('docker run alpine').w?.userNamespace).toBeUndefined();
  });

  it('--device keeps the host path; --cap-add ALL is all', () => {
    const { c } = one('docker run --device=/dev/sdb:/dev/xvdb:rwm --cap-add ALL alpine');
    expect(c?.devices.map((d) => d.value)).toEqual(['/dev/sdb']);
    expect(c?.capAdd.map((d) => d.value)).toEqual(['all']);
  });

  it('docker 28 --use-api-socket mounts the engine socket', () => {
    const m = one('docker run --use-api-socket alpine').c?.mounts[0];
    expect(m?.type).toBe('bind');
    expect(m?.source?.value).toBe('/var/run/docker.sock');
  });

  it('prompt, env prefix, sudo -u, full path to the binary, docker create', () => {
    const { c, r } = one('$ DOCKER_HOST=x sudo -u root /usr/bin/docker container create --privileged alpine');
    expect(r.diagnostics).toEqual([]);
    expect(c?.privileged?.value).toBe(true);
  });

  it('--cmd text without a trailing newline, CRLF files', () => {
    const r = readDockerRun('docker run \\\r\n  --privileged \\\r\n  alpine\r\n', 'x');
    expect(r.workloads[0]?.containers[0]?.privileged?.pos).toEqual({ file: 'x', line: 2, column: 3 });
    expect(r.workloads[0]?.containers[0]?.image?.pos.line).toBe(3);
  });

  it('warns about spaces after a continuation backslash but still continues', () => {
    const r = readDockerRun('docker run \\  \n  alpine\n', 'x');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['docker-run-space-after-continuation']);
    expect(r.workloads[0]?.containers[0]?.image?.value).toBe('alpine');
  });

  it('an escaped backslash at the end does not continue the line', () => {
    const r = readDockerRun('docker run alpine echo \\\\\ndocker run busybox\n', 'x');
    expect(r.workloads.map((w) => w.containers[0]?.image?.value)).toEqual(['alpine', 'busybox']);
  });

  it('a bad $-brace substitution is a diagnostic, not a throw', () => {
    const r = readDockerRun(`docker run -v \${}:/x alpine`, 'x');
    expect(r.workloads).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['docker-run-bad-substitution']);
  });

  it('long continued commands stay fast (positions by binary search)', () => {
    const text = `docker run \\\n${'  -v /a:/b \\\n'.repeat(20_000)}  alpine\n`;
    const t = Date.now();
    const r = readDockerRun(text, 'x');
    expect(Date.now() - t).toBeLessThan(5_000);
    expect(r.workloads[0]?.containers[0]?.image?.pos.line).toBe(20_002);
  });

  it('an empty input says so', () => {
    expect(readDockerRun('\n# nothing\n', 'x').diagnostics.map((d) => d.code)).toEqual(['docker-run-empty']);
  });

  it('the flag table knows both arities of the flags that matter', () => {
    for (const f of [
      'volume',
      'publish',
      'device',
      'security-opt',
      'cap-add',
      'user',
      'workdir',
      'mount',
      'pid',
    ])
      expect(RUN_FLAGS.long.get(f)?.takesValue, f).toBe(true);
    for (const f of ['privileged', 'rm', 'interactive', 'tty', 'detach', 'read-only', 'init'])
      expect(RUN_FLAGS.long.get(f)?.takesValue, f).toBe(false);
    expect(RUN_FLAGS.short.get('v')?.long).toBe('volume');
    expect(RUN_FLAGS.short.get('h')?.long).toBe('hostname');
  });
});

describe('shell scan', () => {
  it('matches shell-quote on ordinary quoting', () => {
    const word = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_./:=,@+-]{1,8}$/),
      fc.stringMatching(/^[A-Za-z0-9 _./:=-]{0,8}$/).map((s) => `'${s}'`),
      fc.stringMatching(/^[A-Za-z0-9 _./:=-]{0,8}$/).map((s) => `"${s}"`),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/).map((s) => `$${s}`),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/).map((s) => `"\${${s}}x"`),
      fc.constantFrom('a\\ b', '\\"', "$'a\\tb'", 'x"y"z', '\\$HOME'),
    );
    fc.assert(
      fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { maxLength: 8 }), (ws) => {
        const line = ws.map((w) => w.join('')).join(' ');
        const scan = scanShell(line);
        expect(scan.problems).toEqual([]);
        expect(crossCheck(line, scan)).toBe(-1);
        for (const t of scan.tokens)
          if (t.kind === 'word') expect(line.startsWith(t.raw, t.start)).toBe(true);
      }),
    );
  });

  it('keeps variables literal', () => {
    const scan = scanShell(`a "$HOME/x" \${PWD}:/src '$LIT'`);
    expect(scan.tokens.map((t) => (t.kind === 'word' ? t.value : t.op))).toEqual([
      'a',
      '$HOME/x',
      `\${PWD}:/src`,
      '$LIT',
    ]);
  });
});

describe('readDockerRun never throws', () => {
  it('on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = readDockerRun(s, 'f');
        expect(Array.isArray(r.workloads)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('on random docker run lines built from the flag table and shell characters', () => {
    const flags = [...RUN_FLAGS.long.keys()];
    const piece = fc.oneof(
      fc.constantFrom(...flags).map((f) => `--${f}`),
      fc.constantFrom(...flags).map((f) => `--${f}=`),
      fc.constantFrom(
        '-it',
        '-v',
        '-p',
        '-e',
        '-d',
        '-u',
        '-w',
        '--',
        'alpine',
        '/:/host',
        ':',
        ',',
        '=',
        '"',
        "'",
        '\\',
        '$',
        '${',
        '`',
        '#',
        ';',
        '|',
        '(',
        '\n',
        ' \\\n',
      ),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), fc.boolean(), (ps, sep) => {
        const r = readDockerRun(`docker run ${ps.join(sep ? ' ' : '')}`, 'f');
        for (const d of r.diagnostics) expect(d.code).not.toBe('docker-run-internal');
      }),
      { numRuns: 1000 },
    );
  });
});
