// GraphQL Code Generator: every operation of the portal typed from the gateway's API
// schema (`make api-schema` writes ../gateway/api.graphql from the supergraph), and the
// manifest of trusted documents the gateway runs for the portal (CB_TRUSTED_DOCUMENTS).
import type { CodegenConfig } from "@graphql-codegen/cli";
import { addTypenameSelectionDocumentTransform } from "@graphql-codegen/client-preset";

const config: CodegenConfig = {
  schema: "../gateway/api.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      // __typename everywhere, as urql's document cache adds it: the text the manifest
      // holds is then the text urql would send, and mutations invalidate by type
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: "embedHashInDocument", hashAlgorithm: "sha256" },
      },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: {
          Decimal: "string",
          DateTime: "string",
          Date: "string",
          JSON: "unknown",
          Upload: "unknown",
        },
      },
    },
  },
};

export default config;
