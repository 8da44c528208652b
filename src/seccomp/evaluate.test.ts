import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decisionLabel, readEvalTables } from './eval-cases.js';
import {
  type CompiledProfile,
  compileProfile,
  evaluate,
  evaluateStack,
  ProfileLoadError,
} from './evaluate.js';
import { loadKnownSyscalls } from './known.js';
import type { SeccompProfile } from './model.js';
import { parseProfile } from './profile/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const corpus = join(root, 'test', 'corpus', 'seccomp-eval');

function load(path: string): SeccompProfile {
  const { profile, diagnostics } = parseProfile(readFileSync(path, 'utf8'), path);
  // warnings are expected in these tables (they exercise odd-but-loadable profiles)
  if (!profile) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return profile;
}

function inline(json: object): SeccompProfile {
  const { profile, diagnostics } = parseProfile(JSON.stringify(json), 'inline.json');
  if (!profile) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return profile;
}

for (const table of readEvalTables(corpus)) {
  describe(`expectation table ${table.name}`, () => {
    const profile = load(table.profilePath);
    const compiled = new Map<string, CompiledProfile>();
    type Case = (typeof table.cases)[number];
    const run = (c: Case) => {
      const key = JSON.stringify(c.context);
      let comp = compiled.get(key);
      if (!comp) {
        const { known, ...ctx } = c.context;
        comp = compileProfile(profile, {
          arch: c.context.host ?? 'x86_64',
          ...ctx,
          ...(known
            ? {
                knownSyscalls: loadKnownSyscalls(
                  join(root, 'data', 'libseccomp', `known-syscalls-${known}.txt`),
                ),
              }
            : {}),
        });
        compiled.set(key, comp);
      }
      const d = evaluate(comp, { arch: c.arch, syscall: c.nr, args: c.args });
      expect(decisionLabel(d.action, d.errno)).toBe(c.expected);
    };
    const title = (c: Case) =>
      `${c.line}: ${c.arch} ${c.syscall}(${c.args.map((a) => `0x${a.toString(16)}`).join(',')}) -> ${c.expected}${c.why ? ` — ${c.why}` : ''}`;
    const known = table.cases.filter((c) => !c.todo);
    const gaps = table.cases.filter((c) => c.todo);
    if (known.length) it.each(known.map((c) => [title(c), c] as const))('%s', (_, c) => run(c));
    // Known gaps stay visible: these must keep failing until the model learns them.
    if (gaps.length) it.fails.each(gaps.map((c) => [title(c), c] as const))('todo %s', (_, c) => run(c));
  });
}

describe('evaluate', () => {
  const base = {
    defaultAction: 'SCMP_ACT_ERRNO',
    architectures: ['SCMP_ARCH_X86_64'],
    syscalls: [
      { names: ['read'], action: 'SCMP_ACT_ALLOW' },
      { names: ['getpid'], action: 'SCMP_ACT_KILL' },
    ],
  };

  it('names the rule that decided, with its position', () => {
    const c = compileProfile(inline(base));
    const d = evaluate(c, { arch: 'x86_64', syscall: 'read' });
    expect(d).toMatchObject({ action: 'SCMP_ACT_ALLOW', source: 'rule', rule: { index: 0, name: 'read' } });
    expect(d.rule?.pos?.line).toBe(1);
    expect(evaluate(c, { arch: 'x86_64', syscall: 'write' })).toMatchObject({
      source: 'default',
      rule: null,
      errno: 1,
    });
  });

  it('reports SCMP_ACT_KILL as KILL_THREAD, as libseccomp defines it', () => {
    const c = compileProfile(inline(base));
    expect(evaluate(c, { arch: 'x86_64', syscall: 'getpid' }).action).toBe('SCMP_ACT_KILL_THREAD');
  });

  it('runc 1.1 refuses profiles with flags (specconv: "seccomp flags are not yet supported")', () => {
    const p = inline({ ...base, flags: ['SECCOMP_FILTER_FLAG_LOG'] });
    expect(() => compileProfile(p)).toThrow(ProfileLoadError);
    expect(() => compileProfile(p, { runtime: 'libseccomp' })).not.toThrow();
  });

  it('libseccomp refuses identical conditional rules with different actions (EEXIST)', () => {
    const args = [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }];
    const p: SeccompProfile = {
      format: 'oci',
      defaultAction: 'SCMP_ACT_KILL_PROCESS',
      architectures: [],
      flags: [],
      syscalls: [
        {
          names: ['read'],
          action: 'SCMP_ACT_ALLOW',
          args: args.map((a) => ({ ...a, value: 1n, valueTwo: 0n, op: 'SCMP_CMP_EQ' as const })),
        },
        {
          names: ['read'],
          action: 'SCMP_ACT_TRAP',
          args: args.map((a) => ({ ...a, value: 1n, valueTwo: 0n, op: 'SCMP_CMP_EQ' as const })),
        },
      ],
    };
    expect(() => compileProfile(p)).toThrow(/conflicts with an earlier rule/);
  });

  it('skips names the runtime libseccomp does not know (runc: "unknown seccomp syscall ignored")', () => {
    const p = inline({
      ...base,
      syscalls: [...base.syscalls, { names: ['cachestat'], action: 'SCMP_ACT_ALLOW' }],
    });
    const known = { label: 'old', names: new Set(['read', 'getpid']), overrides: new Map() };
    const c = compileProfile(p, { knownSyscalls: known });
    expect(c.skippedNames.map((s) => s.name)).toEqual(['cachestat']);
    // cachestat (451) is then above every number runc saw: its -ENOSYS stub answers
    expect(evaluate(c, { arch: 'x86_64', syscall: 'cachestat' })).toMatchObject({
      errno: 38,
      source: 'runc-enosys-stub',
    });
    expect(evaluate(compileProfile(p), { arch: 'x86_64', syscall: 'cachestat' }).action).toBe(
      'SCMP_ACT_ALLOW',
    );
  });

  it('no -ENOSYS stub when the default action allows (patchbpf generatePatch)', () => {
    const c = compileProfile(
      inline({
        ...base,
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [{ names: ['mount'], action: 'SCMP_ACT_ERRNO' }],
      }),
    );
    expect(evaluate(c, { arch: 'x86_64', syscall: 400 })).toMatchObject({
      action: 'SCMP_ACT_ALLOW',
      source: 'default',
    });
  });

  it('stacked filters: the most severe action wins (kernel/seccomp.c)', () => {
    const allowAll = compileProfile(
      inline({
        defaultAction: 'SCMP_ACT_ALLOW',
        architectures: ['SCMP_ARCH_X86_64'],
        syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_LOG' }],
      }),
    );
    const strict = compileProfile(inline(base));
    expect(evaluateStack([allowAll, strict], { arch: 'x86_64', syscall: 'mkdir' })).toMatchObject({
      action: 'SCMP_ACT_ERRNO',
    });
    expect(evaluateStack([allowAll, strict], { arch: 'x86_64', syscall: 'read' })).toMatchObject({
      action: 'SCMP_ACT_ALLOW',
    });
    expect(evaluateStack([strict, allowAll], { arch: 'x86_64', syscall: 'getpid' })).toMatchObject({
      action: 'SCMP_ACT_KILL_THREAD',
    });
  });
});
