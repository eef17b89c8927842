package pcsim

import (
	"flag"
	"fmt"
)

// LoadFlags are the command-line switches for Partner Center's rate limits and latency, the
// same for cmd/partnercenter-sim and the operator's built-in simulator. Both are off unless
// set.
type LoadFlags struct {
	rateLimits string
	latency    LatencyDistribution
}

// Bind registers <prefix>rate-limits, <prefix>latency-p50 and <prefix>latency-p99 on fs.
func (f *LoadFlags) Bind(fs *flag.FlagSet, prefix string) {
	fs.StringVar(&f.rateLimits, prefix+"rate-limits", "", `token buckets per partner tenant per operation group: "documented" (500/min on customers and on orders) or group=requests/period,... e.g. customers=500/1m,subscriptions=1000/1m (empty: none)`)
	fs.DurationVar(&f.latency.P50, prefix+"latency-p50", 0, "median of a log-normal delay of every answer (0: none)")
	fs.DurationVar(&f.latency.P99, prefix+"latency-p99", 0, "99th percentile of the answer delay (at most the median: a constant delay)")
}

// Apply sets the parsed switches on cfg.
func (f LoadFlags) Apply(cfg *Config) error {
	limits, err := ParseRateLimits(f.rateLimits)
	if err != nil {
		return fmt.Errorf("rate limits: %w", err)
	}
	cfg.RateLimits = limits
	if f.latency.P50 > 0 {
		cfg.LatencyDistribution = f.latency
	}
	return nil
}
