/**
 * What the host kernel and Docker daemon offer the defence: seccomp, AppArmor, user namespaces,
 * cgroup v1 or v2, and the daemon's security defaults (/etc/docker/daemon.json). Read from the
 * filesystem under a root (default `/`), so tests and remote audits can point it at a copy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HostFeatures {
  seccomp: boolean | undefined;
  apparmor: boolean | undefined;
  userNamespaces: boolean | undefined;
  cgroup: 'v1' | 'v2' | 'hybrid' | undefined;
  daemon?: {
    file: string;
    usernsRemap?: string;
    noNewPrivileges?: boolean;
    seccompProfile?: string;
    /** Keys we could not read (not JSON...). */
    error?: string;
  };
}

const read = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

export function readFeatures(root = '/'): HostFeatures {
  const at = (p: string) => join(root, p);
  const status = read(at('proc/self/status'));
  const seccomp =
    status === undefined ? undefined : /^Seccomp:/m.test(status) || existsSync(at('proc/sys/kernel/seccomp'));
  const aaEnabled = read(at('sys/module/apparmor/parameters/enabled'))?.trim();
  const apparmor =
    aaEnabled === undefined ? existsSync(at('sys/kernel/security/apparmor')) || undefined : aaEnabled === 'Y';
  const maxUserns = read(at('proc/sys/user/max_user_namespaces'))?.trim();
  const unpriv = read(at('proc/sys/kernel/unprivileged_userns_clone'))?.trim();
  const userNamespaces = maxUserns === undefined ? undefined : Number(maxUserns) > 0 && unpriv !== '0';
  let cgroup: HostFeatures['cgroup'];
  if (existsSync(at('sys/fs/cgroup/cgroup.controllers'))) cgroup = 'v2';
  else if (existsSync(at('sys/fs/cgroup/unified'))) cgroup = 'hybrid';
  else if (existsSync(at('sys/fs/cgroup'))) cgroup = 'v1';
  const features: HostFeatures = { seccomp, apparmor, userNamespaces, cgroup };
  const daemonFile = at('etc/docker/daemon.json');
  const text = read(daemonFile);
  if (text !== undefined) {
    try {
      const d = JSON.parse(text) as Record<string, unknown>;
      features.daemon = {
        file: daemonFile,
        ...(typeof d['userns-remap'] === 'string' ? { usernsRemap: d['userns-remap'] } : {}),
        ...(typeof d['no-new-privileges'] === 'boolean' ? { noNewPrivileges: d['no-new-privileges'] } : {}),
        ...(typeof d['seccomp-profile'] === 'string' ? { seccompProfile: d['seccomp-profile'] } : {}),
      };
    } catch (e) {
      features.daemon = { file: daemonFile, error: (e as Error).message };
    }
  }
  return features;
}
