// Config errors: every problem addressed by its full key, with "did you mean" hints.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "./validators";

/** One config problem, addressed by its full key. */
export interface ConfigIssue {
    key: string;
    message: string;
}

/**
 * Thrown before any resource is registered; lists every problem with its full key. A RunError, so the Pulumi CLI
 * prints the list alone (no "unhandled exception", no stack) and exits non-zero.
 */
export class ConfigError extends pulumi.RunError {
    constructor(public readonly issues: ConfigIssue[]) {
        super(
            `invalid stack configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
                issues.map((i) => `  - ${i.key}: ${i.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** A map key that reads as one step of a dotted key; anything else (dots, slashes, spaces) is quoted. */
const PLAIN_STEP = /^[A-Za-z0-9_-]+$/;

/** `["services", 1, "port"]` → `platform:services[1].port`; `["nodeSelector", "kubernetes.io/os"]` → `platform:nodeSelector["kubernetes.io/os"]`. */
export function formatKey(path: readonly PropertyKey[]): string {
    let out = `${CONFIG_NAMESPACE}:`;
    path.forEach((p, i) => {
        if (typeof p === "number") out += `[${p}]`;
        else if (i > 0 && !PLAIN_STEP.test(String(p))) out += `[${JSON.stringify(String(p))}]`;
        else out += (i === 0 ? "" : ".") + String(p);
    });
    return out;
}

/** "; did you mean \"x\"?" when a candidate is within three edits of `key`, else "". */
export function suggest(key: string, candidates: readonly string[]): string {
    let best: string | undefined;
    let bestScore = Infinity;
    for (const c of candidates) {
        const d = editDistance(key.toLowerCase(), c.toLowerCase());
        if (d < bestScore) {
            best = c;
            bestScore = d;
        }
    }
    return best !== undefined && bestScore <= 3 ? `; did you mean "${best}"?` : "";
}

function editDistance(a: string, b: string): number {
    const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) dp[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
    }
    return dp[a.length][b.length];
}
