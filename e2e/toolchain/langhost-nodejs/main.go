// Command pulumi-language-nodejs is a small Node.js language host for the
// hermetic e2e toolchain of this project.
//
// Why it exists: the upstream language host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) and the
// Go module proxy reachable from this workplace does not serve any version of
// it. Everything it has to do for `pulumi preview|up|destroy` with a
// TypeScript program and for `--policy-pack` with a Node.js policy pack is to
// start `node` on the scripts that ship inside the @pulumi/pulumi npm package,
// so this host does exactly that and answers "unimplemented" for the rest
// (code generation, packing, linking, templates). The engine treats an
// unimplemented Handshake / GetRequiredPackages as an older host and falls
// back to the classic calls, which this host implements.
//
// Protocol, as expected by @pulumi/pulumi 3.259.0 (cmd/run, cmd/run-plugin,
// cmd/run-policy-pack):
//   - program: node <@pulumi/pulumi/cmd/run> --monitor A --engine A
//     [--organization O] --project P [--root-directory D] --stack S --pwd D
//     [--dry-run] --parallel N <entry point> [args...], with the stack config in
//     PULUMI_CONFIG (JSON object of "<ns>:config:<name>" keys) and the secret
//     keys in PULUMI_CONFIG_SECRET_KEYS (JSON array); PULUMI_NODEJS_TYPESCRIPT
//     and PULUMI_NODEJS_TSCONFIG_PATH follow the project's runtime options.
//   - policy pack: node <@pulumi/pulumi/cmd/run-policy-pack> <args> <pack dir>
//     run in the pack directory, its gRPC port relayed through sdk.PolicyProxy
//     so that the stack configuration reaches the pack as PULUMI_NODEJS_* env.
//   - other node plugins: node <@pulumi/pulumi/cmd/run-plugin> <dir> <args>.
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
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blang/semver"
	"github.com/google/shlex"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// exitCodeUserMessageShown is the exit code @pulumi/pulumi's run script uses
// after it already printed an actionable message: the engine must just bail.
const exitCodeUserMessageShown = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string

	cancelOnce sync.Once
	cancelCtx  context.Context
	cancel     context.CancelFunc
}

func main() {
	flag.String("tracing", "", "accepted for compatibility; tracing is not supported")
	runtimeName := flag.String("runtime", "nodejs", "only nodejs is supported")
	showVersion := flag.Bool("version", false, "print the plugin version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	if *runtimeName != "nodejs" {
		fmt.Fprintf(os.Stderr, "unsupported runtime %q (this host only runs nodejs)\n", *runtimeName)
		os.Exit(1)
	}
	logging.InitLogging(false, 0, false)

	h := &host{}
	h.cancelCtx, h.cancel = context.WithCancel(context.Background())
	if args := flag.Args(); len(args) > 0 {
		h.engineAddress = args[0]
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	done := make(chan bool)
	go func() {
		<-ctx.Done()
		close(done)
	}()
	if h.engineAddress != "" {
		// Exit on our own once the engine goes away.
		if err := rpcutil.Healthcheck(ctx, h.engineAddress, 5*time.Minute, stop); err != nil {
			fmt.Fprintf(os.Stderr, "could not start health check: %v\n", err)
			os.Exit(1)
		}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: done,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not start language host: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "language host stopped: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// Handshake is used when the engine attaches to an already running host.
func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelOnce.Do(h.cancel)
	return &emptypb.Empty{}, nil
}

// nodeOptions are the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml.
type nodeOptions struct {
	typescript   bool
	tsconfigPath string
	nodeArgs     []string
}

func parseOptions(opts map[string]any) (nodeOptions, error) {
	o := nodeOptions{typescript: true}
	if v, ok := opts["typescript"]; ok {
		b, ok := v.(bool)
		if !ok {
			return o, errors.New("runtime option typescript must be a boolean")
		}
		o.typescript = b
	}
	if v, ok := opts["tsconfig"]; ok {
		s, ok := v.(string)
		if !ok {
			return o, errors.New("runtime option tsconfig must be a string")
		}
		o.tsconfigPath = s
	}
	if v, ok := opts["nodeargs"]; ok {
		s, ok := v.(string)
		if !ok {
			return o, errors.New("runtime option nodeargs must be a string")
		}
		args, err := shlex.Split(s)
		if err != nil {
			return o, fmt.Errorf("runtime option nodeargs: %w", err)
		}
		o.nodeArgs = args
	}
	return o, nil
}

func (o nodeOptions) env() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfigPath != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfigPath)
	}
	return env
}

func optionsOf(info *pulumirpc.ProgramInfo) map[string]any {
	if info == nil || info.GetOptions() == nil {
		return map[string]any{}
	}
	return info.GetOptions().AsMap()
}

// resolveModule finds `mod` (e.g. @pulumi/pulumi/cmd/run) the way node would
// from dir, so the program's own copy of @pulumi/pulumi is used.
func resolveModule(nodeBin, mod, dir string) (string, error) {
	script := `try { process.stdout.write(require.resolve(process.argv[1], { paths: [process.argv[2]] })); }` +
		` catch (e) { process.stderr.write(e.code === "MODULE_NOT_FOUND" ? ` +
		`"could not find " + process.argv[1] + " from " + process.argv[2] + ": run npm install there" : e.message);` +
		` process.exit(1); }`
	cmd := exec.Command(nodeBin, "-e", script, mod, dir)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", errors.New(msg)
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	fail := func(err error) (*pulumirpc.RunResponse, error) {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	info := req.GetInfo()
	if info == nil {
		return fail(errors.New("run request without program info"))
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fail(fmt.Errorf("could not find node on $PATH: %w", err))
	}
	opts, err := parseOptions(optionsOf(info))
	if err != nil {
		return fail(err)
	}
	runScript := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runScript == "" {
		runScript = "@pulumi/pulumi/cmd/run"
	}
	runPath, err := resolveModule(nodeBin, runScript, info.GetProgramDirectory())
	if err != nil {
		return fail(err)
	}

	configJSON, err := legacyConfigJSON(req.GetConfig())
	if err != nil {
		return fail(fmt.Errorf("serializing stack config: %w", err))
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return fail(fmt.Errorf("serializing secret config keys: %w", err))
	}

	args := append([]string{}, opts.nodeArgs...)
	args = append(args, runPath)
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engine())
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	env := os.Environ()
	env = append(env, "PULUMI_CONFIG="+configJSON, "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	env = append(env, opts.env()...)

	cmdCtx, cmdCancel := context.WithCancel(h.cancelCtx)
	defer cmdCancel()
	stopWatch := context.AfterFunc(ctx, cmdCancel)
	defer stopWatch()
	cmd := exec.CommandContext(cmdCtx, nodeBin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	// node may switch its stdio to non-blocking mode; never hand it our own
	// file descriptors directly.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	logging.V(5).Infof("pulumi-language-nodejs: running %v", cmd.Args)

	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			switch code := exitErr.ExitCode(); code {
			case exitCodeUserMessageShown:
				return &pulumirpc.RunResponse{Bail: true}, nil
			default:
				return fail(fmt.Errorf("Program exited with non-zero exit code: %d", code))
			}
		}
		return fail(fmt.Errorf("could not run node: %w", err))
	}
	return &pulumirpc.RunResponse{}, nil
}

// legacyConfigJSON renders config keys as "<namespace>:config:<name>", the
// form every @pulumi/pulumi version understands.
func legacyConfigJSON(cfg map[string]string) (string, error) {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", err
		}
		out[key.Namespace()+":config:"+key.Name()] = v
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	info := req.GetInfo()
	if info == nil {
		return errors.New("run plugin request without program info")
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on $PATH: %w", err)
	}
	opts, err := parseOptions(optionsOf(info))
	if err != nil {
		return err
	}
	isPolicyPack := req.GetKind() == string(apitype.AnalyzerPlugin)
	script := "@pulumi/pulumi/cmd/run-plugin"
	if isPolicyPack {
		script = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	scriptPath, err := resolveModule(nodeBin, script, info.GetProgramDirectory())
	if err != nil {
		return err
	}

	args := []string{scriptPath}
	args = append(args, opts.nodeArgs...)
	if isPolicyPack {
		args = append(args, req.GetArgs()...)
		args = append(args, info.GetProgramDirectory())
	} else {
		args = append(args, info.GetProgramDirectory())
		args = append(args, req.GetArgs()...)
	}
	env := append([]string{}, req.GetEnv()...)
	env = append(env, opts.env()...)

	var proxy *sdk.PolicyProxy
	if isPolicyPack {
		// The engine talks to the pack through this proxy; it first answers
		// ConfigureStack so the pack can be started with the stack settings.
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("starting policy pack proxy: %w", err)
		}
		cfg, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("waiting for stack configuration: %w", err)
		}
		if cfg != nil {
			setEnv := func(k, v string) {
				if v != "" {
					env = append(env, k+"="+v)
				}
			}
			setEnv("PULUMI_NODEJS_ORGANIZATION", cfg.GetOrganization())
			setEnv("PULUMI_NODEJS_PROJECT", cfg.GetProject())
			setEnv("PULUMI_NODEJS_STACK", cfg.GetStack())
			setEnv("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(cfg.GetDryRun()))
			if cfg.GetConfig() != nil {
				b, err := json.Marshal(cfg.GetConfig())
				if err != nil {
					return fmt.Errorf("serializing stack configuration: %w", err)
				}
				setEnv("PULUMI_CONFIG", string(b))
			}
		}
	}

	cmd := exec.CommandContext(ctx, nodeBin, args...)
	if isPolicyPack {
		cmd.Dir = info.GetProgramDirectory()
	} else {
		cmd.Dir = req.GetPwd()
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	logging.V(5).Infof("pulumi-language-nodejs: running plugin %v", cmd.Args)

	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not run node: %w", err)
	}
	if proxy != nil {
		// Attach relays the pack's port to the engine and waits for the pack.
		if err := proxy.Attach(ctx, cmd); err != nil {
			return fmt.Errorf("attaching policy pack: %w", err)
		}
	} else if err := cmd.Wait(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return err
	}
	return closer.Close()
}

// packageJSON is the part of a package.json that marks a Pulumi provider SDK.
type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// GetRequiredPlugins lists the resource plugins that the program's installed
// npm packages declare ("pulumi": {"resource": true} in package.json).
func (h *host) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetProgram() //nolint:staticcheck // older engines
	}
	plugins, err := scanNodeModules(dir)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func scanNodeModules(programDir string) ([]*pulumirpc.PluginDependency, error) {
	// Walk up to the nearest node_modules, as node's resolution would.
	var modules string
	for d := programDir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "node_modules")); err == nil && st.IsDir() {
			modules = filepath.Join(d, "node_modules")
			break
		}
		if filepath.Dir(d) == d {
			return nil, nil
		}
	}
	var candidates []string
	entries, err := os.ReadDir(modules)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "@") {
			scoped, err := os.ReadDir(filepath.Join(modules, e.Name()))
			if err != nil {
				continue
			}
			for _, s := range scoped {
				candidates = append(candidates, filepath.Join(modules, e.Name(), s.Name()))
			}
		} else if !strings.HasPrefix(e.Name(), ".") {
			candidates = append(candidates, filepath.Join(modules, e.Name()))
		}
	}
	seen := map[string]*pulumirpc.PluginDependency{}
	for _, c := range candidates {
		raw, err := os.ReadFile(filepath.Join(c, "package.json"))
		if err != nil {
			continue
		}
		var pkg packageJSON
		if json.Unmarshal(raw, &pkg) != nil || pkg.Pulumi == nil || !pkg.Pulumi.Resource {
			continue
		}
		name := pkg.Pulumi.Name
		if name == "" {
			name = strings.TrimPrefix(pkg.Name, "@pulumi/")
		}
		ver := pkg.Pulumi.Version
		if ver == "" {
			ver = pkg.Version
		}
		if v, err := semver.ParseTolerant(ver); err == nil {
			ver = "v" + v.String()
		}
		seen[name] = &pulumirpc.PluginDependency{
			Name: name, Kind: string(apitype.ResourcePlugin), Version: ver, Server: pkg.Pulumi.Server,
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]*pulumirpc.PluginDependency, 0, len(names))
	for _, n := range names {
		out = append(out, seen[n])
	}
	return out, nil
}

// InstallDependencies runs `npm install` in the program directory; the e2e
// scripts install dependencies themselves, so this is only a convenience.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory() //nolint:staticcheck // older engines
	}
	send := func(stdout, stderr []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: stdout, Stderr: stderr})
	}
	cmd := exec.CommandContext(server.Context(), "npm", "install", "--no-audit", "--no-fund")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if sendErr := send(out, nil); sendErr != nil {
		return sendErr
	}
	if err != nil {
		return fmt.Errorf("npm install in %s: %w", dir, err)
	}
	return nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	resp := &pulumirpc.AboutResponse{Executable: "node"}
	if nodeBin, err := exec.LookPath("node"); err == nil {
		resp.Executable = nodeBin
		if out, err := exec.Command(nodeBin, "--version").Output(); err == nil {
			resp.Version = strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
		}
	}
	return resp, nil
}

func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}
