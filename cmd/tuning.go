package main

import (
	"context"
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
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
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
// enough idle connections for every concurrent reconcile, behind a throttle
// gate that makes every call of the account wait out a Retry-After and go
// one at a time while the account is being throttled.
func (t *tuning) partnerCenterTransport() *throttleGate {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = max(transport.MaxIdleConns, t.concurrency.total())
	transport.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return newThrottleGate(&http.Client{Transport: transport}, time.Now)
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

// defaultWorkers is the default number of concurrent reconciles per kind:
// at N=1000 on 2 cores, 4 converged in 78-96 s against 115 s with 2 and
// 109 s with 8 (the API server is the bottleneck; more workers only queue
// there). docs/performance.md has the runs.
const defaultWorkers = 4

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

// throttleGate holds every request of the partner account while a
// Retry-After it was given is running. Partner Center throttles per partner
// tenant: once one call is answered 429, a call from another reconcile
// before the deadline is a violation that only prolongs the throttling
// (`make bench` counts them with the simulator). The client's own retry waits
// out the Retry-After for the call that got it; the gate makes the other
// concurrent callers wait too. After a 429 the gate also lets only one call
// be in flight at a time until calmWindow passes without another: calls sent
// side by side while the account is being throttled are answered after the
// next 429 and land inside its hold (measured: 881 such calls in the
// throttled N=100 run when all callers were released together after a hold).
type throttleGate struct {
	next policy.Transporter
	now  func() time.Time

	mu sync.Mutex
	// until is the end of the running hold.
	until time.Time
	// lastThrottled is when the last 429 was answered (zero: never).
	lastThrottled time.Time
	// inFlight counts the calls sent and not answered yet.
	inFlight int
	// changed is closed (and replaced) when a call is answered, so waiters look again.
	changed chan struct{}
}

// calmWindow is how long the account goes without a 429 before calls may
// run side by side again.
const calmWindow = time.Minute

// newThrottleGate puts the gate in front of next.
func newThrottleGate(next policy.Transporter, now func() time.Time) *throttleGate {
	return &throttleGate{next: next, now: now, changed: make(chan struct{})}
}

// Do implements policy.Transporter.
func (g *throttleGate) Do(req *http.Request) (*http.Response, error) {
	if err := g.admit(req.Context()); err != nil {
		return nil, err
	}
	resp, err := g.next.Do(req)
	var hold time.Duration
	throttled := err == nil && resp.StatusCode == http.StatusTooManyRequests
	if throttled {
		hold = retryAfter(resp.Header.Get("Retry-After"))
	}
	g.answered(throttled, hold)
	return resp, err
}

// admit blocks until the call may be sent (or ctx ends): no hold running,
// and, while the account is recovering from a 429, no other call in flight.
func (g *throttleGate) admit(ctx context.Context) error {
	for {
		g.mu.Lock()
		now := g.now()
		left := g.until.Sub(now)
		recovering := !g.lastThrottled.IsZero() && now.Sub(g.lastThrottled) < calmWindow
		if left <= 0 && (!recovering || g.inFlight == 0) {
			g.inFlight++
			g.mu.Unlock()
			return nil
		}
		changed := g.changed
		g.mu.Unlock()
		if err := pause(ctx, left, changed); err != nil {
			return err
		}
	}
}

// pause waits until a running hold is over (d > 0) or a call is answered.
func pause(ctx context.Context, d time.Duration, changed <-chan struct{}) error {
	var holdOver <-chan time.Time
	if d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		holdOver = timer.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-holdOver:
	case <-changed:
	}
	return nil
}

// answered records a call's answer: a 429 starts (or extends) a hold and
// the recovery; the waiters look again.
func (g *throttleGate) answered(throttled bool, hold time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inFlight--
	if throttled {
		now := g.now()
		g.lastThrottled = now
		if until := now.Add(hold); until.After(g.until) {
			g.until = until
		}
	}
	close(g.changed)
	g.changed = make(chan struct{})
}

// defaultThrottleHold applies when a 429 has no usable Retry-After.
const defaultThrottleHold = 5 * time.Second

// retryAfter reads a Retry-After value: seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return time.Until(at)
	}
	return defaultThrottleHold
}
