import { e2eEnv, pulumi, toolchainBinDir, STATE } from "../e2e/harness/localCluster";
import * as path from "path";
const env = e2eEnv(toolchainBinDir());
const cwd = path.join(STATE, "work", "bench");
const r = pulumi(process.argv.slice(2), { cwd, env, allowFailure: true });
console.log(r.status, (r.ms / 1000).toFixed(1), "s\n", r.stdout.slice(-5000), r.stderr.slice(-3000));
