// Command pulumi-language-go is a small Go language host for the Pulumi
// engine, written for this repository's offline test setup (see
// test/engine/README.md).
//
// Why it exists: upstream's host is the Go module
// github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3, which the Go module
// proxy we can reach refuses (HTTP 403). The engine (pkg/v3) and the SDK
// (sdk/v3) are served, so we build the engine from them and pair it with this
// host, built on sdk/v3's LanguageRuntime gRPC service.
//
// What it implements, for `pulumi preview/up/refresh/destroy`:
//
//   - Run: `go build` of the program directory (the go on PATH, with the
//     caller's environment, so GOFLAGS, GOPROXY, GOTOOLCHAIN, ... apply) into
//     a temporary file, or into runtime.options.buildTarget; or no build at
//     all when runtime.options.binary names a prebuilt program. Then runs it
//     with the PULUMI_* variables the Go SDK's pulumi.Run reads (getEnvInfo in
//     sdk/go/pulumi/run.go). Exit status 32 (the SDK's "error already
//     logged") becomes a Bail.
//   - GetRequiredPackages / GetRequiredPlugins: report nothing. The engine
//     then loads resource plugins on demand when the program first uses them
//     (from the plugin cache or PATH), which is all our tests need; upstream
//     instead reads pulumi-plugin.json files of the program's Go modules.
//   - GetPluginInfo, Handshake, About.
//   - InstallDependencies: a no-op that says so (`go build` fetches missing
//     modules itself when GOFLAGS=-mod=mod and a module proxy is reachable).
//
// Everything else (debugging with delve, `go run` mode, policy packs,
// RunPlugin, code generation, Pack, Link, GetProgramDependencies, ...) answers
// Unimplemented (from the embedded UnimplementedLanguageRuntimeServer).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Exit status of a program whose pulumi.Run has already logged the error
// through the engine (constant.ExitStatusLoggedError in sdk/v3).
const exitAfterLoggedError = 32

func main() {
	// The engine starts language hosts as `pulumi-language-go <engine address>`;
	// the flags are the ones any plugin may get, accepted so they do no harm.
	flag.String("tracing", "", "accepted for compatibility; ignored")
	if flag.Lookup("logtostderr") == nil { // glog may have registered these
		flag.Bool("logtostderr", false, "log to stderr")
	}
	if flag.Lookup("v") == nil {
		flag.Int("v", 0, "log verbosity")
	}
	flag.Bool("logflow", false, "accepted for compatibility; ignored")
	flag.String("root", "", "accepted for compatibility; ignored")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	logging.InitLogging(false, 0, false)

	host := &goHost{}
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
		fmt.Fprintf(os.Stderr, "pulumi-language-go: could not start gRPC server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port) // the engine reads the port from our first stdout line
	go exitWhenOrphaned(os.Getppid())
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-go: gRPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

// exitWhenOrphaned ends this process once its parent, the engine, is gone:
// an engine killed with SIGKILL (say, by a CI timeout) cannot stop its
// plugins, and we would otherwise serve forever. Being re-parented is the sign.
func exitWhenOrphaned(parent int) {
	for range time.Tick(time.Second) {
		if os.Getppid() != parent {
			os.Exit(1)
		}
	}
}

type goHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu     sync.Mutex
	engine string
}

func (h *goHost) setEngine(addr string) { h.mu.Lock(); h.engine = addr; h.mu.Unlock() }
func (h *goHost) engineAddr() string    { h.mu.Lock(); defer h.mu.Unlock(); return h.engine }

// Handshake is only used when the engine attaches to an already running host
// (PULUMI_DEBUG_LANGUAGES); normally the address comes as our argument.
func (h *goHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.setEngine(req.GetEngineAddress())
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *goHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func programDir(info *pulumirpc.ProgramInfo, fallback string) string {
	if d := info.GetProgramDirectory(); d != "" {
		return d
	}
	if fallback != "" {
		return fallback
	}
	wd, _ := os.Getwd()
	return wd
}

// stringOption reads a string-valued runtime.options entry of Pulumi.yaml.
func stringOption(info *pulumirpc.ProgramInfo, name string) (string, error) {
	if info.GetOptions() == nil {
		return "", nil
	}
	v, ok := info.GetOptions().AsMap()[name]
	if !ok {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("runtime.options.%s must be a string", name)
	}
	return s, nil
}

// programEnv is the contract with the Go SDK: pulumi.Run reads these
// variables (names from sdk/v3@v3.248.0 go/pulumi/run.go, Env* constants;
// not imported so that this host does not link the whole Go SDK).
func (h *goHost) programEnv(req *pulumirpc.RunRequest) ([]string, error) {
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
	env := os.Environ()
	set := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	set("PULUMI_MONITOR", req.GetMonitorAddress())
	set("PULUMI_ENGINE", h.engineAddr())
	set("PULUMI_PROJECT", req.GetProject())
	set("PULUMI_STACK", req.GetStack())
	set("PULUMI_ORGANIZATION", req.GetOrganization())
	set("PULUMI_ROOT_DIRECTORY", req.GetInfo().GetRootDirectory())
	set("PULUMI_CONFIG", string(configJSON))
	set("PULUMI_CONFIG_SECRET_KEYS", string(secretKeysJSON))
	set("PULUMI_DRY_RUN", strconv.FormatBool(req.GetDryRun()))
	set("PULUMI_PARALLEL", strconv.Itoa(int(req.GetParallel())))
	return env, nil
}

func (h *goHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := programDir(info, req.GetPwd())
	pwd := req.GetPwd()
	if pwd == "" {
		pwd = dir
	}
	fail := func(format string, a ...any) (*pulumirpc.RunResponse, error) {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf(format, a...)}, nil
	}

	binary, err := stringOption(info, "binary")
	if err != nil {
		return fail("%v", err)
	}
	buildTarget, err := stringOption(info, "buildTarget")
	if err != nil {
		return fail("%v", err)
	}
	if binary != "" && buildTarget != "" {
		return fail("runtime.options.binary and buildTarget cannot both be set")
	}
	env, err := h.programEnv(req)
	if err != nil {
		return nil, err
	}

	var program string
	if binary != "" {
		// A prebuilt program: a path (relative ones from the program
		// directory), else a command on PATH.
		program = binary
		if !filepath.IsAbs(binary) {
			if _, err := os.Stat(filepath.Join(dir, binary)); err == nil || strings.ContainsRune(binary, filepath.Separator) {
				program = filepath.Join(dir, binary)
			}
		}
		if program, err = exec.LookPath(program); err != nil {
			return fail("runtime.options.binary %q: %v", binary, err)
		}
	} else {
		if program, err = h.build(ctx, dir, buildTarget); err != nil {
			return fail("%v", err)
		}
		if buildTarget == "" {
			defer os.Remove(program)
		}
	}

	logging.V(5).Infof("pulumi-language-go: running %s (in %s)", program, pwd)
	cmd := exec.CommandContext(ctx, program, req.GetArgs()...)
	cmd.Dir = pwd
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr // the engine shows both to the user
	// If the engine gives up on the run, interrupt the program (the Go SDK
	// does not trap SIGINT, so this ends it) and kill it if it lingers.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	return runResponse(cmd.Run()), nil
}

// build compiles the program in dir with `go build` and returns the binary's
// path: target (relative to dir) if set, else a fresh temporary file.
func (h *goHost) build(ctx context.Context, dir, target string) (string, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("cannot build the Go program: go not found on PATH: %w", err)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*.go")); len(matches) == 0 {
		return "", fmt.Errorf("no Go files in %s to build", dir)
	}
	out := target
	if out == "" {
		f, err := os.CreateTemp("", "pulumi-go.*")
		if err != nil {
			return "", err
		}
		out = f.Name()
		_ = f.Close()
	} else if !filepath.IsAbs(out) {
		out = filepath.Join(dir, out)
	}
	// Like upstream: no VCS stamping (fails in some checkouts, and makes every
	// commit a rebuild), and a smaller, faster-to-link binary.
	args := []string{"build", "-buildvcs=false", "-trimpath", "-ldflags", "-s -w", "-o", out, "."}
	logging.V(5).Infof("pulumi-language-go: %s %s (in %s)", gobin, strings.Join(args, " "), dir)
	cmd := exec.CommandContext(ctx, gobin, args...)
	cmd.Dir = dir
	// Compiler errors go to our stderr, which the engine shows to the user.
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		if target == "" {
			_ = os.Remove(out)
		}
		return "", fmt.Errorf("`go build` of the program in %s failed (%v); its output is above", dir, err)
	}
	return out, nil
}

// runResponse turns the program's exit into what the engine expects.
func runResponse(err error) *pulumirpc.RunResponse {
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the Go program: %v", err)}
	}
	if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Go program was killed by signal %v", status.Signal())}
	}
	if exitErr.ExitCode() == exitAfterLoggedError {
		return &pulumirpc.RunResponse{Bail: true}
	}
	// E.g. 2 after a panic, whose message and stack are on stderr.
	return &pulumirpc.RunResponse{
		Error: fmt.Sprintf("Go program exited with non-zero exit code: %d", exitErr.ExitCode()),
	}
}

func (h *goHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil // see the package comment
}

func (h *goHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil // see the package comment
}

func (h *goHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("go not found on PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, gobin, "env", "GOVERSION").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOVERSION: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: gobin,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "go"),
	}, nil
}

func (h *goHost) InstallDependencies(
	_ *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	msg := "pulumi-language-go (test build) does not install dependencies: `go build` resolves them " +
		"from the module cache (or a module proxy with GOFLAGS=-mod=mod) when the program runs.\n"
	return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: []byte(msg)})
}
