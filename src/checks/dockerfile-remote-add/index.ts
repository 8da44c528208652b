import type { AuditCheck } from '../types.js';

export const dockerfileRemoteAdd: AuditCheck<'remoteAdd'> = {
  meta: {
    id: 'dockerfile-remote-add',
    description: 'ADD downloads a remote file into the image without a checksum.',
    severity: 'low',
    remediation: 'Use ADD --checksum=sha256:... or download and verify in a RUN step.',
    techniques: [],
    messages: { remoteAdd: 'ADD {{url}} puts whatever the server returns into the image' },
  },
  run(ctx, report) {
    for (const u of ctx.workload.dockerfile?.remoteAdds ?? [])
      report({ messageId: 'remoteAdd', data: { url: u.value }, pos: u.pos });
  },
};
