package pcsim

import (
	"flag"
	"testing"
	"time"
)

func TestLoadFlags(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantLimits map[string]RateLimit
		wantDist   LatencyDistribution
		wantErr    bool
	}{
		{name: "off by default"},
		{
			name:       "documented limits, p50 300ms p99 2s",
			args:       []string{"-x-rate-limits=documented", "-x-latency-p50=300ms", "-x-latency-p99=2s"},
			wantLimits: DocumentedRateLimits(),
			wantDist:   LatencyDistribution{P50: 300 * time.Millisecond, P99: 2 * time.Second},
		},
		{
			name:       "per group",
			args:       []string{"-x-rate-limits=subscriptions=10/1s"},
			wantLimits: map[string]RateLimit{"subscriptions": {Requests: 10, Per: time.Second}},
		},
		{name: "bad limit", args: []string{"-x-rate-limits=orders=fast"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f LoadFlags
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			f.Bind(fs, "x-")
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			cfg := Config{Latency: time.Second}
			err := f.Apply(&cfg)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Apply error = %v, want error %t", err, tt.wantErr)
			}
			if len(cfg.RateLimits) != len(tt.wantLimits) || cfg.LatencyDistribution != tt.wantDist || cfg.Latency != time.Second {
				t.Fatalf("config: rate limits %v, latency %v / %s", cfg.RateLimits, cfg.LatencyDistribution, cfg.Latency)
			}
			for group, limit := range tt.wantLimits {
				if cfg.RateLimits[group] != limit {
					t.Errorf("rate limit of %s = %v, want %v", group, cfg.RateLimits[group], limit)
				}
			}
		})
	}
}
