// Types of prebuilt.js (plain JavaScript, see there).

/** `entry` (the compiled entry file) when the tree is fresh, else `problem` says why it may not run. */
export interface BuildInspection {
    entry?: string;
    problem?: string;
}

export declare function inspectBuild(outDir: string, source: string, configs?: string[]): BuildInspection;
