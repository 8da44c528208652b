/**
 * The daemon lanes: a private dockerd (with its own containerd) and a private podman run the lab's
 * containers with the defence as users pass it (`--security-opt seccomp=FILE`, `--cap-drop ALL
 * --cap-add ...`, `no-new-privileges`). (a) the generated breakwater profile and Docker's default
 * load; (b) every technique step the lab can perform is decided by the kernel as the model says;
 * the benign workloads work under breakwater; (c) nothing is left behind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { TECHNIQUES } from '../../catalog/index.js';
import { builtinDefence } from '../defence.js';
import { generateWithProvenance } from '../provenance.js';
import { runBenignWorkloads } from './benign.js';
import { DOCKER_DEFAULT_CAPS, DOCKER_DEFAULT_PROFILE } from './bundle.js';
import {
  DAEMON_TEMP_PREFIX,
  type DaemonKind,
  type DaemonLane,
  runInLane,
  sharedLane,
  stopSharedLanes,
  unsupportedSettings,
} from './daemon.js';
import { labContainer, runTechnique } from './engine.js';

const TOOLS: Record<DaemonKind, string[]> = {
  docker: ['dockerd', 'docker', 'containerd', 'runc', 'gcc', 'tar'],
  podman: ['podman', 'conmon', 'runc', 'gcc', 'tar'],
};

/** Processes whose command line names the lane's dir (daemons, shims, conmon). */
function processesNaming(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.includes(dir)) out.push(`${e} ${cmd.replace(/\0/g, ' ')}`);
    } catch {
      // gone
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    // A zombie is gone for our purposes (init reaps it).
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

for (const kind of ['docker', 'podman'] as const)
  describeWithTools(`the ${kind} lane`, TOOLS[kind], { root: true }, () => {
    let lane: DaemonLane | undefined;
    let started = 0;
    afterAll(async () => {
      await stopSharedLanes();
    }, 60_000);

    it('(a) loads the generated breakwater profile and docker-default with --security-opt seccomp=FILE', async () => {
      started = performance.now();
      lane = await sharedLane(kind);
      console.log(
        `${kind} lane: ${lane.version}, containers run by ${lane.runtime}, up in ${Math.round(performance.now() - started)} ms`,
      );
      const breakwater = builtinDefence('breakwater');
      const bwCaps = [...breakwater.capabilities].map((c) => `CAP_${c.toUpperCase()}`);
      const cases = [
        {
          name: 'breakwater (breakwater harden seccomp.json)',
          seccompProfile: generateWithProvenance().scheme.seccomp.text,
          capabilities: bwCaps,
          noNewPrivileges: true,
          seccomp: 2,
        },
        {
          name: 'docker-default (data/baselines/docker-default.json)',
          seccompProfile: readFileSync(DOCKER_DEFAULT_PROFILE, 'utf8'),
          capabilities: [...DOCKER_DEFAULT_CAPS],
          noNewPrivileges: false,
          seccomp: 2,
        },
        {
          name: 'none (seccomp=unconfined)',
          capabilities: [...DOCKER_DEFAULT_CAPS],
          noNewPrivileges: false,
          seccomp: 0,
        },
      ];
      for (const c of cases) {
        const r = await runInLane(
          {
            capabilities: c.capabilities,
            noNewPrivileges: c.noNewPrivileges,
            maskedPaths: breakwater.maskedPaths,
            readonlyPaths: breakwater.readonlyPaths,
            ...(c.seccompProfile ? { seccompProfile: c.seccompProfile } : {}),
          },
          [
            '/bin/sh',
            '-c',
            '/probe list | head -n 1; grep -E \'^(Seccomp|NoNewPrivs):\' /proc/self/status; echo "core_pattern=[$(cat /proc/sys/kernel/core_pattern)]"',
          ],
          { lane },
        );
        expect(r.code, `${c.name}: ${r.stderr}`).toBe(0);
        expect(r.stdout, c.name).toMatch(/^[a-z]/); // the probe ran and printed its first primitive
        expect(r.stdout, c.name).toMatch(new RegExp(`^Seccomp:\\s+${c.seccomp}$`, 'm'));
        expect(r.stdout, c.name).toMatch(new RegExp(`^NoNewPrivs:\\s+${c.noNewPrivileges ? 1 : 0}$`, 'm'));
        // breakwater masks core_pattern: podman can (`mask=`), docker run has no option for it.
        if (kind === 'podman') expect(r.stdout).toContain('core_pattern=[]');
        else expect(r.stdout).toMatch(/core_pattern=\[.+\]/);
      }
      const bwSpec = (await labContainer(breakwater)).spec;
      expect(unsupportedSettings(kind, bwSpec).join('\n')).toMatch(
        kind === 'docker' ? /\/proc\/sys\/kernel\/core_pattern/ : /^$/,
      );
    });

    it('(b) the model agrees with the kernel step by step, every technique under every defence', async () => {
      const t0 = performance.now();
      const problems: string[] = [];
      const lines: string[] = [];
      for (const id of ['none', 'docker-default', 'breakwater']) {
        const t = performance.now();
        const defence = builtinDefence(id);
        let compared = 0;
        let agreed = 0;
        let containers = 0;
        for (const tech of TECHNIQUES) {
          const r = await runTechnique(defence, tech, kind);
          if (r.compared.length) containers++;
          compared += r.compared.length;
          for (const c of r.compared) {
            if (c.real.error)
              problems.push(
                `${id} ${tech.id}/${c.chain}#${c.index} ${c.command.join(' ')}: probe error ${c.real.error}`,
              );
            else if (!c.agree)
              problems.push(
                `${id} ${tech.id}/${c.chain}#${c.index} ${c.command.join(' ')}: model ${c.model.decision} (${c.model.layer}: ${c.model.rule}), kernel ${c.real.ok ? 'ok' : c.real.errnoName}`,
              );
            else agreed++;
          }
        }
        const notes = unsupportedSettings(kind, (await labContainer(defence)).spec);
        lines.push(
          `${kind} ${id}: ${agreed}/${compared} steps agree (${containers} containers, ${Math.round(performance.now() - t)} ms)${notes.length ? `; not expressible: ${notes.join(', ')}` : ''}`,
        );
        expect(compared).toBeGreaterThanOrEqual(10);
      }
      console.log(`${lines.join('\n')}\n${kind} matrix: ${Math.round(performance.now() - t0)} ms`);
      expect(problems).toEqual([]);
    }, 300_000);

    it('the benign workloads work under breakwater', async () => {
      const t0 = performance.now();
      const rs = await runBenignWorkloads(builtinDefence('breakwater'), kind);
      const failed = rs
        .filter((r) => !r.ok)
        .map(
          (r) => `${r.workload}: ${r.error}\n    ${r.stderr.trim().split('\n').slice(-12).join('\n    ')}`,
        );
      console.log(
        `${kind} benign under breakwater: ${rs.length - failed.length}/${rs.length} in ${Math.round(performance.now() - t0)} ms`,
      );
      expect(failed).toEqual([]);
    }, 120_000);

    it('(c) leaves nothing behind: no daemon, shim or conmon, no temp dir, no cgroup', async () => {
      const l = lane ?? (await sharedLane(kind));
      const pids = l.pids();
      if (kind === 'docker') expect(pids.length).toBe(2); // containerd and dockerd
      await stopSharedLanes();
      console.log(`${kind} lane: ${Math.round(performance.now() - started)} ms from start to stopped`);
      expect(pids.filter(alive)).toEqual([]);
      expect(processesNaming(l.dir)).toEqual([]);
      expect(existsSync(l.dir)).toBe(false);
      expect(readdirSync(os.tmpdir()).filter((f) => f.startsWith(`${DAEMON_TEMP_PREFIX}${kind}-`))).toEqual(
        [],
      );
      const cgroups = readdirSync('/sys/fs/cgroup').filter((h) =>
        existsSync(path.join('/sys/fs/cgroup', h, l.cgroupParent)),
      );
      expect(cgroups).toEqual([]);
      const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .filter((m) => m.includes(l.dir));
      expect(mounts).toEqual([]);
    }, 60_000);
  });
