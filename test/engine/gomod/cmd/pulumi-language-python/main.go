// Command pulumi-language-python is a small Python language host for the
// Pulumi engine, written for this repository's offline test setup (see
// test/engine/README.md).
//
// Why it exists: upstream's host is the Go module
// github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3, which the
// Go module proxy we can reach refuses (HTTP 403). The engine (pkg/v3) and the
// SDK (sdk/v3) are served, so we build the engine from them and pair it with
// this host, built on sdk/v3's LanguageRuntime gRPC service.
//
// What it implements, for `pulumi preview/up/refresh/destroy`:
//
//   - Run: starts `<python> pulumi-language-python-exec --monitor ... PROGRAM`
//     (our exec script, installed next to this binary) in the program
//     directory, with the configuration in PULUMI_CONFIG and
//     PULUMI_CONFIG_SECRET_KEYS. <python> is the `python` of the virtualenv
//     named by Pulumi.yaml's runtime.options.virtualenv (relative to the
//     project root), else $PULUMI_PYTHON_CMD, else python3 (or python) on PATH.
//     Exit status 32 of the script means "error already shown to the user"
//     and becomes a Bail.
//   - GetRequiredPackages / GetRequiredPlugins: report nothing. The engine
//     then loads resource plugins on demand when the program first uses them
//     (from the plugin cache or PATH), which is all our tests need; upstream
//     instead lists pip packages that ship a pulumi-plugin.json.
//   - GetPluginInfo, Handshake, About.
//   - InstallDependencies: a no-op that says so (this host never creates or
//     fills virtualenvs).
//
// Everything else (toolchains poetry/uv, typecheckers, debugging, policy
// packs, RunPlugin, code generation, Pack, Link, GetProgramDependencies, ...)
// answers Unimplemented (from the embedded UnimplementedLanguageRuntimeServer)
// or fails with a message naming the unsupported option.
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
	"slices"
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

const (
	// The exec script ensure-engine.sh installs next to this binary.
	execScriptName = "pulumi-language-python-exec"
	// Exit status of the exec script after it has logged the error through
	// the engine (same convention as the Node.js and Go SDKs).
	exitAfterLoggedError = 32
)

func main() {
	// The engine starts language hosts as `pulumi-language-python <engine address>`;
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
	useExecutor := flag.String("use-executor", "",
		"exec script to run programs with (default: "+execScriptName+" next to this binary)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	logging.InitLogging(false, 0, false)

	host := &pythonHost{execScript: *useExecutor}
	if host.execScript == "" {
		self, err := os.Executable()
		if err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
			os.Exit(1)
		}
		host.execScript = filepath.Join(filepath.Dir(self), execScriptName)
	}
	if _, err := os.Stat(host.execScript); err != nil {
		// Fail at start-up rather than at the first Run: the install is broken.
		fmt.Fprintf(os.Stderr, "pulumi-language-python: missing exec script: %v\n", err)
		os.Exit(1)
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
		fmt.Fprintf(os.Stderr, "pulumi-language-python: could not start gRPC server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port) // the engine reads the port from our first stdout line
	go exitWhenOrphaned(os.Getppid())
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: gRPC server stopped: %v\n", err)
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

type pythonHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	execScript string

	mu     sync.Mutex
	engine string
}

func (h *pythonHost) setEngine(addr string) { h.mu.Lock(); h.engine = addr; h.mu.Unlock() }
func (h *pythonHost) engineAddr() string    { h.mu.Lock(); defer h.mu.Unlock(); return h.engine }

// Handshake is only used when the engine attaches to an already running host
// (PULUMI_DEBUG_LANGUAGES); normally the address comes as our argument.
func (h *pythonHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.setEngine(req.GetEngineAddress())
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *pythonHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
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

// python picks the interpreter and its environment, from Pulumi.yaml's
// runtime.options (virtualenv) or the PATH.
func python(info *pulumirpc.ProgramInfo) (string, []string, error) {
	opts := map[string]any{}
	if info.GetOptions() != nil {
		opts = info.GetOptions().AsMap()
	}
	// Options we cannot honour fail loudly instead of running the program
	// with the wrong interpreter or without the checks the user asked for.
	if tc, ok := opts["toolchain"]; ok && tc != "pip" {
		return "", nil, fmt.Errorf("runtime.options.toolchain %v is not supported by this test build of "+
			"pulumi-language-python (only pip, i.e. a virtualenv or the python on PATH)", tc)
	}
	if tc, ok := opts["typechecker"]; ok {
		return "", nil, fmt.Errorf("runtime.options.typechecker %v is not supported by this test build of "+
			"pulumi-language-python", tc)
	}

	env := os.Environ()
	if v, ok := opts["virtualenv"]; ok {
		venv, isString := v.(string)
		if !isString || venv == "" {
			return "", nil, errors.New("runtime.options.virtualenv must be a non-empty string")
		}
		if !filepath.IsAbs(venv) { // relative to the project root, like upstream
			root := info.GetRootDirectory()
			if root == "" {
				root = programDir(info, "")
			}
			venv = filepath.Join(root, venv)
		}
		bin := filepath.Join(venv, "bin", "python")
		if st, err := os.Stat(bin); err != nil || st.IsDir() {
			return "", nil, fmt.Errorf("runtime.options.virtualenv is %q, but %s does not exist; "+
				"this host does not create virtualenvs: run `python3 -m venv %s && %s/bin/pip install -r requirements.txt`",
				v, bin, venv, venv)
		}
		// What `source venv/bin/activate` does, for subprocesses the program starts.
		env = slices.DeleteFunc(env, func(kv string) bool {
			return strings.HasPrefix(kv, "PYTHONHOME=") || strings.HasPrefix(kv, "VIRTUAL_ENV=")
		})
		for i, kv := range env {
			if strings.HasPrefix(kv, "PATH=") {
				env[i] = "PATH=" + filepath.Join(venv, "bin") + string(os.PathListSeparator) + kv[len("PATH="):]
			}
		}
		env = append(env, "VIRTUAL_ENV="+venv)
		return bin, env, nil
	}

	candidates := []string{"python3", "python"}
	if c := os.Getenv("PULUMI_PYTHON_CMD"); c != "" {
		candidates = []string{c}
	}
	for _, c := range candidates {
		if bin, err := exec.LookPath(c); err == nil {
			return bin, env, nil
		}
	}
	return "", nil, fmt.Errorf("none of %v found on PATH (set runtime.options.virtualenv in Pulumi.yaml "+
		"or PULUMI_PYTHON_CMD)", candidates)
}

func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := programDir(info, req.GetPwd())
	pwd := req.GetPwd()
	if pwd == "" {
		pwd = dir
	}

	bin, env, err := python(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	// The engine passes the entry point relative to the program directory
	// ("." unless Pulumi.yaml sets `main`); hand the script an absolute path.
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = req.GetProgram()
	}
	if entry == "" {
		entry = "."
	}
	if !filepath.IsAbs(entry) {
		entry = filepath.Join(dir, entry)
	}

	args := []string{h.execScript}
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engineAddr())
	flagArg("project", req.GetProject())
	flagArg("stack", req.GetStack())
	flagArg("organization", req.GetOrganization())
	flagArg("root_directory", info.GetRootDirectory())
	flagArg("pwd", pwd)
	flagArg("dry_run", strconv.FormatBool(req.GetDryRun()))
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
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
	env = append(env,
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	if os.Getenv("PYTHONUNBUFFERED") == "" {
		// print() output reaches the engine as it happens, not at exit.
		env = append(env, "PYTHONUNBUFFERED=1")
	}

	logging.V(5).Infof("pulumi-language-python: running %s %s (in %s)", bin, strings.Join(args, " "), dir)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr // the engine shows both to the user
	// If the engine gives up on the run, interrupt Python (KeyboardInterrupt)
	// and only kill it if it does not stop.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	return runResponse(cmd.Run()), nil
}

// runResponse turns the exec script's exit into what the engine expects.
func runResponse(err error) *pulumirpc.RunResponse {
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the Python program: %v", err)}
	}
	if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Python program was killed by signal %v", status.Signal())}
	}
	if exitErr.ExitCode() == exitAfterLoggedError {
		return &pulumirpc.RunResponse{Bail: true}
	}
	return &pulumirpc.RunResponse{
		Error: fmt.Sprintf("Python program exited with non-zero exit code: %d", exitErr.ExitCode()),
	}
}

func (h *pythonHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil // see the package comment
}

func (h *pythonHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil // see the package comment
}

func (h *pythonHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	bin, _, err := python(req.GetInfo())
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, bin, "--version").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", bin, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: bin,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "Python "),
	}, nil
}

func (h *pythonHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	msg := "pulumi-language-python (test build) does not install dependencies: create the virtualenv " +
		"yourself (python3 -m venv venv && venv/bin/pip install -r requirements.txt) and name it in " +
		"Pulumi.yaml's runtime.options.virtualenv.\n"
	return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: []byte(msg)})
}
