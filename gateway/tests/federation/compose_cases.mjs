// Composes every case with Apollo's composition, in one run.
// usage: node compose_cases.mjs <cases dir> <subgraphs' base URL> <out dir>
// Writes <out>/<case>.graphql (the supergraph, each subgraph's URL <base>/<case>/<subgraph>)
// or <out>/<case>.errors (the composition errors, one a line).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import { loadCases } from "./cases.mjs";

const [casesDir, baseUrl, outDir] = process.argv.slice(2);
for (const [caseName, subgraphs] of Object.entries(await loadCases(casesDir))) {
  const result = composeServices(
    Object.entries(subgraphs).map(([name, module]) => ({
      name,
      url: `${baseUrl}/${caseName}/${name}`,
      typeDefs: parse(module.typeDefs),
    })),
  );
  if (result.errors) {
    const lines = result.errors.map((error) => `[${error.extensions?.code ?? "?"}] ${error.message}`);
    writeFileSync(join(outDir, `${caseName}.errors`), `${lines.join("\n")}\n`);
  } else {
    writeFileSync(join(outDir, `${caseName}.graphql`), `${result.supergraphSdl}\n`);
  }
}
