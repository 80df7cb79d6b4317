// The portal's lint: JavaScript's and typescript-eslint's recommended rules, and React's
// rules of hooks. `make web-check` runs it with warnings as errors.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "src/gql", "node_modules", "test-results", "playwright-report", "e2e/artifacts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["scripts/**/*.mjs", "*.config.{js,ts}", "codegen.ts"], languageOptions: { globals: globals.node } },
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // Playwright's fixtures take `use` and `{}` by design
  { files: ["e2e/**/*.ts"], rules: { "react-hooks/rules-of-hooks": "off", "no-empty-pattern": "off" } },
);
