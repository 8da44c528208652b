import { hostMounts, within } from '../registry-helpers.js';
import { type AuditCheck, eachContainer } from '../types.js';

/** Host directories whose write (or read) hands over the host. `/` is host-root-mount's. */
const SENSITIVE: ReadonlyArray<[string, string]> = [
  ['/etc', 'host configuration (cron, sudoers, passwd, ld.so.preload)'],
  ['/root', "root's home (ssh keys)"],
  ['/proc', 'the host procfs'],
  ['/sys', 'the host sysfs'],
  ['/dev', 'host devices'],
  ['/boot', 'kernels and boot loader'],
  ['/lib/modules', 'kernel modules'],
  ['/usr', 'host binaries'],
  ['/bin', 'host binaries'],
  ['/sbin', 'host binaries'],
  ['/var/lib/docker', "Docker's data (every container's filesystem)"],
  ['/var/lib/containerd', "containerd's data"],
  ['/var/lib/kubelet', "the kubelet's data (pod secrets, kubelet credentials)"],
  ['/etc/kubernetes', 'cluster credentials'],
  ['/home', 'user homes'],
];

export const sensitiveHostPath: AuditCheck<'sensitive'> = {
  meta: {
    id: 'sensitive-host-path',
    description:
      'A sensitive host directory (/etc, /proc, /sys, /dev, /var/lib/kubelet, ...) is mounted into the container.',
    severity: 'high',
    remediation: 'Mount a dedicated directory instead, read-only if the workload only reads it.',
    techniques: ['hostpath-root-mount', 'runc-volume-proc-mount-race'],
    messages: {
      sensitive: '{{label}} mounts {{path}} ({{what}}) at {{target}}{{mode}}',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      for (const m of hostMounts(c)) {
        if (m.host === '/') continue;
        const hit = SENSITIVE.find(([dir]) => within(m.host, dir));
        if (!hit) continue;
        report({
          messageId: 'sensitive',
          data: {
            label,
            path: m.host,
            what: hit[1],
            target: m.target.value,
            mode: m.readOnly?.value ? ', read-only' : ', writable',
          },
          pos: m.source?.pos ?? m.target.pos,
        });
      }
  },
};
