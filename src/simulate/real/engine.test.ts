/**
 * Every technique under every built-in defence, step by step on the real kernel: each step the
 * probe can perform runs in a container built from the defence and the technique's preconditions,
 * and the kernel's answer must equal the model's (with the layers this lab cannot build — AppArmor,
 * user namespaces — off on both sides). A disagreement prints both answers.
 */
import { expect, it } from 'vitest';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { TECHNIQUES } from '../../catalog/index.js';
import { builtinDefence } from '../defence.js';
import { mapStep, runTechnique } from './engine.js';

for (const runtime of ['runc', 'crun'] as const)
  describeWithTools(
    `the model agrees with the kernel step by step (${runtime})`,
    [runtime, 'gcc', 'unshare'],
    { root: true },
    () => {
      it.each(['none', 'docker-default', 'breakwater'])(
        '%s: every comparable step of every technique',
        async (id) => {
          const defence = builtinDefence(id);
          let compared = 0;
          const problems: string[] = [];
          for (const t of TECHNIQUES) {
            const r = await runTechnique(defence, t, runtime);
            compared += r.compared.length;
            for (const c of r.compared) {
              if (c.real.error)
                problems.push(
                  `${t.id}/${c.chain}#${c.index} ${c.command.join(' ')}: probe error ${c.real.error}`,
                );
              else if (!c.agree)
                problems.push(
                  `${t.id}/${c.chain}#${c.index} ${c.command.join(' ')}: model ${c.model.decision} (${c.model.layer}: ${c.model.rule}), kernel ${c.real.ok ? 'ok' : c.real.errnoName}`,
                );
            }
          }
          expect(problems).toEqual([]);
          expect(compared).toBeGreaterThanOrEqual(10);
        },
        120_000,
      );
    },
  );

it('maps primitives to probe commands only where the probe is faithful', () => {
  const step = (primitive: Parameters<typeof mapStep>[0]['primitive']) => ({ why: 'x', primitive });
  expect(mapStep(step({ kind: 'syscall', name: 'unshare', args: [0x10020000n] }))).toEqual([
    'unshare',
    '10020000',
  ]);
  expect(mapStep(step({ kind: 'syscall', name: 'setns' }))).toEqual(['setns-self']);
  expect(mapStep(step({ kind: 'syscall', name: 'mknodat', args: [0n, 0n, 0o060600n] }))).toEqual([
    'mknod-block',
    '/tmp/bw-blk',
  ]);
  expect(mapStep(step({ kind: 'syscall', name: 'mknodat', args: [0n, 0n, 0o100600n] }))).toBeUndefined();
  expect(mapStep(step({ kind: 'network', domain: 'alg', type: 'seqpacket' }))).toEqual(['socket', '38', '5']);
  expect(mapStep(step({ kind: 'file', path: '/proc/sys/kernel/core_pattern', access: 'w' }))).toEqual([
    'open',
    '/proc/sys/kernel/core_pattern',
    'w',
  ]);
  expect(mapStep(step({ kind: 'file', path: '/etc/shadow', access: 'r' }))).toBeUndefined();
  expect(mapStep(step({ kind: 'mount', fstype: 'cgroup', target: '/tmp/x' }))).toBeUndefined();
});
