import type { Technique } from '../schema.js';

/**
 * A writable hostPath of /var/log lets a pod replace its own log file with a symlink; the kubelet
 * serves `kubectl logs` (and /logs/) by following it as root on the node.
 */
export const technique = {
  id: 'var-log-symlink-kubelet',
  title: 'Host files read by the kubelet through a symlink in /var/log/pods',
  class: 'misconfiguration',
  severity: 'high',
  cves: [],
  summary:
    'A pod with a writable hostPath mount of /var/log (common for log shippers) replaces its container ' +
    'log under /var/log/pods/<namespace>_<pod>_<uid>/<container>/0.log with a symlink to a host file. ' +
    'When someone runs `kubectl logs` (or the attacker calls the kubelet /logs endpoint), the kubelet ' +
    'follows the symlink as root and returns /etc/shadow or the node credentials.',
  affected: [],
  preconditions: {
    hostPaths: ['/var/log'],
    needsHostAction: 'someone runs `kubectl logs` for the pod (or the pod can call the kubelet logs API)',
  },
  chains: [
    {
      id: 'log-symlink',
      description: 'Swap the pod log file for a symlink and let the kubelet read it.',
      steps: [
        {
          why: 'Replace the log file with a symlink to /etc/shadow (ln -sf); node /var/log is mounted at /var/log/host, and AppArmor checks both the unlink and the symlink creation as a write of the name.',
          primitive: {
            kind: 'file',
            path: '/var/log/host/pods/default_attacker_0f1e2d3c/app/0.log',
            access: 'w',
          },
        },
        {
          why: 'The kubelet opens the log by path, follows the symlink as root and streams the host file.',
          primitive: {
            kind: 'runtime',
            component: 'kubelet',
            action: 'follows a symlink in /var/log/pods when serving container logs',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Mount /var/log read-only in log shippers, or only the subdirectories they need; forbid writable hostPath with admission policy.',
    'Restrict who may run `kubectl logs` and reach the kubelet API.',
  ],
  references: [
    'https://www.aquasec.com/blog/kubernetes-security-pod-escape-log-mounts/',
    'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
  ],
} satisfies Technique;
