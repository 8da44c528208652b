/**
 * The generated AppArmor profile: docker-default's protections, with its gaps closed, plus a deny
 * rule for every file, mount, capability and socket primitive the catalog's escapes use that an
 * application does not need. Everything is rendered through the builder (validated, escaped
 * names), so nothing from a workload's name can add a rule.
 *
 * Differences from docker-default, each for a measured gap (see `breakwater apparmor lint`):
 * - capabilities: only those the workload keeps, and the escape capabilities denied explicitly, so
 *   a `--cap-add` or a broader runtime set does not reach them;
 * - all of /proc/sys and /sys are write-denied (docker-default's `{?,??,[^s][^h][^m]**}` leaves
 *   kernel/yama, kernel/sysrq and kernel/sched_* writable, and /sys/fs/cgroup);
 * - release_agent / notify_on_release are denied wherever a cgroupfs is mounted;
 * - unix sockets only between processes of this profile; runtime API sockets denied as files;
 * - umount and pivot_root denied, not only mount;
 * - writes to container runtime binaries and to the host's persistence paths denied.
 */

import { DOCKER_DAEMON_PROFILE } from '../apparmor/baselines/docker-default.js';
import {
  type BuiltRule,
  capability,
  comment,
  file,
  fileAll,
  globPattern as g,
  mount,
  network,
  pivotRoot,
  ptrace,
  renderProfile,
  signal,
  umount,
  unix,
} from '../apparmor/builder.js';
import { managementProfileName } from './management/types.js';
import { GENERIC_CAPABILITIES } from './runtime.js';

export const BREAKWATER_PROFILE_NAME = 'breakwater-default';

/** Capabilities no application needs and each an escape on its own. */
export const DENIED_CAPABILITIES = [
  'sys_admin',
  'sys_module',
  'sys_ptrace',
  'sys_rawio',
  'sys_boot',
  'sys_time',
  'dac_read_search',
  'bpf',
  'perfmon',
  'syslog',
  'mac_admin',
  'mac_override',
  'net_admin',
];

export interface AppArmorSchemeOptions {
  name?: string;
  /** Capabilities the workload keeps (AppArmor spelling). Default: the generic set. */
  capabilities?: string[];
  /** Label of the daemon that may signal the container (docker-default's `dockerd` rule). */
  daemonProfile?: string;
  /** Technique ids per rule text, written as a comment above the rule (see scheme/index.ts). */
  provenance?: ReadonlyMap<string, readonly string[]>;
}

const deny = { deny: true } as const;

/** The rules, in order; `withWhy` pairs each deny rule with why it is there (written as a comment). */
function rules(name: string, caps: string[], daemon: string): Array<{ rule: BuiltRule; why?: string }> {
  const r = (rule: BuiltRule, why?: string) => (why ? { rule, why } : { rule });
  const keep = caps.filter((c) => !DENIED_CAPABILITIES.includes(c));
  return [
    r(network('inet')),
    r(network('inet6')),
    r(network('unix')),
    r(network('netlink', 'dgram')),
    ...(keep.length ? [r(capability(keep))] : []),
    ...DENIED_CAPABILITIES.map((c) => r(capability(c, deny), `capability ${c} is an escape on its own`)),
    r(fileAll()),
    r(mount({}, deny), 'mounts undo masked paths, remount read-only paths, reach cgroup release_agent'),
    r(umount(undefined, deny), 'unmounting a masked path uncovers the host file under it'),
    r(pivotRoot({}, deny), 'pivot_root swaps the root the runtime prepared'),
    r(signal(['receive'], { peer: 'unconfined' })),
    r(signal(['receive'], { peer: 'runc' })),
    r(signal(['receive'], { peer: 'crun' })),
    r(signal(['receive'], { peer: daemon })),
    // A runtime or shim confined by the management plane stops and kills its containers (measured
    // in the lab: without these, the container refuses the Go runtime's SIGURG from a confined runc).
    r(signal(['receive'], { peer: managementProfileName('runtime') })),
    r(signal(['receive'], { peer: managementProfileName('shim') })),
    r(signal(['send', 'receive'], { peer: name })),
    r(ptrace(['trace', 'tracedby', 'read', 'readby'], { peer: name })),
    r(unix(['create', 'bind', 'listen', 'accept', 'shutdown', 'getattr', 'setattr', 'getopt', 'setopt'])),
    r(unix(['connect', 'send', 'receive'], { peerLabel: name })),
    r(file(g('@{PROC}/*'), 'w', deny), 'files directly in /proc (sysrq-trigger, kcore...) are host-global'),
    r(
      file(
        g('@{PROC}/{[^1-9/],[^1-9/][^0-9/],[^1-9s/][^0-9y/][^0-9s/],[^1-9/][^0-9/][^0-9/][^0-9/]*}/**'),
        'w',
        deny,
      ),
      "everything in /proc but per-process directories and /proc/sys is host-global (docker-default's rule)",
    ),
    r(
      file(g('@{PROC}/sys/**'), 'wlkx', deny),
      'no /proc/sys setting is written by an application; most are host-global',
    ),
    r(file(g('@{PROC}/sysrq-trigger'), 'rwlkx', deny), 'sysrq-trigger reboots or crashes the host'),
    r(file(g('@{PROC}/{kcore,kmem,mem}'), 'rwlkx', deny), 'physical and kernel memory'),
    r(
      file(g('@{PROC}/*/mem'), 'wlk', deny),
      'writing process memory (Dirty COW route, host processes with host PID)',
    ),
    r(file(g('/sys/**'), 'wlkx', deny), 'sysfs is not namespaced; applications only read it'),
    r(file(g('/sys/firmware/**'), 'rwlkx', deny), 'firmware tables and EFI variables'),
    r(
      file(g('/sys/devices/virtual/powercap/**'), 'rwlkx', deny),
      'RAPL energy counters leak host activity (PLATYPUS)',
    ),
    r(file(g('/sys/kernel/security/**'), 'rwlkx', deny), 'LSM policy interfaces'),
    r(
      file(g('/**/{release_agent,notify_on_release}'), 'wlk', deny),
      'cgroup v1 release_agent runs a host program as root',
    ),
    r(
      file(
        g(
          '/{,var/}run/{docker,containerd/containerd,crio/crio,podman/podman,buildkit/buildkitd}.sock{,.ttrpc}',
        ),
        'rwlk',
        deny,
      ),
      'container runtime API sockets are root on the host',
    ),
    r(
      file(g('/{,var/}run/containerd/{s,io.containerd.runtime.v2.task}/**'), 'rwlkx', deny),
      'containerd shim sockets and bundles',
    ),
    r(
      file(
        g(
          '/{,usr/}{,local/}{s,}bin/{runc,crun,containerd,containerd-shim*,dockerd,docker-init,docker-proxy,conmon,kubelet}',
        ),
        'wlk',
        deny,
      ),
      'container runtime binaries (runc /proc/self/exe overwrite)',
    ),
    r(
      file(
        g(
          '/etc/{cron.d/**,crontab,cron.{hourly,daily,weekly,monthly}/**,ld.so.preload,sudoers,sudoers.d/**}',
        ),
        'wl',
        deny,
      ),
      'host persistence paths an escape writes once it reaches the host filesystem',
    ),
    r(
      file(g('/var/log/{pods,containers}/**'), 'wl', deny),
      'kubelet follows links planted in the pod log directory',
    ),
    r(
      file(g('/dev/{sd*,nvme*,vd*,xvd*,hd*,dm-*,mapper/**,mem,kmem,port}'), 'rwlkx', deny),
      'raw disks and memory devices',
    ),
  ];
}

export function generateAppArmor(opts: AppArmorSchemeOptions = {}): string {
  const name = opts.name ?? BREAKWATER_PROFILE_NAME;
  const caps = opts.capabilities ?? GENERIC_CAPABILITIES;
  const built: BuiltRule[] = [];
  for (const { rule, why } of rules(name, caps, opts.daemonProfile ?? DOCKER_DAEMON_PROFILE)) {
    if (why !== undefined) {
      const ids = opts.provenance?.get(rule.text);
      built.push(comment(`${why}; techniques: ${ids?.length ? ids.join(', ') : '(none in the catalog)'}`));
    }
    built.push(rule);
  }
  return renderProfile({
    header: [`generated by breakwater: ${name}`, 'every deny rule names the catalog techniques it stops'],
    abi: 'abi/3.0',
    imports: ['tunables/global'],
    name,
    flags: ['attach_disconnected', 'mediate_deleted'],
    includes: ['abstractions/base'],
    rules: built,
  });
}
