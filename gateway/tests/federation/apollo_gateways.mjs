// One Apollo Gateway per supergraph, all behind one HTTP server: POST /<case>/graphql.
// usage: node apollo_gateways.mjs <dir of <case>.graphql supergraphs>
// Prints "ready <port>" once every gateway has loaded; a gateway that fails to load answers
// its requests with status 500 and the reason.
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { readJson } from "./cases.mjs";

const dir = process.argv[2];
const servers = {};
const failures = {};
await Promise.all(
  readdirSync(dir)
    .filter((file) => file.endsWith(".graphql"))
    .map(async (file) => {
      const caseName = file.slice(0, -".graphql".length);
      const gateway = new ApolloGateway({ supergraphSdl: readFileSync(join(dir, file), "utf8") });
      const server = new ApolloServer({
        gateway,
        includeStacktraceInErrorResponses: false,
        stopOnTerminationSignals: false,
      });
      try {
        await server.start();
        servers[caseName] = server;
      } catch (error) {
        failures[caseName] = String(error);
      }
    }),
);

async function handle(request, response) {
  const [, caseName, rest] = request.url.split("?")[0].split("/");
  const server = servers[caseName];
  if (!server || rest !== "graphql") {
    response.writeHead(500, { "content-type": "application/json" });
    const message = failures[caseName] ?? `no gateway at ${request.url}`;
    return response.end(JSON.stringify({ errors: [{ message }] }));
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const answer = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: request.method.toUpperCase(),
      headers,
      search: new URL(request.url, "http://localhost").search,
      body: await readJson(request),
    },
    context: async () => ({}),
  });
  for (const [key, value] of answer.headers) response.setHeader(key, value);
  response.statusCode = answer.status ?? 200;
  if (answer.body.kind === "complete") return response.end(answer.body.string);
  for await (const chunk of answer.body.asyncIterator) response.write(chunk);
  response.end();
}

const server = createServer((request, response) => {
  handle(request, response).catch((error) => {
    response.writeHead(500, { "content-type": "application/json" });
    response.end(JSON.stringify({ errors: [{ message: String(error) }] }));
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`ready ${server.address().port}\n`));
