// pulumi-gen-braket-dotnet generates the .NET SDK (Pulumi.Braket) of the braket
// package from its schema with Pulumi's own C# code generator.
//
//	pulumi-gen-braket-dotnet --version 0.1.0 [--schema FILE] [--out DIR]
//
// A module of its own, because pkg/v3 dropped codegen/dotnet before v3.248.0
// (the release the other SDKs are generated with, ../pulumi-gen-braket): this
// one pins v3.206.0, the release test/engine/yamlmod already builds with, so the
// module cache holds its dependencies. Normally run through
// provider/scripts/gen-sdk.sh dotnet, which passes the version from the root
// package.json. Both generators write and sweep sdk/<lang> with ../../sdktree.
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi-braket/pulumi-braket/provider/sdktree"
	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const defaultSchema = "provider/cmd/pulumi-resource-braket/schema.json"

func usage() {
	fmt.Fprintf(os.Stderr, `usage: %s-dotnet --version VERSION [--schema FILE] [--out DIR]

Generates the .NET SDK into DIR (default <repo>/sdk/dotnet). Files the
generator writes are replaced; files under DIR that carry the "%s"
header but are no longer generated are deleted. Nothing else is touched.
`, sdktree.Tool, sdktree.GeneratedMarker)
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "%s-dotnet: error: %v\n", sdktree.Tool, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	// Accept (and drop) a leading "dotnet", so it is called like pulumi-gen-braket.
	if len(args) > 0 && args[0] == "dotnet" {
		args = args[1:]
	}
	root := sdktree.RepoRoot()
	flags := flag.NewFlagSet(sdktree.Tool+"-dotnet", flag.ContinueOnError)
	flags.Usage = usage
	schemaPath := flags.String("schema", filepath.Join(root, defaultSchema), "package schema (JSON)")
	outDir := flags.String("out", filepath.Join(root, "sdk", "dotnet"), "output directory")
	version := flags.String("version", "", "SDK version (required; overrides the schema's version)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", flags.Args())
	}
	if *version == "" {
		return errors.New("--version is required (gen-sdk.sh passes the root package.json version)")
	}
	if _, err := semver.ParseTolerant(*version); err != nil {
		return fmt.Errorf("--version %q is not semver: %w", *version, err)
	}

	pkg, err := bindSchema(*schemaPath, strings.TrimPrefix(*version, "v"))
	if err != nil {
		return err
	}
	// The C# generator downloads the NuGet package icon (the schema's logoUrl, else
	// Pulumi's logo from raw.githubusercontent.com) with http.Get. Generation must
	// work offline and give the same bytes every time, so it gets ours instead.
	http.DefaultTransport = logoTransport{}
	files, err := dotnet.GeneratePackage(sdktree.Tool, pkg, nil /*extraFiles*/, nil /*localDependencies*/)
	if err != nil {
		return fmt.Errorf("generating dotnet SDK: %w", err)
	}
	return sdktree.WriteTree(*outDir, root, files)
}

// bindSchema is ../pulumi-gen-braket's, against this module's pkg/v3.
func bindSchema(path, version string) (*schema.Package, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading schema: %w", err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("parsing schema %s: %w", path, err)
	}
	spec.Version = version

	// A nil plugin host is enough while the schema references no other package.
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
		return nil, fmt.Errorf("binding schema %s: %w", path, err)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("schema %s has %d error(s), see above", path, len(diags.Errs()))
	}
	return pkg, nil
}

// logo is the icon of the Pulumi.Braket NuGet package (sdk/dotnet/logo.png).
//
//go:embed logo.png
var logo []byte

// logoTransport answers every GET with logo and refuses anything else, so the
// generator never reaches the network.
type logoTransport struct{}

func (logoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		return nil, fmt.Errorf("%s %s: the .NET generator runs offline", req.Method, req.URL)
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": []string{"image/png"}},
		Body:          io.NopCloser(bytes.NewReader(logo)),
		ContentLength: int64(len(logo)),
		Request:       req,
	}, nil
}
