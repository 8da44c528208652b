import type { BenignWorkload } from '../schema.js';

/** Debian cron as the container's main process, running a www-data job from its crontab. */
export const workload = {
  id: 'cron-like-scheduler',
  title: 'cron-like job scheduler',
  description:
    'A cron daemon in the foreground: it locks its pid file, reads the crontabs, sleeps until the ' +
    "next minute, checks the crontabs for changes, and for a due job forks, switches to the job's " +
    'user, runs the command through /bin/sh, collects its output over a pipe and reaps it.',
  steps: [
    {
      why: 'The runtime starts `cron -f`.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing cron.',
      primitive: { kind: 'file', path: '/usr/sbin/cron', access: 'x' },
    },
    {
      why: 'cron writes its pid file (/var/run is /run).',
      primitive: { kind: 'file', path: '/run/crond.pid', access: 'wk' },
    },
    {
      why: 'cron holds an exclusive lock on the pid file so a second daemon exits (flock LOCK_EX|LOCK_NB).',
      primitive: { kind: 'syscall', name: 'flock', args: [3n, 6n] },
    },
    {
      why: 'cron reads the system crontab.',
      primitive: { kind: 'file', path: '/etc/crontab', access: 'r' },
    },
    {
      why: 'cron reads the package crontabs.',
      primitive: { kind: 'file', path: '/etc/cron.d/e2scrub_all', access: 'r' },
    },
    {
      why: 'cron reads the user crontabs from the spool.',
      primitive: { kind: 'file', path: '/var/spool/cron/crontabs/www-data', access: 'r' },
    },
    {
      why: 'cron sleeps until the next minute: sleep(3) is clock_nanosleep(CLOCK_REALTIME, 0, ...).',
      primitive: { kind: 'syscall', name: 'clock_nanosleep', args: [0n, 0n] },
    },
    {
      why: 'Older libcs and busybox crond sleep with nanosleep.',
      primitive: { kind: 'syscall', name: 'nanosleep' },
    },
    {
      why: 'Each minute cron stats the crontabs to reload changed ones.',
      primitive: { kind: 'syscall', name: 'newfstatat' },
    },
    {
      why: 'cron reads the time for the schedule.',
      primitive: { kind: 'syscall', name: 'clock_gettime' },
    },
    {
      why: "A job's output is collected through a pipe.",
      primitive: { kind: 'syscall', name: 'pipe2', args: [0n, 0n] },
    },
    {
      why: 'cron forks the job.',
      primitive: { kind: 'syscall', name: 'clone', args: [0x1200011n] },
    },
    {
      why: 'The job runs in its own session.',
      primitive: { kind: 'syscall', name: 'setsid' },
    },
    {
      why: 'initgroups for www-data: setgroups needs CAP_SETGID.',
      primitive: { kind: 'syscall', name: 'setgroups' },
    },
    {
      why: 'setgid(33), www-data.',
      primitive: { kind: 'syscall', name: 'setgid', args: [33n] },
    },
    {
      why: 'Changing gid needs CAP_SETGID.',
      primitive: { kind: 'capability', name: 'setgid' },
    },
    {
      why: 'setuid(33), www-data.',
      primitive: { kind: 'syscall', name: 'setuid', args: [33n] },
    },
    {
      why: 'Changing uid needs CAP_SETUID.',
      primitive: { kind: 'capability', name: 'setuid' },
    },
    {
      why: "The job's stdout and stderr go to the pipe.",
      primitive: { kind: 'syscall', name: 'dup2' },
    },
    {
      why: 'The command runs through /bin/sh -c.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing /bin/sh (dash).',
      primitive: { kind: 'file', path: '/usr/bin/dash', access: 'x' },
    },
    {
      why: "The job runs the application's cleanup script.",
      primitive: { kind: 'file', path: '/usr/local/bin/cleanup-sessions.sh', access: 'x' },
    },
    {
      why: 'The job removes expired session files.',
      primitive: { kind: 'syscall', name: 'unlinkat' },
    },
    {
      why: 'Unlinking needs write on the path.',
      primitive: { kind: 'file', path: '/var/lib/app/sessions/sess_9f2c1a', access: 'w' },
    },
    {
      why: 'cron reads the job output.',
      primitive: { kind: 'syscall', name: 'read' },
    },
    {
      why: 'cron reaps the job.',
      primitive: { kind: 'syscall', name: 'wait4' },
    },
  ],
} satisfies BenignWorkload;
