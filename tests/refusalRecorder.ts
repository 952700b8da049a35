// Loaded by .mocharc.json before any test: records every config that parsePlatformConfig refuses anywhere in the
// suite (with the secret presence it saw), so tests/stacks/refusals.test.ts can replay each one through the whole
// program and assert that nothing was registered. Test-only; the program never loads it.
import * as config from "../components/config";
import type { RawConfig, SecretPresence } from "../components/config";

export interface RecordedRefusal {
    /** Full title of the test that produced it. */
    test: string;
    raw: RawConfig;
    /** Secret keys the check saw as set, as unset, and which of the set ones were plaintext. */
    secretsSet: string[];
    secretsUnset: string[];
    plaintext: string[];
    /** Keys of the refusal, to compare with the replay. */
    keys: string[];
}

/** Every refusal seen so far, in order. */
export const recordedRefusals: RecordedRefusal[] = [];

let currentTest = "";
let paused = false;

/** Runs `fn` without recording (the replay itself must not grow the list). */
export async function withoutRecording<T>(fn: () => Promise<T>): Promise<T> {
    paused = true;
    try {
        return await fn();
    } finally {
        paused = false;
    }
}

const original = config.parsePlatformConfig;
// index.ts exports the function as a plain property, and callers read it at call time, so wrapping it here is enough.
(config as { parsePlatformConfig: typeof original }).parsePlatformConfig = (raw: RawConfig, secrets: SecretPresence) => {
    const set = new Set<string>();
    const unset = new Set<string>();
    const plain = new Set<string>();
    const probe: SecretPresence = {
        isSet: (k) => {
            const v = secrets.isSet(k);
            (v ? set : unset).add(k);
            return v;
        },
        isSecret: (k) => {
            const v = secrets.isSecret(k);
            if (!v && secrets.isSet(k)) plain.add(k);
            return v;
        },
    };
    try {
        return original(raw, probe);
    } catch (e) {
        if (!paused && e instanceof config.ConfigError) {
            recordedRefusals.push({
                test: currentTest,
                raw: { ...raw },
                secretsSet: [...set],
                secretsUnset: [...unset],
                plaintext: [...plain],
                keys: e.issues.map((i) => i.key),
            });
        }
        throw e;
    }
};

export const mochaHooks = {
    beforeEach(this: Mocha.Context): void {
        currentTest = this.currentTest?.fullTitle() ?? "";
    },
};
