// Pod security: the Pod Security Standards compared exactly as Pod Security admission compares them
// (podSecurityBaseline.ts, podSecurityRestricted.ts), for every pod-bearing kind and its Patch kind and every container
// list (containers, initContainers, ephemeralContainers); plus hardening beyond them (podHardening.ts: read-only root
// filesystem, service account tokens, user ids).
import type { PlatformResourcePolicy } from "../lib/policy";
import { automountServiceAccountToken, expectedUserIds, readOnlyRootFilesystem } from "./podHardening";
import { noHostNamespaces, noHostPath, noHostPorts, noPrivileged, noUnsafePodOptions } from "./podSecurityBaseline";
import {
    dropAllCapabilities,
    noPrivilegeEscalation,
    restrictAddedCapabilities,
    restrictedVolumeTypes,
    runAsNonRoot,
    runAsUserNotRoot,
    seccompProfile,
} from "./podSecurityRestricted";

export * from "./podHardening";
export * from "./podSecurityBaseline";
export * from "./podSecurityRestricted";

/** The Pod Security Standard controls (baseline and restricted): what Pod Security admission itself checks. */
export const podSecurityStandardPolicies: PlatformResourcePolicy[] = [
    runAsNonRoot,
    runAsUserNotRoot,
    noPrivilegeEscalation,
    noPrivileged,
    dropAllCapabilities,
    restrictAddedCapabilities,
    seccompProfile,
    noHostNamespaces,
    noHostPath,
    noHostPorts,
    restrictedVolumeTypes,
    noUnsafePodOptions,
];

export const podSecurityPolicies: PlatformResourcePolicy[] = [
    runAsNonRoot,
    runAsUserNotRoot,
    expectedUserIds,
    noPrivilegeEscalation,
    noPrivileged,
    dropAllCapabilities,
    restrictAddedCapabilities,
    readOnlyRootFilesystem,
    seccompProfile,
    noHostNamespaces,
    noHostPath,
    noHostPorts,
    restrictedVolumeTypes,
    noUnsafePodOptions,
    automountServiceAccountToken,
];
