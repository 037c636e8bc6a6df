import { allContainers, list, map, PodTemplate, VerifyContext } from '../context';

/** Sysctls the Pod Security Standards baseline profile allows. */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const ALLOWED_CAPABILITIES = new Set(['NET_BIND_SERVICE']);

/**
 * Pod Security Standards checks (restricted profile, baseline host isolation) on every pod template:
 * no-privilege-escalation, run-as-non-root, seccomp, capabilities, host-isolation, volume-types, read-only-root.
 */
export function checkPodSecurity(ctx: VerifyContext): void {
  for (const pod of ctx.pods) {
    checkPodLevel(ctx, pod);
    for (const c of allContainers(pod.spec)) checkContainer(ctx, pod, c);
  }
}

function checkPodLevel(ctx: VerifyContext, pod: PodTemplate): void {
  const { owner, spec } = pod;
  const psc = map(spec.securityContext);
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field] === true) ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, message: `pod sets ${field}: true; pods must not share the node's namespaces` });
  }
  for (const s of list(psc.sysctls)) {
    if (!SAFE_SYSCTLS.has(s?.name)) ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, message: `sysctl ${s?.name} is not in the safe set of the baseline profile` });
  }
  checkSeLinux(ctx, owner, undefined, psc.seLinuxOptions);
  if (psc.appArmorProfile?.type === 'Unconfined') {
    ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, message: 'pod appArmorProfile is Unconfined; use RuntimeDefault or Localhost' });
  }
  for (const [key, value] of Object.entries(map(pod.metadata?.annotations))) {
    if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value === 'unconfined') {
      ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, container: key.split('/')[1], message: 'AppArmor annotation sets unconfined' });
    }
  }
  if (psc.windowsOptions?.hostProcess === true) {
    ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, message: 'pod runs as a Windows host process' });
  }
  for (const field of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    if (psc[field] === 0) ctx.add({ check: 'run-as-non-root', origin: 'PSS', object: owner, message: `pod securityContext.${field} is 0 (root); use the image's own non-root id` });
  }
  if (list(psc.supplementalGroups).includes(0)) {
    ctx.add({ check: 'run-as-non-root', origin: 'PSS', object: owner, message: 'pod securityContext.supplementalGroups contains 0 (root group)' });
  }
  for (const v of list(spec.volumes)) {
    const types = Object.keys(map(v)).filter(k => k !== 'name');
    for (const t of types) {
      if (!VOLUME_TYPES.has(t)) {
        ctx.add({ check: 'volume-types', origin: 'PSS', object: owner, message: `volume "${v.name}" is of type ${t}; the restricted profile allows only ${[...VOLUME_TYPES].join(', ')}` });
      }
    }
  }
}

function checkSeLinux(ctx: VerifyContext, owner: any, container: string | undefined, options: any): void {
  if (!options) return;
  if (options.user || options.role) {
    ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, container, message: 'seLinuxOptions sets a custom user or role' });
  }
  if (options.type && !SELINUX_TYPES.has(options.type)) {
    ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, container, message: `seLinuxOptions.type ${options.type} is not one of ${[...SELINUX_TYPES].join(', ')}` });
  }
}

function checkContainer(ctx: VerifyContext, pod: PodTemplate, c: any): void {
  const { owner, spec } = pod;
  const psc = map(spec.securityContext);
  const sc = map(c.securityContext);
  const container: string = c.name;
  if (sc.allowPrivilegeEscalation !== false) {
    ctx.add({ check: 'no-privilege-escalation', origin: 'PSS', object: owner, container, message: 'securityContext.allowPrivilegeEscalation must be false' });
  }
  const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
  if (nonRoot !== true) {
    ctx.add({ check: 'run-as-non-root', origin: 'PSS', object: owner, container, message: 'runAsNonRoot: true is not in effect (set it on the pod or the container)' });
  }
  for (const field of ['runAsUser', 'runAsGroup'] as const) {
    if (sc[field] === 0) ctx.add({ check: 'run-as-non-root', origin: 'PSS', object: owner, container, message: `securityContext.${field} is 0 (root)` });
  }
  const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
    ctx.add({ check: 'seccomp', origin: 'PSS', object: owner, container, message: `seccomp profile in effect is ${seccomp ?? 'unset'}; set seccompProfile.type RuntimeDefault (or Localhost)` });
  }
  const drop: string[] = list(sc.capabilities?.drop);
  if (!drop.includes('ALL')) {
    ctx.add({ check: 'capabilities', origin: 'PSS', object: owner, container, message: 'securityContext.capabilities.drop must contain ALL' });
  }
  for (const cap of list(sc.capabilities?.add)) {
    if (!ALLOWED_CAPABILITIES.has(cap)) {
      ctx.add({ check: 'capabilities', origin: 'PSS', object: owner, container, message: `capability ${cap} is added; only NET_BIND_SERVICE may be added` });
    }
  }
  if (sc.privileged === true) {
    ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, container, message: 'container is privileged' });
  }
  if (sc.procMount !== undefined && sc.procMount !== 'Default') {
    ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, container, message: `procMount ${sc.procMount} unmasks /proc` });
  }
  if (sc.windowsOptions?.hostProcess === true) {
    ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, container, message: 'container runs as a Windows host process' });
  }
  if (sc.appArmorProfile?.type === 'Unconfined') {
    ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, container, message: 'appArmorProfile is Unconfined' });
  }
  checkSeLinux(ctx, owner, container, sc.seLinuxOptions);
  for (const p of list(c.ports)) {
    if (p?.hostPort !== undefined && p.hostPort !== 0) {
      ctx.add({ check: 'host-isolation', origin: 'PSS', object: owner, container, message: `port ${p.containerPort} sets hostPort ${p.hostPort}` });
    }
  }
  if (sc.readOnlyRootFilesystem !== true) {
    ctx.add({ check: 'read-only-root', origin: 'KL', object: owner, container, message: 'securityContext.readOnlyRootFilesystem must be true; mount emptyDirs where the image writes' });
  }
}
