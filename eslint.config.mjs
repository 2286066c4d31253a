// Lint rules: typescript-eslint's recommended set over the package, its tests and examples.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    // sdk/ is generated from the schema (provider/scripts/gen-sdk.sh), not written here.
    {
        ignores: ["dist/**", "bin/**", "sdk/**", "node_modules/**", "examples/*/node_modules/**", ".tools/**", "**/*.js", "**/*.mjs"],
    },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
);
