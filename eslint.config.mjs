// Lint rules: typescript-eslint's recommended set over the package, its tests and examples.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/**", "node_modules/**", "examples/*/node_modules/**", ".tools/**", "**/*.js", "**/*.mjs"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        // The dynamic provider must require pulumi-braket at run time (see sdk/hybridJobCompletion.ts).
        files: ["sdk/hybridJobCompletion.ts", "sdk/pulumiRuntime.ts"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
