/**
 * Runtime settings of the management-plane defence. Deployable settings are switched on by the
 * `breakwater+management` defence; fixed behaviours are what a patched release does, switched on
 * in the lab's re-creations only to show the fix closes the hole (the verdict then says "upgrade").
 */

/** Settings a deployment can switch on without changing runtime versions. */
export const DEPLOYABLE_SETTINGS: Readonly<Record<string, string>> = {
  'readonly-runtime-binary':
    'the runtime binary sits on a read-only mount (bind-mounted read-only over itself), so nothing running as root can rewrite it',
};

/** Behaviours of fixed releases, emulated by the re-creations. */
export const FIXED_BEHAVIOURS: Readonly<Record<string, string>> = {
  'memfd-reexec': 'runc re-executes itself from a sealed memfd copy (runc 1.0.0-rc7)',
  'cwd-check':
    'runc closes leaked descriptors and checks the working directory is inside the root (runc 1.1.12)',
  'verify-procfs': 'runc checks /proc is procfs before writing the AppArmor label (runc 1.0.0-rc9, 1.1.5)',
  'mount-fd': 'runc mounts through an O_PATH descriptor of the checked destination (runc 1.0.0-rc95)',
  'cp-chroot': 'docker cp copies inside the container root (chrootarchive, Docker 19.03.1)',
  'cp-preload-nss': 'docker cp loads the NSS libraries before chrooting (Docker 19.03.1)',
  'shim-path-socket': 'the shim listens on a filesystem socket in a 0700 directory (containerd 1.3.9, 1.4.3)',
  'sysctl-value-check': 'a + in a sysctl name or value is refused (CRI-O 1.23.2, cri-o commit 05c443b0)',
  'masked-path-check': 'masking binds only the real /dev/null character device (runc 1.2.8, 1.3.3)',
};
