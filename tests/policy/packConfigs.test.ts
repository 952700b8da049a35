// The pack config files are generated from policy/config/table.ts: each must equal what the table renders today.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { BASE, OVERRIDES, PACK_ENVIRONMENTS, packConfigText } from "../../policy/config/table";

const dir = path.resolve(__dirname, "..", "..", "policy", "config");

describe("policy/config/*.json generated from policy/config/table.ts", () => {
    for (const env of PACK_ENVIRONMENTS) {
        it(`${env}.json is current (regenerate with npm run policy:configs)`, () => {
            const onDisk = fs.readFileSync(path.join(dir, `${env}.json`), "utf8");
            expect(onDisk === packConfigText(env), `policy/config/${env}.json differs from the table; run npm run policy:configs`).to.equal(true);
        });
    }

    it("has a file for every environment and no other", () => {
        const files = fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".json"))
            .sort();
        expect(files).to.deep.equal(PACK_ENVIRONMENTS.map((e) => `${e}.json`).sort());
    });

    it("overrides only fields the base has, so no environment invents a policy or a parameter", () => {
        const unknown = PACK_ENVIRONMENTS.flatMap((env) =>
            Object.entries(OVERRIDES[env]).flatMap(([policy, o]) =>
                !(policy in BASE)
                    ? [`${env}: ${policy}`]
                    : Object.keys(o)
                          .filter((k) => !(k in BASE[policy]))
                          .map((k) => `${env}: ${policy}.${k}`),
            ),
        );
        expect(unknown).to.deep.equal([]);
    });
});
