package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// tuning holds the manager's controller-runtime knobs. Each default is the
// value `make bench` measured best; docs/performance.md has the figures.
type tuning struct {
	concurrency        concurrency
	stripManagedFields bool
	pprofAddr          string
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
	fs.StringVar(&t.pprofAddr, "pprof-bind-address", "0",
		"Address of the net/http/pprof endpoint for profiling (e.g. 127.0.0.1:6060; 0 disables it).")
	return t
}

// partnerCenterTransport is the HTTP transport of the Partner Center client:
// enough idle connections for every concurrent reconcile, behind a throttle
// gate that makes every call of the account wait out a Retry-After.
func (t *tuning) partnerCenterTransport() *throttleGate {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = max(transport.MaxIdleConns, t.concurrency.total())
	transport.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return &throttleGate{next: &http.Client{Transport: transport}, now: time.Now}
}

// newTunedManager is ctrl.NewManager with the tuning flags applied.
func newTunedManager(cfg *rest.Config, opts ctrl.Options) (ctrl.Manager, error) {
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
	if t.stripManagedFields && opts.Cache.DefaultTransform == nil {
		opts.Cache.DefaultTransform = cache.TransformStripManagedFields()
	}
	return opts
}

// tunableKinds are the kinds whose concurrency can be set.
var tunableKinds = []string{"Customer", "MCAAttestation", "ResellerPartnership", "Subscription"}

// concurrency maps a kind to its concurrent reconciles; it is a flag.Value.
type concurrency map[string]int

// defaultConcurrency is the default number of concurrent reconciles per kind.
func defaultConcurrency() concurrency {
	c := concurrency{}
	for _, k := range tunableKinds {
		c[k] = 1
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
// concurrent callers wait too. When a hold ends, one call goes first (the
// probe) and the others follow only once it was not throttled, so the
// callers released together do not all run into the next 429.
type throttleGate struct {
	next policy.Transporter
	now  func() time.Time

	mu sync.Mutex
	// until is the end of the running hold.
	until time.Time
	// recovering is set by a 429 and cleared by the first answer after the hold that is not one.
	recovering bool
	// probe is closed when the call sent first after a hold is answered; nil when none is out.
	probe chan struct{}
}

// Do implements policy.Transporter.
func (g *throttleGate) Do(req *http.Request) (*http.Response, error) {
	probe, err := g.admit(req.Context())
	if err != nil {
		return nil, err
	}
	resp, err := g.next.Do(req)
	throttled := err == nil && resp.StatusCode == http.StatusTooManyRequests
	var hold time.Duration
	if throttled {
		hold = retryAfter(resp.Header.Get("Retry-After"))
	}
	g.answered(probe, err == nil, throttled, hold)
	return resp, err
}

// admit blocks until the call may be sent (or ctx ends) and tells whether it
// is the probe after a hold.
func (g *throttleGate) admit(ctx context.Context) (probe bool, err error) {
	for {
		g.mu.Lock()
		left, out := g.until.Sub(g.now()), g.probe
		if left <= 0 && out == nil {
			if g.recovering {
				g.probe = make(chan struct{})
			}
			g.mu.Unlock()
			return g.recovering, nil
		}
		g.mu.Unlock()
		if err := pause(ctx, left, out); err != nil {
			return false, err
		}
	}
}

// pause waits out a running hold (d > 0), else until the probe is answered.
func pause(ctx context.Context, d time.Duration, probe <-chan struct{}) error {
	var holdOver <-chan time.Time
	if d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		holdOver, probe = timer.C, nil
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-holdOver:
	case <-probe:
	}
	return nil
}

// answered records a call's outcome: a 429 starts (or extends) a hold; the
// probe's other answers end the recovery; the probe's slot is freed.
func (g *throttleGate) answered(probe, gotAnswer, throttled bool, hold time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case throttled:
		g.recovering = true
		if until := g.now().Add(hold); until.After(g.until) {
			g.until = until
		}
	case probe && gotAnswer:
		g.recovering = false
	}
	if probe {
		close(g.probe)
		g.probe = nil
	}
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
