// Writes policy/config/<environment>.json from the one table in policy/config/table.ts (npm run policy:configs).
import * as fs from "fs";
import * as path from "path";
import { PACK_ENVIRONMENTS, packConfigText } from "../policy/config/table";

const dir = path.resolve(__dirname, "..", "policy", "config");
for (const env of PACK_ENVIRONMENTS) {
    const file = path.join(dir, `${env}.json`);
    const text = packConfigText(env);
    // Left untouched when current, so a regeneration changes no mtime and no diff.
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) continue;
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
