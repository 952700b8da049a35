// Preloaded (NODE_OPTIONS=--require) into every node process the Pulumi CLI starts during a benchmark: on exit,
// appends the process's peak RSS to PLATFORM_BENCH_RSS_FILE, marking the Pulumi program (cmd/run) apart from plugins.
"use strict";
const fs = require("fs");
const file = process.env.PLATFORM_BENCH_RSS_FILE;
if (file) {
    process.on("exit", () => {
        const program = process.argv.some((a) => /[\\/]cmd[\\/]run([\\/]|$)/.test(a) && !/policy/.test(a));
        fs.appendFileSync(file, JSON.stringify({ program, argv: process.argv.slice(1, 3), maxRssKiB: process.resourceUsage().maxRSS }) + "\n");
    });
}
