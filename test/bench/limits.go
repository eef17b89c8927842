package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// modeLimits: N onboardings against Partner Center's documented rate
// limits and a realistic answer delay, against the rate-limit floor.
const modeLimits = "limits"

// limitsLatency is the simulator's answer delay in the limits mode
// (issue 25: p50 300 ms; p99 2 s as partner-center-api.md §8 reports).
var limitsLatency = struct{ p50, p99 time.Duration }{300 * time.Millisecond, 2 * time.Second}

// minimalLimitedCalls are an onboarding's minimal calls
// (minimalPartnerCenterCalls) in each rate-limited group: the create, the
// verification read and the attestation go to /v1/customers, the order to
// orders; the address and domain checks are not metered.
var minimalLimitedCalls = map[string]int{pcsim.RateGroupCustomers: 3, pcsim.RateGroupOrders: 1}

// LimitsFigures compare a run at the documented limits with its floor.
type LimitsFigures struct {
	// RateLimits and the latency are what the simulator applied.
	RateLimits   string  `json:"rateLimits"`
	LatencyP50Ms float64 `json:"latencyP50Ms"`
	LatencyP99Ms float64 `json:"latencyP99Ms"`
	// FloorSeconds is the shortest wall time the limits allow: per limited
	// group, N × its minimal calls ÷ its rate (a bucket's initial burst
	// ignored), the slowest group deciding.
	FloorSeconds float64 `json:"floorSeconds"`
	// FloorGroup is the group that decides the floor.
	FloorGroup string `json:"floorGroup"`
	// ThroughputShare is FloorSeconds ÷ the manager's wall time (goal ≥ 0.9).
	ThroughputShare float64 `json:"throughputShare"`
	// Throttled429 counts the 429s the manager received (goal 0).
	Throttled429 float64 `json:"throttled429"`
}

// rateLimitFloor is the floor of n onboardings under limits.
func rateLimitFloor(n int, limits map[string]pcsim.RateLimit) (seconds float64, group string) {
	for g, calls := range minimalLimitedCalls {
		limit, ok := limits[g]
		if !ok || limit.Requests <= 0 {
			continue
		}
		perSecond := float64(limit.Requests) / limit.Per.Seconds()
		if s := float64(n*calls) / perSecond; s > seconds {
			seconds, group = s, g
		}
	}
	return seconds, group
}

// runLimits measures o.N onboardings at the documented limits.
func runLimits(o Options) error {
	sim := SimOptions{RateLimits: "documented", LatencyP50: limitsLatency.p50, LatencyP99: limitsLatency.p99}
	res := newResult(o, fmt.Sprintf("n%d-limits", o.N), o.N)
	var err error
	if res.Manager, err = measureManager(o, o.N, sim, filepath.Join(o.Work, "limits")); err != nil {
		return err
	}
	floor, group := rateLimitFloor(o.N, pcsim.DocumentedRateLimits())
	res.Limits = &LimitsFigures{
		RateLimits: sim.RateLimits, LatencyP50Ms: float64(sim.LatencyP50.Milliseconds()), LatencyP99Ms: float64(sim.LatencyP99.Milliseconds()),
		FloorSeconds: floor, FloorGroup: group, ThroughputShare: ratio(floor, res.Manager.WallSeconds), Throttled429: res.Manager.Throttled429,
	}
	if err := res.write(o.Out); err != nil {
		return err
	}
	fmt.Println(res.Markdown())
	return WriteSummary(o.Out)
}

// markdown renders the limits figures under a run's table.
func (l *LimitsFigures) markdown(wallSeconds float64) string {
	return fmt.Sprintf("\nAt the documented limits (`%s`, answer delay p50 %.0f ms / p99 %.0f ms): wall %.1f s against a rate-limit floor of %.1f s (%s group), throughput %.0f %% of the floor's (goal ≥ 90 %%); %.0f 429s (goal 0).\n",
		l.RateLimits, l.LatencyP50Ms, l.LatencyP99Ms, wallSeconds, l.FloorSeconds, l.FloorGroup, 100*l.ThroughputShare, l.Throttled429)
}
