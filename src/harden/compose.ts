/**
 * Harden a compose file in place (the `yaml` Document API keeps comments and key order): profiles
 * and no-new-privileges in `security_opt`, `cap_drop: [ALL]` plus the needed `cap_add`, host
 * namespaces, dangerous host mounts, devices and sysctls removed. What was removed is listed in
 * an `x-breakwater` extension field of the service (compose ignores `x-` keys), so nothing the
 * user wrote disappears without a trace.
 */
import { isMap, isScalar, isSeq, parseDocument, type Scalar, type YAMLMap } from 'yaml';
import { DANGEROUS_DEVICE, isDangerousHostPath, isSafeSysctl } from '../checks/registry-helpers.js';
import { type NamedProfiles, profileNames, type WorkloadNeeds } from './needs.js';

export interface PatchedCompose {
  text: string;
  services: Array<{ workload: string; container: string; profiles: NamedProfiles; needs: WorkloadNeeds }>;
}

const str = (n: unknown): string | undefined => (isScalar(n) ? String((n as Scalar).value) : undefined);

export function hardenCompose(
  text: string,
  needsOf: (workload: string, container: string) => WorkloadNeeds,
  profileDir = '.',
): PatchedCompose {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const out: PatchedCompose['services'] = [];
  const services = doc.get('services', true);
  if (!isMap(services)) return { text, services: out };
  for (const pair of services.items) {
    const name = str(pair.key) ?? 'service';
    const svc = pair.value;
    if (!isMap(svc)) continue;
    const workload = `service ${name}`;
    const needs = needsOf(workload, name);
    const profiles = profileNames(workload, name);
    const removed: string[] = [];
    const note = (s: string) => removed.push(s);

    if (svc.get('privileged') === true) {
      svc.delete('privileged');
      note('privileged: true (privileged)');
    }
    for (const k of ['pid', 'ipc', 'network_mode', 'cgroup'])
      if (svc.get(k) === 'host') {
        svc.delete(k);
        note(`${k}: host (host-namespaces)`);
      }
    svc.set('cap_drop', doc.createNode(['ALL']));
    const add = needs.capabilities.map((c) => c.toUpperCase());
    if (add.length) svc.set('cap_add', doc.createNode(add));
    else svc.delete('cap_add');

    const opts = svc.get('security_opt', true);
    const kept = isSeq(opts)
      ? opts.items
          .map((i) => str(i) ?? '')
          .filter((o) => {
            const drop =
              /^(seccomp|apparmor)[:=]/.test(o) ||
              /^systempaths[:=]unconfined$/.test(o) ||
              /^no-new-privileges/.test(o);
            if (drop && !/^no-new-privileges/.test(o)) note(`security_opt ${o}`);
            return !drop;
          })
      : [];
    svc.set(
      'security_opt',
      doc.createNode([
        ...kept,
        'no-new-privileges:true',
        `seccomp=${profileDir.replace(/\/$/, '')}/${profiles.seccompFile}`,
        `apparmor=${profiles.apparmorName}`,
      ]),
    );

    const vols = svc.get('volumes', true);
    if (isSeq(vols))
      vols.items = vols.items.filter((v) => {
        const host = isMap(v)
          ? v.get('type') === 'bind'
            ? str(v.get('source', true))
            : undefined
          : (str(v) ?? '').split(':').length > 1
            ? (str(v) ?? '').split(':')[0]
            : undefined;
        if (!host?.startsWith('/')) return true;
        if (/^\/var\/log(\/|$)/.test(host)) {
          if (isMap(v)) v.set('read_only', true);
          else if (isScalar(v) && !/:ro$/.test(String(v.value)))
            v.value = `${String(v.value).replace(/:rw$/, '')}:ro`;
          return true;
        }
        if (isDangerousHostPath(host)) {
          note(
            `volume ${isMap(v) ? `${host} (bind)` : str(v)} (runtime-socket-mount / host-root-mount / sensitive-host-path)`,
          );
          return false;
        }
        return true;
      });
    const devs = svc.get('devices', true);
    if (isSeq(devs))
      devs.items = devs.items.filter((d) => {
        const path = isMap(d) ? str(d.get('source', true)) : (str(d) ?? '').split(':')[0];
        if (path && DANGEROUS_DEVICE.test(path)) {
          note(`device ${path} (host-device)`);
          return false;
        }
        return true;
      });
    const sysctls = svc.get('sysctls', true);
    if (isMap(sysctls))
      sysctls.items = sysctls.items.filter((p) => {
        const ok = isSafeSysctl(str(p.key) ?? '', str(p.value) ?? '');
        if (!ok) note(`sysctl ${str(p.key)} (unsafe-sysctl)`);
        return ok;
      });
    else if (isSeq(sysctls))
      sysctls.items = sysctls.items.filter((p) => {
        const [k = '', ...rest] = (str(p) ?? '').split('=');
        const ok = isSafeSysctl(k, rest.join('='));
        if (!ok) note(`sysctl ${k} (unsafe-sysctl)`);
        return ok;
      });
    if (removed.length) (svc as YAMLMap).set('x-breakwater-removed', doc.createNode(removed));
    out.push({ workload, container: name, profiles, needs });
  }
  return { text: doc.toString({ lineWidth: 0 }), services: out };
}
