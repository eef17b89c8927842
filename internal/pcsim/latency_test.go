package pcsim

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"
)

func TestLatencyDistributionQuantiles(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		p50, p99 time.Duration
		// tolerance is the allowed relative error of the sample quantiles.
		tolerance float64
	}{
		{"p50 300ms p99 2s", Config{Seed: 7, LatencyDistribution: LatencyDistribution{P50: 300 * time.Millisecond, P99: 2 * time.Second}}, 300 * time.Millisecond, 2 * time.Second, 0.1},
		{"constant Latency", Config{Latency: 50 * time.Millisecond}, 50 * time.Millisecond, 50 * time.Millisecond, 0},
		{"P99 below P50 is constant", Config{LatencyDistribution: LatencyDistribution{P50: time.Second, P99: time.Millisecond}}, time.Second, time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newLatencyModel(tt.cfg)
			draws := make([]time.Duration, 20000)
			for i := range draws {
				draws[i] = m.next()
			}
			slices.Sort(draws)
			for _, q := range []struct {
				at   int
				want time.Duration
			}{{len(draws) / 2, tt.p50}, {len(draws) * 99 / 100, tt.p99}} {
				got := draws[q.at]
				if diff := float64(got-q.want) / float64(q.want); diff > tt.tolerance || diff < -tt.tolerance {
					t.Errorf("quantile at %d = %s, want %s ±%.0f%%", q.at, got, q.want, tt.tolerance*100)
				}
			}
		})
	}
}

// TestLatencyDelaysEveryAnswerBySeededDraws checks the answers are delayed by the model's
// draws, the same for the same seed, without sleeping.
func TestLatencyDelaysEveryAnswerBySeededDraws(t *testing.T) {
	cfg := Config{Seed: 3, LatencyDistribution: LatencyDistribution{P50: 300 * time.Millisecond, P99: 2 * time.Second}}
	h := newHarness(t, cfg)
	var slept []time.Duration
	h.sim.latency.sleep = func(_ context.Context, d time.Duration) { slept = append(slept, d) }
	for range 3 {
		h.do(h.appOnly, http.MethodGet, "/v1/customers", nil)
	}
	want := newLatencyModel(cfg)
	if len(slept) != 3 {
		t.Fatalf("%d delays for 3 answers", len(slept))
	}
	for i, d := range slept {
		if w := want.next(); d != w || d <= 0 {
			t.Errorf("delay %d = %s, want %s", i, d, w)
		}
	}
}

func TestLatencyOffByDefault(t *testing.T) {
	h := newHarness(t, Config{})
	h.sim.latency.sleep = func(context.Context, time.Duration) { t.Error("an answer was delayed with latency off") }
	h.do(h.appOnly, http.MethodGet, "/v1/customers", nil)
}
