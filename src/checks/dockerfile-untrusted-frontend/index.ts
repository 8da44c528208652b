import type { AuditCheck } from '../types.js';

const TRUSTED_FRONTEND = /^(docker\.io\/)?docker\/dockerfile(-upstream)?(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/;

export const dockerfileUntrustedFrontend: AuditCheck<'frontend'> = {
  meta: {
    id: 'dockerfile-untrusted-frontend',
    description: 'The Dockerfile runs a third-party BuildKit frontend (# syntax=).',
    severity: 'medium',
    remediation:
      'Use docker/dockerfile, pinned by digest, or no # syntax= line; upgrade BuildKit (>= 0.12.5).',
    techniques: ['buildkit-interactive-container-privileged'],
    messages: {
      frontend:
        "# syntax={{image}} runs a frontend image with the build's privileges; a malicious one asked BuildKit before 0.12.5 for privileged containers (CVE-2024-23653)",
    },
  },
  run(ctx, report) {
    const s = ctx.workload.dockerfile?.syntax;
    if (s && !TRUSTED_FRONTEND.test(s.value))
      report({ messageId: 'frontend', data: { image: s.value }, pos: s.pos });
  },
};
