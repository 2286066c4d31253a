// pulumi-gen-braket generates the Node.js, Python and Go SDKs of the braket
// package from its schema, with Pulumi's own code generators (pkg/v3/codegen),
// so the SDKs match what `pulumi package gen-sdk` would write for the same
// schema without needing the CLI or a built provider plugin.
//
//	pulumi-gen-braket <nodejs|python|go> --version 0.1.0 [--schema FILE] [--out DIR]
//
// Normally run through provider/scripts/gen-sdk.sh, which builds this program
// and passes the version from the root package.json.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi-braket/pulumi-braket/provider/sdktree"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const defaultSchema = "provider/cmd/pulumi-resource-braket/schema.json"

func usage() {
	fmt.Fprintf(os.Stderr, `usage: %s <nodejs|python|go> --version VERSION [--schema FILE] [--out DIR]

Generates the SDK for one language into DIR (default <repo>/sdk/<language>).
Files the generator writes are replaced; files under DIR that carry the
"%s" header but are no longer generated are deleted. Nothing else is touched.
`, sdktree.Tool, sdktree.GeneratedMarker)
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: error: %v\n", sdktree.Tool, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		usage()
		return errors.New("missing language (nodejs, python or go)")
	}
	lang := args[0]
	switch lang {
	case "nodejs", "python", "go":
	default:
		usage()
		return fmt.Errorf("unknown language %q", lang)
	}

	root := sdktree.RepoRoot()
	flags := flag.NewFlagSet(sdktree.Tool+" "+lang, flag.ContinueOnError)
	schemaPath := flags.String("schema", filepath.Join(root, defaultSchema), "package schema (JSON)")
	outDir := flags.String("out", filepath.Join(root, "sdk", lang), "output directory")
	version := flags.String("version", "", "SDK version (required; overrides the schema's version)")
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", flags.Args())
	}
	// Required, so that the committed SDK and a --check regeneration can never
	// silently disagree because one of them fell back to some default.
	if *version == "" {
		return errors.New("--version is required (gen-sdk.sh passes the root package.json version)")
	}
	if _, err := semver.ParseTolerant(*version); err != nil {
		return fmt.Errorf("--version %q is not semver: %w", *version, err)
	}

	pkg, loader, err := bindSchema(*schemaPath, strings.TrimPrefix(*version, "v"))
	if err != nil {
		return err
	}

	var files map[string][]byte
	switch lang {
	case "nodejs":
		files, err = nodejs.GeneratePackage(sdktree.Tool, pkg, nil /*extraFiles*/, nil /*localDependencies*/, false /*localSDK*/, loader)
	case "python":
		files, err = python.GeneratePackage(sdktree.Tool, pkg, nil /*extraFiles*/, loader)
		if err == nil {
			err = pythonProjectReadme(pkg, files)
		}
	case "go":
		files, err = gogen.GeneratePackage(sdktree.Tool, pkg, nil /*localDependencies*/)
	}
	if err != nil {
		return fmt.Errorf("generating %s SDK: %w", lang, err)
	}
	return sdktree.WriteTree(*outDir, root, files)
}

func bindSchema(path, version string) (*schema.Package, schema.ReferenceLoader, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading schema: %w", err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, nil, fmt.Errorf("parsing schema %s: %w", path, err)
	}
	// The version is what the SDKs report to the engine (resource option
	// defaults, pulumi-plugin.json) when the schema's language sections set
	// respectSchemaVersion; the schema file itself stays version-free.
	spec.Version = version

	// A nil plugin context is enough while the schema references no other
	// package; the generators need the same loader to resolve dependencies.
	loader := schema.NewPluginLoader(nil)
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	for _, d := range diags {
		sev := "warning"
		if d.Severity == hcl.DiagError {
			sev = "error"
		}
		msg := d.Summary
		if d.Detail != "" && d.Detail != d.Summary {
			msg += ": " + d.Detail
		}
		fmt.Fprintf(os.Stderr, "%s: %s: %s\n", path, sev, msg)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("binding schema %s: %w", path, err)
	}
	if diags.HasErrors() {
		return nil, nil, fmt.Errorf("schema %s has %d error(s), see above", path, len(diags.Errs()))
	}
	return pkg, loader, nil
}

// pythonProjectReadme gives the Python project the README its pyproject.toml
// names. The generator writes `readme = "README.md"` into pyproject.toml, which
// setuptools resolves next to pyproject.toml, but puts the README (the schema's
// language.python.readme, else its description) only inside the package dir
// (<packageName>/README.md). Without a top-level copy `pip install ./sdk/python`
// still succeeds, but the distribution has no long description (setuptools
// leaves it out without a word). Pulumi's own providers copy the README in their
// Makefiles; we write the same text the generator chose for the package dir.
func pythonProjectReadme(pkg *schema.Package, files map[string][]byte) error {
	name := ""
	if info, ok := pkg.Language["python"].(python.PackageInfo); ok {
		name = info.PackageName
	}
	if name == "" {
		name = python.PyPack(pkg.Namespace, pkg.Name)
	}
	readme, ok := files[name+"/README.md"]
	if !ok {
		return fmt.Errorf("python generator wrote no %s/README.md", name)
	}
	if _, clash := files["README.md"]; clash {
		return nil // a future generator writes it itself
	}
	files["README.md"] = readme
	return nil
}
