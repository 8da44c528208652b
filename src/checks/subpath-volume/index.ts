import { type AuditCheck, eachContainer } from '../types.js';

export const subpathVolume: AuditCheck<'subPath'> = {
  meta: {
    id: 'subpath-volume',
    description:
      'A volume is mounted with subPath: kubelets before 1.19.15/1.20.11/1.21.5/1.22.2 follow a symlink swapped in by the container.',
    severity: 'low',
    remediation:
      'Upgrade the kubelet (CVE-2021-25741); prefer mounting a whole volume over subPath into untrusted containers.',
    techniques: ['kubelet-subpath-symlink-exchange'],
    messages: {
      subPath:
        '{{label}} mounts {{target}} with subPath {{subPath}}: on an unpatched kubelet another container of the pod can turn it into a host path',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      for (const m of c.mounts)
        if (m.subPath)
          report({
            messageId: 'subPath',
            data: { label, target: m.target.value, subPath: m.subPath.value },
            pos: m.subPath.pos,
          });
  },
};
