/**
 * `breakwater host --probe`: is the installed runtime vulnerable, asked of the binary itself rather
 * than its version string (distributions backport fixes without changing the version). Each probe
 * runs a harmless re-creation against the real binary: nothing is written, the container has no
 * network and a throwaway busybox root, and everything it starts is deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Component } from '../catalog/schema.js';
import { dockerDefaultSpec, ociConfigJson, writeRootfs } from '../simulate/real/bundle.js';
import { runCommand } from '../simulate/real/probe.js';

export interface BehaviourProbe {
  technique: string;
  cve: string;
  component: Component;
  /** What the binary did: vulnerable, fixed, or could not tell. */
  verdict: 'vulnerable' | 'fixed' | 'inconclusive';
  /** What was run and what it showed. */
  evidence: string;
}

/** Descriptor numbers runc init leaked in the affected releases (7 on most hosts, 8 or 9 on some). */
const LEAKED_FDS = [3, 4, 5, 6, 7, 8, 9, 10];

/** What the container prints: its working directory as the kernel resolves it. */
const SHOW_CWD = 'readlink /proc/self/cwd';

/**
 * CVE-2024-21626: start a container whose working directory is /proc/self/fd/N. A vulnerable runc
 * starts it with a working directory outside the container's root (the kernel shows the path as
 * "(unreachable)/..."); a fixed one refuses to start it or fails the chdir. Read-only: the process
 * only prints where it is.
 */
export async function probeRuncLeakedFd(runc = 'runc'): Promise<BehaviourProbe> {
  const base = { technique: 'runc-leaked-fd-workdir', cve: 'CVE-2024-21626', component: 'runc' as const };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'breakwater-hostprobe-'));
  const state = path.join(dir, 'state');
  const seen: string[] = [];
  try {
    await mkdir(state, { mode: 0o700 });
    // busybox only (no probe): the container just prints where it is.
    await writeRootfs(path.join(dir, 'bundle', 'rootfs'), undefined, { applets: ['readlink'] });
    for (const fd of LEAKED_FDS) {
      const config = JSON.parse(ociConfigJson(dockerDefaultSpec(['/bin/sh', '-c', SHOW_CWD])));
      config.process.cwd = `/proc/self/fd/${fd}`;
      await writeFile(path.join(dir, 'bundle', 'config.json'), JSON.stringify(config));
      const id = `bw-hostprobe-${process.pid}-${fd}-${randomBytes(3).toString('hex')}`;
      try {
        const r = await runCommand(
          'timeout',
          ['-s', 'KILL', '20', runc, '--root', state, 'run', '--bundle', path.join(dir, 'bundle'), id],
          25_000,
        );
        const out = r.stdout.trim();
        // timeout(1) could not run the binary at all: no answer from runc, so no verdict.
        if (r.code === 126 || r.code === 127)
          return {
            ...base,
            verdict: 'inconclusive',
            evidence: `${runc} could not be run: ${r.stderr.trim()}`,
          };
        if (r.code === 0 && out.startsWith('(unreachable)'))
          return {
            ...base,
            verdict: 'vulnerable',
            evidence: `runc started a container with cwd /proc/self/fd/${fd}; its working directory resolved outside the container root: ${out}`,
          };
        seen.push(
          `fd ${fd}: ${r.code === 0 ? `started, cwd ${out || '?'}` : firstLine(r.stderr) || `exit ${r.code}`}`,
        );
      } finally {
        await runCommand(runc, ['--root', state, 'delete', '-f', id], 10_000).catch(() => undefined);
      }
    }
    const refused = seen.filter((s) => !s.includes('started')).length;
    return {
      ...base,
      verdict: refused > 0 || seen.length === LEAKED_FDS.length ? 'fixed' : 'inconclusive',
      evidence: `no working directory /proc/self/fd/{${LEAKED_FDS.join(',')}} led outside the container root (${seen.join('; ')})`,
    };
  } catch (e) {
    return { ...base, verdict: 'inconclusive', evidence: `the probe could not run: ${(e as Error).message}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** runc's error, without its log prefix (`... error during container init: <this>"`). */
function firstLine(s: string): string {
  const l =
    s
      .trim()
      .split('\n')
      .find((x) => x.includes('error')) ??
    s.trim().split('\n')[0] ??
    '';
  const msg = /msg="(?:[^"]*: )?([^":]+: [^"]+)"/.exec(l)?.[1] ?? l;
  return msg.replace(/\s+/g, ' ').slice(0, 160);
}

/** Every behaviour probe that can run here (root and the binary are needed). */
export async function behaviourProbes(notes: string[]): Promise<BehaviourProbe[]> {
  if (process.getuid?.() !== 0) {
    notes.push('--probe needs root (it starts throwaway containers with the installed runtime): skipped');
    return [];
  }
  const out: BehaviourProbe[] = [];
  const which = await runCommand('sh', ['-c', 'command -v runc && command -v busybox'], 5000);
  if (which.code === 0) out.push(await probeRuncLeakedFd());
  else notes.push('--probe: runc or busybox (busybox-static) not found: the runc probe did not run');
  notes.push(
    '--probe: behaviour probes exist for runc (CVE-2024-21626); other components are judged by version only',
  );
  return out;
}
