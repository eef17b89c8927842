package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
)

// tuning holds the manager's controller-runtime knobs. Each default is the
// value `make bench` measured best; docs/performance.md has the figures.
type tuning struct {
	concurrency        concurrency
	stripManagedFields bool
	stripLastApplied   bool
	pprofAddr          string
	gcPercent          int
}

// tuningFlags are registered with the other flags (before flag.Parse).
var tuningFlags = registerTuning(flag.CommandLine)

// registerTuning adds the tuning flags to fs.
func registerTuning(fs *flag.FlagSet) *tuning {
	t := &tuning{concurrency: defaultConcurrency()}
	fs.Var(&t.concurrency, "max-concurrent-reconciles",
		"Concurrent reconciles per kind: N for every kind, Kind=N for one, comma-separated (e.g. 4,Customer=8). Kinds: "+strings.Join(tunableKinds, ", ")+".")
	fs.BoolVar(&t.stripManagedFields, "cache-strip-managed-fields", true,
		"Drop metadata.managedFields from cached objects (the reconcilers never read them; saves memory per object).")
	fs.BoolVar(&t.stripLastApplied, "cache-strip-last-applied", true,
		"Drop the "+corev1.LastAppliedConfigAnnotation+" annotation (kubectl apply, Argo CD's client-side apply) from cached objects: a copy of the object the reconcilers never read.")
	fs.StringVar(&t.pprofAddr, "pprof-bind-address", "0",
		"Address of the net/http/pprof endpoint for profiling (e.g. 127.0.0.1:6060; 0 disables it).")
	fs.IntVar(&t.gcPercent, "gc-percent", defaultGCPercent,
		"Go GC target percentage, used when the GOGC environment variable is not set (0 keeps Go's 100). Lower keeps the heap closer to the live objects.")
	return t
}

// defaultGCPercent: at N=1000, 50 ended with 87 MiB RSS against 102 MiB at
// Go's 100, for the same manager CPU (26.5 s against 22.8-27.5 s).
const defaultGCPercent = 50

// gcTarget is the GC percentage to set, unless GOGC in the environment
// (looked up with lookupEnv) already chose one or the flag is off.
func (t *tuning) gcTarget(lookupEnv func(string) (string, bool)) (int, bool) {
	if _, set := lookupEnv("GOGC"); set || t.gcPercent <= 0 {
		return 0, false
	}
	return t.gcPercent, true
}

// partnerCenterTransport is the HTTP transport of the Partner Center client:
// enough idle connections for every concurrent reconcile. (The client's own
// throttle gate makes every call of the account wait out a Retry-After.)
func (t *tuning) partnerCenterTransport() *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = max(transport.MaxIdleConns, t.concurrency.total())
	transport.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: transport}
}

// newTunedManager is ctrl.NewManager with the tuning flags applied.
func newTunedManager(cfg *rest.Config, opts ctrl.Options) (ctrl.Manager, error) {
	if percent, ok := tuningFlags.gcTarget(os.LookupEnv); ok {
		debug.SetGCPercent(percent)
	}
	return ctrl.NewManager(cfg, tuningFlags.apply(opts))
}

// apply sets the knobs on opts; explicit settings already in opts win.
func (t *tuning) apply(opts ctrl.Options) ctrl.Options {
	if opts.Controller.GroupKindConcurrency == nil {
		opts.Controller.GroupKindConcurrency = map[string]int{}
	}
	for kind, n := range t.concurrency {
		key := kind + "." + v1alpha1.GroupVersion.Group
		if _, set := opts.Controller.GroupKindConcurrency[key]; !set {
			opts.Controller.GroupKindConcurrency[key] = n
		}
	}
	if opts.PprofBindAddress == "" {
		opts.PprofBindAddress = t.pprofAddr
	}
	if opts.Cache.DefaultTransform == nil {
		opts.Cache.DefaultTransform = controller.CacheTransform(t.stripManagedFields, t.stripLastApplied)
	}
	return opts
}

// tunableKinds are the kinds whose concurrency can be set.
var tunableKinds = []string{"Customer", "MCAAttestation", "ResellerPartnership", "Subscription"}

// concurrency maps a kind to its concurrent reconciles; it is a flag.Value.
type concurrency map[string]int

// defaultWorkers is the default number of concurrent reconciles per kind.
// Partner Center answers in 300 ms (p50) to 2 s (p99), so a pass of a few
// calls holds its worker for seconds: at the documented limits, 1,000
// onboardings took 440 s with 4 workers (82 % of the rate-limit floor's
// throughput) and 367 s with 12 (98 %). (Against the simulator without
// latency the API server is the bottleneck: 4 converged in 78-96 s, 8 in
// 109 s.) docs/performance.md has the runs.
const defaultWorkers = 12

// defaultConcurrency is the default number of concurrent reconciles per kind.
func defaultConcurrency() concurrency {
	c := concurrency{}
	for _, k := range tunableKinds {
		c[k] = defaultWorkers
	}
	return c
}

// total is the number of reconciles that may run at once.
func (c concurrency) total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// String renders the setting in the flag's syntax.
func (c concurrency) String() string {
	parts := make([]string, 0, len(c))
	for k, n := range c {
		parts = append(parts, k+"="+strconv.Itoa(n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// Set parses "N", "Kind=N" or a comma-separated mix; a bare N sets every kind.
func (c concurrency) Set(value string) error {
	for _, part := range strings.Split(value, ",") {
		kind, count, perKind := strings.Cut(strings.TrimSpace(part), "=")
		if !perKind {
			count = kind
		}
		n, err := strconv.Atoi(count)
		if err != nil || n < 1 {
			return fmt.Errorf("%q: the number of concurrent reconciles must be a whole number ≥ 1", part)
		}
		switch {
		case !perKind:
			for _, k := range tunableKinds {
				c[k] = n
			}
		case slices.Contains(tunableKinds, kind):
			c[kind] = n
		default:
			return fmt.Errorf("%q: unknown kind %q (kinds: %s)", part, kind, strings.Join(tunableKinds, ", "))
		}
	}
	return nil
}
