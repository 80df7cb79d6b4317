// Every case's toy subgraphs behind one HTTP server: POST /<case>/<subgraph> runs a GraphQL
// request on that subgraph (buildSubgraphSchema over its typeDefs and resolvers);
// POST /reset/<case> calls each of its modules' reset(). A module exporting `down = true`
// is composed but its requests are answered 503 with a text body: a subgraph that is down.
// usage: node subgraphs.mjs <cases dir> [port]; prints "ready <port>" once it listens.
import { createServer } from "node:http";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { graphql, parse } from "graphql";
import { loadCases, readJson } from "./cases.mjs";

const cases = await loadCases(process.argv[2]);
const schemas = {};
const broken = {};
const down = new Set();
for (const [caseName, subgraphs] of Object.entries(cases)) {
  for (const [name, module] of Object.entries(subgraphs)) {
    try {
      const typeDefs = parse(module.typeDefs);
      schemas[`/${caseName}/${name}`] = buildSubgraphSchema({ typeDefs, resolvers: module.resolvers });
      if (module.down) down.add(`/${caseName}/${name}`);
    } catch (error) {
      broken[`/${caseName}/${name}`] = `${caseName}/${name}.mjs: ${error}`;
      process.stderr.write(`${broken[`/${caseName}/${name}`]}\n`);
    }
  }
}

function reply(response, status, body) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

const server = createServer(async (request, response) => {
  try {
    const path = request.url.split("?")[0];
    if (path.startsWith("/reset/")) {
      for (const module of Object.values(cases[path.slice("/reset/".length)] ?? {})) module.reset?.();
      return reply(response, 200, { reset: true });
    }
    if (down.has(path)) {
      response.writeHead(503, { "content-type": "text/plain" });
      return response.end("down for maintenance");
    }
    const schema = schemas[path];
    if (!schema) {
      const message = broken[path] ?? `no subgraph at ${path}`;
      return reply(response, 500, { errors: [{ message }] });
    }
    const body = await readJson(request);
    const result = await graphql({
      schema,
      source: body.query,
      variableValues: body.variables,
      operationName: body.operationName,
      contextValue: { headers: request.headers },
    });
    reply(response, 200, result);
  } catch (error) {
    reply(response, 500, { errors: [{ message: String(error) }] });
  }
});
server.listen(Number(process.argv[3] ?? 0), "127.0.0.1", () => process.stdout.write(`ready ${server.address().port}\n`));
