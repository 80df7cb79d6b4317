// Compose subgraph SDLs into a supergraph with Apollo's composition.
// stdin: JSON [{"name": ..., "url": ..., "sdl": ...}]; stdout: the supergraph SDL.
// On composition errors, prints them to stderr and exits with status 1.
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const subgraphs = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const result = composeServices(
  subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
);
if (result.errors) {
  for (const error of result.errors) {
    const code = error.extensions?.code ? `[${error.extensions.code}] ` : "";
    process.stderr.write(`composition error: ${code}${error.message}\n`);
  }
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);
process.stdout.write("\n");
