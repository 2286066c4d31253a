// Command pulumi-language-nodejs is a small, self-contained Node.js language
// host for the Pulumi engine, written for this repository's offline test setup.
//
// Why it exists: the upstream language host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which has
// no tags and which the Go module proxy reachable from our machines does not
// serve at all. The engine itself (pkg/v3) and the SDK (sdk/v3) are served, so
// we build the engine from them and pair it with this host.
//
// It implements the parts of the LanguageRuntime gRPC service that the engine
// uses for `pulumi preview/up/refresh/destroy/stack/about/install`:
//
//   - Run: starts `node [nodeargs] <@pulumi/pulumi/cmd/run> --monitor=... <entry>`
//     in the program directory, passing configuration through PULUMI_CONFIG
//     and PULUMI_CONFIG_SECRET_KEYS and the TypeScript switches through
//     PULUMI_NODEJS_TYPESCRIPT / PULUMI_NODEJS_TSCONFIG_PATH, exactly the
//     contract that @pulumi/pulumi's cmd/run script reads.
//   - GetRequiredPackages / GetRequiredPlugins: reports resource plugins
//     declared by installed npm packages ("pulumi": {"resource": true}).
//   - GetPluginInfo, Handshake, About, GetProgramDependencies,
//     InstallDependencies.
//
// Everything else (code generation, RunPlugin for source-based plugins, policy
// packs, Link, Pack, ...) answers Unimplemented, which the engine either
// tolerates or reports clearly.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Exit code used by @pulumi/pulumi's cmd/run when it has already shown the user
// an actionable error message; the engine should then not add its own.
const exitAfterLoggedError = 32

func main() {
	// Flags the engine may pass to any plugin (see buildPluginArguments in the
	// SDK), plus the historical language-host flags, which act as defaults that
	// Pulumi.yaml runtime options override.
	tracing := flag.String("tracing", "", "Zipkin-compatible tracing endpoint (forwarded to the program)")
	// -logtostderr and -v may already be registered by a dependency (glog);
	// logging.InitLogging reads them from flag.CommandLine either way.
	if flag.Lookup("logtostderr") == nil {
		flag.Bool("logtostderr", false, "log to stderr")
	}
	if flag.Lookup("v") == nil {
		flag.Int("v", 0, "log verbosity")
	}
	if flag.Lookup("logflow") == nil {
		flag.Bool("logflow", false, "accepted for compatibility; ignored")
	}
	flag.String("root", "", "accepted for compatibility; ignored")
	typescript := flag.Bool("typescript", true, "register ts-node so .ts programs run directly")
	tsconfig := flag.String("tsconfig", "", "path of the tsconfig.json handed to ts-node")
	nodeargs := flag.String("nodeargs", "", "extra arguments for node")
	packagemanager := flag.String("packagemanager", "", "npm, yarn, pnpm, bun or auto")
	flag.Parse()

	logging.InitLogging(false, 0, false)

	host := &nodeHost{
		tracing: *tracing,
		defaults: nodeOptions{
			typescript:     *typescript,
			tsconfig:       *tsconfig,
			nodeargs:       *nodeargs,
			packagemanager: *packagemanager,
		},
	}
	if args := flag.Args(); len(args) > 0 {
		host.setEngine(args[0])
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start gRPC server: %v\n", err)
		os.Exit(1)
	}

	// The engine reads the port from the first line of our stdout.
	fmt.Printf("%d\n", handle.Port)

	// The engine is our parent: when it is killed (kill -9, a CI timeout) nothing tells us, so we
	// would serve on forever. Re-parented means it is gone. (The program we run ends by itself once
	// the engine's resource monitor stops answering.)
	go func(parent int) {
		for range time.Tick(time.Second) {
			if os.Getppid() != parent {
				os.Exit(1)
			}
		}
	}(os.Getppid())

	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: gRPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

type nodeOptions struct {
	typescript     bool
	tsconfig       string
	nodeargs       string
	packagemanager string
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing  string
	defaults nodeOptions

	mu     sync.Mutex
	engine string
}

func (h *nodeHost) setEngine(addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.engine = addr
}

func (h *nodeHost) engineAddr() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engine
}

// options merges Pulumi.yaml `runtime.options` over the command-line defaults.
func (h *nodeHost) options(info *pulumirpc.ProgramInfo) nodeOptions {
	opts := h.defaults
	if info == nil || info.GetOptions() == nil {
		return opts
	}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		opts.nodeargs = v
	}
	if v, ok := m["packagemanager"].(string); ok {
		opts.packagemanager = v
	}
	return opts
}

// programDir returns the directory that holds the program (and its package.json).
func programDir(info *pulumirpc.ProgramInfo, fallbacks ...string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	for _, f := range fallbacks {
		if f != "" {
			return f
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	return wd
}

func (h *nodeHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.setEngine(req.GetEngineAddress())
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// resolveRunScript finds @pulumi/pulumi's cmd/run entry point the way Node
// itself would from the program directory (this honours hoisting in
// workspaces). PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it.
func resolveRunScript(ctx context.Context, nodeBin, dir string) (string, error) {
	if p := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); p != "" {
		return p, nil
	}
	cmd := exec.CommandContext(ctx, nodeBin, "-e", "console.log(require.resolve('@pulumi/pulumi/cmd/run'))")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not find @pulumi/pulumi from %s; have you run `npm install`? (%w)", dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := programDir(info, req.GetPwd())
	opts := h.options(info)

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on $PATH: " + err.Error()}, nil
	}
	runScript, err := resolveRunScript(ctx, nodeBin, dir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	entry := req.GetProgram()
	if info != nil && info.GetEntryPoint() != "" {
		entry = info.GetEntryPoint()
	}
	if entry == "" {
		entry = "."
	}

	args := strings.Fields(opts.nodeargs)
	args = append(args, runScript)
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name+"="+value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engineAddr())
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	if info != nil {
		flagArg("root-directory", info.GetRootDirectory())
	}
	flagArg("stack", req.GetStack())
	flagArg("pwd", dir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	}
	flagArg("tracing", h.tracing)
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("serializing config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serializing secret config keys: %w", err)
	}

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	logging.V(5).Infof("pulumi-language-nodejs: running %s %s (in %s)", nodeBin, strings.Join(args, " "), dir)
	cmd := exec.CommandContext(ctx, nodeBin, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Stdin = nil

	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code := exitErr.ExitCode()
			if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.Signaled() {
				return &pulumirpc.RunResponse{
					Error: fmt.Sprintf("Program was killed by signal %v", status.Signal()),
				}, nil
			}
			if code == exitAfterLoggedError {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code),
			}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// pluginManifest is the part of an npm package.json that declares a Pulumi
// resource plugin.
type pluginManifest struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// requiredPlugins walks <dir>/node_modules (including nested node_modules and
// @scope folders) and collects the resource plugins that installed packages
// declare.
func requiredPlugins(dir string) []*pulumirpc.PluginDependency {
	seen := map[string]*pulumirpc.PluginDependency{}
	var walkModules func(nm string, depth int)
	visitPackage := func(pkgDir string, depth int) {
		b, err := os.ReadFile(filepath.Join(pkgDir, "package.json"))
		if err == nil {
			var m pluginManifest
			if json.Unmarshal(b, &m) == nil && m.Pulumi.Resource {
				name := m.Pulumi.Name
				if name == "" {
					name = strings.TrimPrefix(m.Name, "@pulumi/")
					name = strings.TrimPrefix(name, "@")
				}
				ver := m.Pulumi.Version
				if ver == "" {
					ver = m.Version
				}
				if ver != "" && !strings.HasPrefix(ver, "v") {
					ver = "v" + ver
				}
				if name != "" {
					key := name + "@" + ver
					if _, dup := seen[key]; !dup {
						seen[key] = &pulumirpc.PluginDependency{
							Name: name, Kind: "resource", Version: ver, Server: m.Pulumi.Server,
						}
					}
				}
			}
		}
		walkModules(filepath.Join(pkgDir, "node_modules"), depth+1)
	}
	walkModules = func(nm string, depth int) {
		if depth > 8 {
			return
		}
		entries, err := os.ReadDir(nm)
		if err != nil {
			return
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			p := filepath.Join(nm, name)
			if st, err := os.Stat(p); err != nil || !st.IsDir() {
				continue
			}
			if strings.HasPrefix(name, "@") {
				scoped, err := os.ReadDir(p)
				if err != nil {
					continue
				}
				for _, s := range scoped {
					visitPackage(filepath.Join(p, s.Name()), depth)
				}
				continue
			}
			visitPackage(p, depth)
		}
	}
	walkModules(filepath.Join(dir, "node_modules"), 0)

	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*pulumirpc.PluginDependency, 0, len(keys))
	for _, k := range keys {
		out = append(out, seen[k])
	}
	return out
}

func (h *nodeHost) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	dir := programDir(req.GetInfo(), req.GetProgram(), req.GetPwd())
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: requiredPlugins(dir)}, nil
}

func (h *nodeHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	dir := programDir(req.GetInfo())
	var pkgs []*pulumirpc.PackageDependency
	for _, p := range requiredPlugins(dir) {
		pkgs = append(pkgs, &pulumirpc.PackageDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server,
		})
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

func (h *nodeHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on $PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, nodeBin, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: nodeBin,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

func (h *nodeHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), req.GetProgram(), req.GetPwd())
	opts := h.options(req.GetInfo())
	pm, err := npm.ResolvePackageManager(npm.PackageManagerType(opts.packagemanager), dir)
	if err != nil {
		return nil, err
	}
	deps, err := pm.ListPackages(ctx, dir, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	out := make([]*pulumirpc.DependencyInfo, 0, len(deps))
	for _, d := range deps {
		out = append(out, &pulumirpc.DependencyInfo{Name: d.Name, Version: d.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: out}, nil
}

// streamWriter forwards package-manager output to the engine.
type streamWriter struct {
	send   func(*pulumirpc.InstallDependenciesResponse) error
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	b := append([]byte(nil), p...)
	msg := &pulumirpc.InstallDependenciesResponse{Stdout: b}
	if w.stderr {
		msg = &pulumirpc.InstallDependenciesResponse{Stderr: b}
	}
	if err := w.send(msg); err != nil {
		return 0, err
	}
	return len(p), nil
}

var _ io.Writer = streamWriter{}

func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := programDir(req.GetInfo(), req.GetDirectory())
	opts := h.options(req.GetInfo())
	var mu sync.Mutex
	send := func(m *pulumirpc.InstallDependenciesResponse) error {
		mu.Lock()
		defer mu.Unlock()
		return server.Send(m)
	}
	_, err := npm.Install(server.Context(), npm.PackageManagerType(opts.packagemanager), dir, false,
		streamWriter{send: send}, streamWriter{send: send, stderr: true})
	return err
}
