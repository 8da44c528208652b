/**
 * Rewrite `docker run` / `podman run` lines: drop the flags that open escapes (privileged, host
 * namespaces, dangerous mounts and devices, unsafe sysctls, unconfined profiles, caps), add
 * `--cap-drop ALL`, the needed `--cap-add`, no-new-privileges and the generated profiles. Words are
 * re-emitted as written (quotes kept); flags are found with the real flag table, so the image and
 * the command after it are never touched. Lines that are not run commands are kept as they are.
 */

import { DANGEROUS_DEVICE, isDangerousHostPath, isSafeSysctl } from '../checks/registry-helpers.js';
import { type FlagSpec, RUN_FLAGS } from '../ingest/docker-run-flags.js';
import { type ShellWord, scanShell } from '../ingest/docker-run-shell.js';
import type { Workload } from '../model/workload.js';
import { type NamedProfiles, needsOf, profileNames, type WorkloadNeeds } from './needs.js';

const CLI = /^(sudo\s+)?(docker|podman|nerdctl)$/;

/** One shell word: bare when it only holds safe characters, else single-quoted (`'` as `'\''`). */
function word(s: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

export interface PatchedRun {
  text: string;
  runs: Array<{ workload: string; container: string; profiles: NamedProfiles; needs: WorkloadNeeds }>;
}

interface Flag {
  spec: FlagSpec | undefined;
  name: string;
  value?: string;
  /** The words as written, to re-emit a kept flag unchanged. */
  raw: string[];
}

/** Why a flag goes, or undefined to keep it. */
function dropReason(f: Flag): string | undefined {
  const long = f.spec?.long ?? f.name;
  const v = f.value ?? '';
  switch (long) {
    case 'privileged':
      return f.value === undefined || f.value === 'true' ? 'privileged' : undefined;
    case 'cap-add':
    case 'cap-drop':
      return 'dangerous-capability';
    case 'security-opt':
      return /^(seccomp|apparmor)[:=]|^systempaths[:=]|^no-new-privileges/.test(v) ? 'profiles' : undefined;
    case 'pid':
    case 'ipc':
    case 'network':
    case 'net':
    case 'uts':
    case 'cgroupns':
      return v === 'host' ? 'host-namespaces' : undefined;
    case 'volume': {
      const src = v.split(':')[0] ?? '';
      return src.startsWith('/') && isDangerousHostPath(src) ? 'host mount' : undefined;
    }
    case 'mount': {
      const src = /(?:^|,)(?:source|src)=([^,]+)/.exec(v)?.[1];
      return src && /(?:^|,)type=bind(?:,|$)/.test(v) && isDangerousHostPath(src) ? 'host mount' : undefined;
    }
    case 'device':
      return DANGEROUS_DEVICE.test(v.split(':')[0] ?? '') ? 'host-device' : undefined;
    case 'sysctl': {
      const [k = '', ...rest] = v.split('=');
      return isSafeSysctl(k, rest.join('=')) ? undefined : 'unsafe-sysctl';
    }
    default:
      return undefined;
  }
}

/** The flags before the image, then the rest (image and command) untouched. */
function splitRun(words: ShellWord[], start: number): { flags: Flag[]; rest: ShellWord[] } {
  const flags: Flag[] = [];
  let i = start;
  while (i < words.length) {
    const w = words[i] as ShellWord;
    if (w.value === '--') {
      i++;
      break;
    }
    if (!w.value.startsWith('-') || w.value === '-') break;
    if (w.value.startsWith('--')) {
      const [name = '', ...eq] = w.value.slice(2).split('=');
      const spec = RUN_FLAGS.long.get(name);
      if (eq.length) flags.push({ spec, name, value: eq.join('='), raw: [w.raw] });
      else if (spec?.takesValue && i + 1 < words.length) {
        flags.push({
          spec,
          name,
          value: (words[i + 1] as ShellWord).value,
          raw: [w.raw, (words[i + 1] as ShellWord).raw],
        });
        i++;
      } else flags.push({ spec, name, raw: [w.raw] });
      i++;
      continue;
    }
    // short bundle: booleans, and at most one value flag whose value follows
    const letters = w.value.slice(1);
    for (let k = 0; k < letters.length; k++) {
      const spec = RUN_FLAGS.short.get(letters[k] as string);
      if (spec?.takesValue) {
        const inline = letters.slice(k + 1).replace(/^=/, '');
        if (inline)
          flags.push({ spec, name: spec.long, value: inline, raw: [`-${letters[k]}`, word(inline)] });
        else if (i + 1 < words.length) {
          flags.push({
            spec,
            name: spec.long,
            value: (words[i + 1] as ShellWord).value,
            raw: [`-${letters[k]}`, (words[i + 1] as ShellWord).raw],
          });
          i++;
        }
        break;
      }
      flags.push({ spec, name: spec?.long ?? (letters[k] as string), raw: [`-${letters[k]}`] });
    }
    i++;
  }
  return { flags, rest: words.slice(i) };
}

export function hardenDockerRun(text: string, workloads: readonly Workload[], profileDir = '.'): PatchedRun {
  const runs: PatchedRun['runs'] = [];
  const out: string[] = [];
  // Join continuation lines: a rewritten command is written on one line.
  const logical = text.replace(/\\\r?\n/g, ' ').split('\n');
  let n = 0;
  for (const line of logical) {
    const scan = scanShell(line);
    const words = scan.tokens.filter((t): t is ShellWord => t.kind === 'word');
    let k = 0;
    if (words[k]?.value === 'sudo') k++;
    if (
      !words[k] ||
      !CLI.test(words[k]?.value ?? '') ||
      scan.problems.length ||
      scan.tokens.some((t) => t.kind === 'op')
    ) {
      out.push(line);
      continue;
    }
    k++;
    if (words[k]?.value === 'container') k++;
    if (words[k]?.value !== 'run' && words[k]?.value !== 'create') {
      out.push(line);
      continue;
    }
    n++;
    const w = workloads[n - 1];
    const container = w?.containers[0]?.name ?? `run-${n}`;
    const workload = w?.name ?? `docker run #${n}`;
    const needs = needsOf(w?.containers[0]);
    const profiles = profileNames(workload, container);
    const { flags, rest } = splitRun(words, k + 1);
    const kept = flags.filter((f) => !dropReason(f)).flatMap((f) => f.raw);
    const added = [
      '--cap-drop',
      'ALL',
      ...needs.capabilities.flatMap((c) => ['--cap-add', c.toUpperCase()]),
      '--security-opt',
      'no-new-privileges',
      '--security-opt',
      word(`seccomp=${profileDir.replace(/\/$/, '')}/${profiles.seccompFile}`),
      '--security-opt',
      word(`apparmor=${profiles.apparmorName}`),
    ];
    const head = words.slice(0, k + 1).map((x) => x.raw);
    const comment = scan.comment !== undefined ? ` ${line.slice(scan.comment)}` : '';
    const removed = flags.filter((f) => dropReason(f)).map((f) => f.raw.join(' '));
    out.push(
      `${[...head, ...kept, ...added, ...rest.map((x) => x.raw)].join(' ')}${comment}${
        removed.length ? ` # breakwater removed: ${removed.join(' ').replace(/#/g, '')}` : ''
      }`.replace(/ # (.*) # breakwater/, ' # $1; breakwater'),
    );
    runs.push({ workload, container, profiles, needs });
  }
  return { text: out.join('\n'), runs };
}
