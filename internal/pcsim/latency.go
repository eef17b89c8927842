package pcsim

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// LatencyDistribution is the delay of an API answer, given by its median and 99th
// percentile, e.g. {P50: 300ms, P99: 2s}. Choice: the documents give no latency figures;
// the simulator draws from the log-normal distribution through those two quantiles (service
// latencies are skewed to the right, and two quantiles fix a log-normal). P99 <= P50 means
// the constant P50.
type LatencyDistribution struct {
	P50 time.Duration
	P99 time.Duration
}

// z99 is the standard normal's 99th percentile.
const z99 = 2.3263478740408408

// latencyModel draws answer delays from a seeded generator of its own, so turning latency
// on leaves the ids and faults of a seed unchanged.
type latencyModel struct {
	mu  sync.Mutex
	rng *rand.Rand
	// median and sigma define the log-normal; sigma 0 is the constant median (0 = off).
	median time.Duration
	sigma  float64
	// sleep waits d or until ctx ends; tests replace it to record delays without sleeping.
	sleep func(ctx context.Context, d time.Duration)
}

func newLatencyModel(cfg Config) *latencyModel {
	dist := cfg.LatencyDistribution
	if dist.P50 <= 0 {
		dist = LatencyDistribution{P50: cfg.Latency}
	}
	m := &latencyModel{
		rng:    rand.New(rand.NewPCG(uint64(cfg.Seed), 0x1a7e)),
		median: max(dist.P50, 0),
		sleep:  sleepContext,
	}
	if dist.P99 > dist.P50 && dist.P50 > 0 {
		m.sigma = math.Log(float64(dist.P99)/float64(dist.P50)) / z99
	}
	return m
}

// next draws one delay.
func (m *latencyModel) next() time.Duration {
	if m.sigma == 0 {
		return m.median
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return time.Duration(float64(m.median) * math.Exp(m.sigma*m.rng.NormFloat64()))
}

// wait delays an answer by one draw (nothing when latency is off).
func (m *latencyModel) wait(ctx context.Context) {
	if d := m.next(); d > 0 {
		m.sleep(ctx, d)
	}
}

// sleepContext sleeps d, returning early when ctx ends (the client went away).
func sleepContext(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
