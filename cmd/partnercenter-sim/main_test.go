package main

import (
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

func TestRateLimitAndLatencyFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		check   func(t *testing.T, cfg pcsim.Config)
		wantErr bool
	}{
		{"off by default", nil, func(t *testing.T, cfg pcsim.Config) {
			if cfg.RateLimits != nil || cfg.LatencyDistribution != (pcsim.LatencyDistribution{}) || cfg.Latency != 0 {
				t.Errorf("rate limits %v, latency %v / %s", cfg.RateLimits, cfg.LatencyDistribution, cfg.Latency)
			}
		}, false},
		{"documented limits and a distribution", []string{"-rate-limits=documented", "-latency-p50=300ms", "-latency-p99=2s"}, func(t *testing.T, cfg pcsim.Config) {
			if cfg.RateLimits[pcsim.RateGroupCustomers] != (pcsim.RateLimit{Requests: 500, Per: time.Minute}) || len(cfg.RateLimits) != 2 {
				t.Errorf("rate limits %v", cfg.RateLimits)
			}
			if cfg.LatencyDistribution != (pcsim.LatencyDistribution{P50: 300 * time.Millisecond, P99: 2 * time.Second}) {
				t.Errorf("latency %v", cfg.LatencyDistribution)
			}
		}, false},
		{"per group", []string{"-rate-limits=subscriptions=10/1s"}, func(t *testing.T, cfg pcsim.Config) {
			if cfg.RateLimits["subscriptions"] != (pcsim.RateLimit{Requests: 10, Per: time.Second}) {
				t.Errorf("rate limits %v", cfg.RateLimits)
			}
		}, false},
		{"bad limit", []string{"-rate-limits=customers"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := parseFlags(tt.args)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %t", err, tt.wantErr)
			}
			if tt.check != nil {
				tt.check(t, cfg)
			}
		})
	}
}
