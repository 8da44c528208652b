import { DANGEROUS_DEVICE } from '../registry-helpers.js';
import { type AuditCheck, eachContainer } from '../types.js';

export const hostDevice: AuditCheck<'device'> = {
  meta: {
    id: 'host-device',
    description: 'A host disk, memory or hypervisor device is given to the container.',
    severity: 'critical',
    remediation: 'Do not pass host disks or memory devices; mount the filesystem the workload needs instead.',
    techniques: ['device-mknod-block-device', 'privileged-mount-host-disk'],
    messages: {
      device: '{{label}} gets {{device}}: the host disk or memory, readable and writable at block level',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      for (const d of c.devices)
        if (DANGEROUS_DEVICE.test(d.value))
          report({ messageId: 'device', data: { label, device: d.value }, pos: d.pos });
  },
};
