package main

import (
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// TestLoadFlagsReachTheConfig checks the rate-limit and latency switches (pcsim.LoadFlags,
// tested there) are wired into the simulator's configuration.
func TestLoadFlagsReachTheConfig(t *testing.T) {
	cfg, _, err := parseFlags([]string{"-rate-limits=documented", "-latency-p50=300ms", "-latency-p99=2s"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RateLimits[pcsim.RateGroupOrders] != (pcsim.RateLimit{Requests: 500, Per: time.Minute}) ||
		cfg.LatencyDistribution != (pcsim.LatencyDistribution{P50: 300 * time.Millisecond, P99: 2 * time.Second}) {
		t.Fatalf("rate limits %v, latency %v", cfg.RateLimits, cfg.LatencyDistribution)
	}
}
