/**
 * The few Linux UAPI values the techniques pass as syscall arguments, copied from
 * `../shared/reference/uapi-constants.json` (kernel 6.1 headers) where it has them; the others
 * name the header they come from. Syscall arguments are 64-bit register values as a seccomp
 * filter sees them, so a negative `int` appears sign-extended (see AT_FDCWD).
 */

// include/uapi/linux/sched.h
export const CLONE_NEWNS = 0x00020000n;
export const CLONE_NEWCGROUP = 0x02000000n;
export const CLONE_NEWUSER = 0x10000000n;

// bits/socket.h (glibc; same numbers as the kernel's include/linux/socket.h)
export const AF_UNIX = 1n;
export const AF_INET = 2n;
// bits/socket_type.h
export const SOCK_STREAM = 1n;

// include/uapi/linux/fs.h
export const RENAME_EXCHANGE = 2n;

// include/uapi/linux/stat.h
export const S_IFBLK = 0o060000n;

// include/uapi/linux/fcntl.h: AT_FDCWD is -100; glibc passes it sign-extended to 64 bits.
export const AT_FDCWD = 0xffffffffffffff9cn;

// include/uapi/asm-generic/mman-common.h
export const MADV_DONTNEED = 4n;

// include/uapi/linux/ptrace.h
export const PTRACE_POKETEXT = 4n;
export const PTRACE_ATTACH = 16n;

// include/uapi/linux/mount.h
export const FSCONFIG_SET_STRING = 1n;

/**
 * new_encode_dev() from include/linux/kdev_t.h for major < 4096 and minor < 256:
 * `(major << 8) | minor`. The first SCSI disk, /dev/sda, is 8:0.
 */
export const DEV_SDA = (8n << 8n) | 0n;
