// Command bench measures how fast partnercenter-operator onboards N customers
// and what it costs, against the floor measured in the same run.
//
// It starts a fresh envtest control plane (kube-apiserver + etcd, with an
// audit log of the measured users) and the Partner Center simulator as its
// own process (every delay zero), runs the real manager binary as a
// subprocess, applies N onboardings as fast as the API server accepts them
// and watches every object until it is Ready. Then, on a second fresh control
// plane, a plain client does only the writes an onboarding needs (the
// floor). Optionally a third run has the simulator answer 30% of calls with
// 429 + Retry-After. Results go to bench/results/ as JSON and a markdown
// table. Benchmarks report; they never fail on time. The throttled run does
// fail (exit 1) if a call arrived before its Retry-After or a customer or
// order was created twice: those are correctness, not speed.
//
// Run it with `make bench` (which builds bin/manager and bin/partnercenter-sim).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap/zapcore"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
)

// Options are the harness's parameters (flags, defaulted from BENCH_* env).
type Options struct {
	// Mode is "" (the onboarding benchmark against the floor), modeLimits or modeScale.
	Mode string
	// N is the number of onboardings.
	N int
	// Parallel is how many goroutines create objects.
	Parallel int
	// Timeout bounds the wait for convergence; a run that does not converge is reported as such.
	Timeout time.Duration
	// Idle is how long to watch the converged system.
	Idle time.Duration
	// Throttled adds the run with 429s.
	Throttled bool
	// ThrottledN is the number of onboardings of the throttled run.
	ThrottledN int
	// ThrottleRate is the fraction of calls answered 429 in the throttled run.
	ThrottleRate float64
	// ManagerArgs are extra manager flags (tuning).
	ManagerArgs []string
	// ManagerEnv are extra environment variables of the manager (GOGC, GOMEMLIMIT).
	ManagerEnv []string
	// Floor runs the floor.
	Floor bool
	// Rounds is how many times the manager and the floor are measured,
	// alternately, each on a fresh control plane; the wall-time ratio is the
	// median of the rounds' (the first round gives every other figure).
	Rounds int
	// LastApplied gives every object kubectl's last-applied-configuration
	// annotation, as client-side apply (kubectl apply, Argo CD's default) does.
	LastApplied bool
	// APIServerProfile is how long to CPU-profile each run's kube-apiserver
	// from the start of convergence (0: not profiled); the profile is
	// <work>/<run>/apiserver-cpu.pprof.
	APIServerProfile time.Duration
	// Out is the results directory.
	Out string
	// Work holds logs, kubeconfigs and audit logs.
	Work string
	// Root is the repository root.
	Root string
	// ManagerBin and SimBin are the binaries.
	ManagerBin, SimBin string
}

func main() {
	opts := parseOptions()
	// Warnings and errors only: the harness's informers are not the subject.
	ctrl.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.Level(zapcore.WarnLevel)))
	failed, err := run(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

// envInt reads an integer from the environment, or def.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// envString reads a string from the environment, or def.
func envString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func parseOptions() Options {
	var o Options
	var managerArgs, managerEnv string
	flag.StringVar(&o.Mode, "mode", "", "empty: the onboarding benchmark against the floor; "+modeLimits+": N onboardings at Partner Center's documented rate limits and latency, against the rate-limit floor; "+modeScale+": N settled onboardings, then 100 new ones on the idle operator and 100 more during a full sweep; "+modeSummary+": only rewrite <out>/README.md from the results there (after copying runs in)")
	flag.IntVar(&o.N, "n", envInt("BENCH_N", 1000), "onboardings (env BENCH_N)")
	flag.IntVar(&o.Parallel, "parallel", envInt("BENCH_PARALLEL", 16), "goroutines creating objects (env BENCH_PARALLEL)")
	flag.DurationVar(&o.Timeout, "timeout", 30*time.Minute, "longest wait for convergence (reported, never a failure)")
	flag.DurationVar(&o.Idle, "idle", 60*time.Second, "how long to watch the converged system")
	flag.BoolVar(&o.Throttled, "throttled", os.Getenv("BENCH_THROTTLED") == "1", "also run with 429s (env BENCH_THROTTLED=1)")
	flag.IntVar(&o.ThrottledN, "throttled-n", envInt("BENCH_THROTTLED_N", 100),
		"onboardings of the throttled run (env BENCH_THROTTLED_N; every 429 holds the whole account for its Retry-After, so it runs ~7 s per onboarding)")
	flag.Float64Var(&o.ThrottleRate, "throttle-rate", 0.3, "fraction of Partner Center calls answered 429 in the throttled run")
	flag.StringVar(&managerArgs, "manager-args", envString("BENCH_MANAGER_ARGS", defaultManagerArgs), "extra manager flags, space separated (env BENCH_MANAGER_ARGS)")
	flag.StringVar(&managerEnv, "manager-env", os.Getenv("BENCH_MANAGER_ENV"), "extra manager environment, space separated, e.g. GOMEMLIMIT=48MiB (env BENCH_MANAGER_ENV)")
	flag.BoolVar(&o.Floor, "floor", true, "measure the floor")
	flag.IntVar(&o.Rounds, "rounds", envInt("BENCH_ROUNDS", 1),
		"measure manager and floor this many times, alternately, and report the median wall-time ratio (env BENCH_ROUNDS; later rounds skip the idle window)")
	flag.BoolVar(&o.LastApplied, "last-applied", false, "give every object kubectl's last-applied-configuration annotation, as client-side apply (kubectl apply, Argo CD's default) leaves it")
	flag.DurationVar(&o.APIServerProfile, "apiserver-profile", 0, "CPU-profile each run's kube-apiserver for this long from the start of convergence, into <work>/<run>/apiserver-cpu.pprof")
	flag.StringVar(&o.Out, "out", "bench/results", "results directory")
	flag.StringVar(&o.Work, "work", "", "work directory for logs and audit logs (default a temporary one)")
	flag.StringVar(&o.ManagerBin, "manager-bin", "bin/manager", "manager binary")
	flag.StringVar(&o.SimBin, "sim-bin", "bin/partnercenter-sim", "simulator binary")
	flag.Parse()
	o.ManagerArgs = strings.Fields(managerArgs)
	o.ManagerEnv = strings.Fields(managerEnv)
	o.Root, _ = os.Getwd()
	return o
}

// defaultManagerArgs are the manager flags the benchmark runs with: the
// Partner Center client limit lifted (the floor makes no Partner Center
// calls; a real account's limit is discussed in docs/performance.md) and the
// default resync.
const defaultManagerArgs = "--partner-center-qps=0 --resync-period=1h"

// modeSummary rewrites the results directory's summary and runs nothing.
const modeSummary = "summary"

// run does the runs and writes the results; failed reports a broken
// throttling assertion.
func run(o Options) (failed bool, err error) {
	if o.Mode == modeSummary {
		return false, WriteSummary(o.Out)
	}
	if o.Work == "" {
		if o.Work, err = os.MkdirTemp("", "pco-bench-"); err != nil {
			return false, err
		}
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return false, err
	}
	fmt.Fprintf(os.Stderr, "bench: N=%d, logs and audit logs in %s\n", o.N, o.Work)
	switch o.Mode {
	case "":
	case modeLimits:
		return false, runLimits(o)
	case modeScale:
		return false, runScale(o)
	default:
		return false, fmt.Errorf("unknown -mode %q", o.Mode)
	}
	res := newResult(o, fmt.Sprintf("n%d", o.N), o.N)
	res.Manager, err = measureManager(o, o.N, SimOptions{}, filepath.Join(o.Work, "manager"))
	if err != nil {
		return false, err
	}
	if o.Floor {
		if res.Floor, err = measureFloor(o, res.Manager, filepath.Join(o.Work, "floor")); err != nil {
			return false, err
		}
		res.addRound(res.Manager, res.Floor)
		if err := measureMoreRounds(o, res); err != nil {
			return false, err
		}
		res.computeRatios()
	}
	if err := res.write(o.Out); err != nil {
		return false, err
	}
	fmt.Println(res.Markdown())
	if !o.Throttled {
		return false, WriteSummary(o.Out)
	}
	th := newResult(o, fmt.Sprintf("n%d-throttled", o.ThrottledN), o.ThrottledN)
	sim := SimOptions{ThrottleRate: o.ThrottleRate, RetryAfter: time.Second}
	if th.Manager, err = measureManager(o, o.ThrottledN, sim, filepath.Join(o.Work, "throttled")); err != nil {
		return false, err
	}
	if err := th.write(o.Out); err != nil {
		return false, err
	}
	fmt.Println(th.Markdown())
	return !th.Manager.Throttle.Passed(), WriteSummary(o.Out)
}

// measureMoreRounds measures manager and floor again, alternately, until
// o.Rounds rounds are in res. A single run's wall-time ratio moves by 30 %
// and more on a shared machine; the median of alternating rounds is what
// the target is judged by. Later rounds watch no idle window and profile
// nothing: only their wall and kube-apiserver CPU times are kept.
func measureMoreRounds(o Options, res *Result) error {
	again := o
	again.Idle, again.APIServerProfile = 0, 0
	for round := 2; round <= o.Rounds; round++ {
		fmt.Fprintf(os.Stderr, "bench: round %d of %d\n", round, o.Rounds)
		dir := filepath.Join(o.Work, fmt.Sprintf("round%d", round))
		m, err := measureManager(again, o.N, SimOptions{}, filepath.Join(dir, "manager"))
		if err != nil {
			return err
		}
		f, err := measureFloor(again, m, filepath.Join(dir, "floor"))
		if err != nil {
			return err
		}
		res.addRound(m, f)
	}
	return nil
}
