package main

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// modeScale: N settled onboardings, then newBatch new ones on the idle
// operator and newBatch more while a full sweep of the N runs.
const modeScale = "scale"

// newBatch is how many new onboardings each of the two scale batches has.
const newBatch = 100

// ScaleFigures are the scale mode's figures.
type ScaleFigures struct {
	// Settled is the convergence of the N onboardings.
	Settled *RunFigures `json:"settled"`
	// IdleSeconds is the watch of the settled book.
	IdleSeconds float64 `json:"idleSeconds"`
	// IdlePartnerCenterCalls and IdleAPIWrites are what the settled book cost in it.
	IdlePartnerCenterCalls int `json:"idlePartnerCenterCalls"`
	IdleAPIWrites          int `json:"idleAPIWrites"`
	// SweepByOperation is what the full sweep after the restart (the
	// safety-net resync of every settled object) cost per settled
	// onboarding, by Partner Center operation; SweepPerOnboarding sums it.
	SweepByOperation   map[string]float64 `json:"sweepByOperation"`
	SweepPerOnboarding float64            `json:"sweepPerOnboarding"`
	// SafetyNetHours is the manager's resync period, the sweep's interval.
	SafetyNetHours float64 `json:"safetyNetHours"`
	// CallsPerOnboardingHour is what a settled onboarding costs per hour:
	// the idle watch's calls (the change feed) plus one sweep per safety-net
	// period (goal ≤ 0.1).
	CallsPerOnboardingHour float64 `json:"callsPerSettledOnboardingPerHour"`
	// NewOnIdle and NewDuringSweep are the time-to-Ready of the new
	// batches: on the idle operator, and during a whole sweep (a restart
	// gives every settled object its full pass; the batch starts once the
	// restarted manager's caches are synced and the sweep has begun).
	NewOnIdle      Latencies `json:"newOnIdle"`
	NewDuringSweep Latencies `json:"newDuringSweep"`
	// P50Ratio and P95Ratio are sweep ÷ idle (goal ≤ 1.1).
	P50Ratio float64 `json:"p50Ratio"`
	P95Ratio float64 `json:"p95Ratio"`
	// Throttled429 are the 429s both managers received (goal 0).
	Throttled429 float64 `json:"throttled429"`
	// Settled book's footprint, before the new batches.
	AtSettled      *Footprint `json:"atSettled"`
	HeapLiveBytes  float64    `json:"heapLiveBytes"`
	HeapInuseBytes float64    `json:"heapInuseBytes"`
}

// runScale measures the scale mode on one control plane and simulator.
func runScale(o Options) (err error) {
	dir := filepath.Join(o.Work, "scale")
	p, err := newPlane(o, dir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, p.Stop()) }()
	sim, err := StartSimulator(o.SimBin, dir, SimOptions{})
	if err != nil {
		return err
	}
	defer sim.Stop()
	mgr, err := startManagerFor(o, p, sim, dir)
	if err != nil {
		return err
	}
	defer func() { mgr.Stop() }()

	all := NewWorkload(o.N+2*newBatch, o.LastApplied)
	settled, onIdle, duringSweep := splitOnboardings(all, o.N)
	fig := &ScaleFigures{Settled: &RunFigures{}}
	if fig.Settled.Workers, err = detectControllers(mgr); err != nil {
		return err
	}
	if _, err := converge(o, p, settled, fig.Settled, nil, mgr.Exited()); err != nil {
		return err
	}
	if err := fig.Settled.managerFigures(mgr, sim, settled); err != nil {
		return err
	}
	idle, err := watchIdle(o, mgr, sim, settled, fig.Settled)
	if err != nil {
		return err
	}
	fig.AtSettled, fig.HeapLiveBytes, fig.HeapInuseBytes = fig.Settled.AtEnd, fig.Settled.HeapLiveBytes, fig.Settled.HeapInuseBytes
	fig.IdleSeconds, fig.IdlePartnerCenterCalls = fig.Settled.Idle.Seconds, fig.Settled.Idle.PartnerCenterCalls
	beforeBatch, err := sim.Calls()
	if err != nil {
		return err
	}
	if fig.NewOnIdle, err = convergeBatch(o, p, onIdle, mgr); err != nil {
		return err
	}
	beforeSweep, err := sim.Calls()
	if err != nil {
		return err
	}
	before, err := throttled(mgr)
	if err != nil {
		return err
	}
	mgr.Stop()
	fmt.Fprintln(os.Stderr, "bench: restarting the manager: every settled object gets its full pass")
	if mgr, err = startManagerFor(o, p, sim, filepath.Join(dir, "restarted")); err != nil {
		return err
	}
	if _, err := detectControllers(mgr); err != nil {
		return err
	}
	if err := sweepBegun(mgr); err != nil {
		return err
	}
	if fig.NewDuringSweep, err = convergeBatch(o, p, duringSweep, mgr); err != nil {
		return err
	}
	afterSweep, err := waitQuiet(sim)
	if err != nil {
		return err
	}
	// The sweep is what the restarted manager called beyond the new batch
	// (as much as the batch on the idle operator cost) and the change feed.
	fig.SweepByOperation = map[string]float64{}
	book := float64(o.N + newBatch) // the batch on the idle operator had settled too
	for op, n := range afterSweep {
		if op == feedOperation {
			continue
		}
		sweep := (n - beforeSweep[op]) - (beforeSweep[op] - beforeBatch[op])
		if sweep > 0 {
			fig.SweepByOperation[op] = float64(sweep) / book
			fig.SweepPerOnboarding += float64(sweep) / book
		}
	}
	fig.SafetyNetHours = resyncPeriod(o.ManagerArgs).Hours()
	fig.CallsPerOnboardingHour = ratio(float64(fig.IdlePartnerCenterCalls), float64(o.N)*fig.IdleSeconds/3600) + fig.SweepPerOnboarding/fig.SafetyNetHours
	after, err := throttled(mgr)
	if err != nil {
		return err
	}
	fig.Throttled429 = before + after
	fig.P50Ratio = ratio(fig.NewDuringSweep.P50Seconds, fig.NewOnIdle.P50Seconds)
	fig.P95Ratio = ratio(fig.NewDuringSweep.P95Seconds, fig.NewOnIdle.P95Seconds)

	counts, err := CountRequests(p.AuditLog, userManager, idle)
	if err != nil {
		return err
	}
	fig.IdleAPIWrites = counts[0].TotalWrites
	res := newResult(o, fmt.Sprintf("n%d-scale", o.N), o.N)
	res.Manager, res.Scale = fig.Settled, fig
	if err := res.write(o.Out); err != nil {
		return err
	}
	fmt.Println(res.Markdown())
	return WriteSummary(o.Out)
}

// convergeBatch creates a batch of new onboardings and returns their time-to-Ready.
func convergeBatch(o Options, p *plane, w *Workload, mgr *Manager) (Latencies, error) {
	batch := &RunFigures{}
	if _, err := converge(o, p, w, batch, nil, mgr.Exited()); err != nil {
		return Latencies{}, err
	}
	return batch.TimeToReady, nil
}

// sweepBegun waits until every controller of the restarted manager has
// reconciled: its caches hold the book and the sweep is running. (A batch
// created before would measure the process start, not the sweep.)
func sweepBegun(m *Manager) error {
	return waitFor(func() error {
		ms, err := m.Metrics()
		if err != nil {
			return err
		}
		for k, n := range reconciles(ms) {
			if n == 0 {
				return fmt.Errorf("%s has not reconciled yet", k)
			}
		}
		return nil
	}, 10*time.Minute)
}

// feedOperation is the change feed's operation: its calls are counted by
// the idle watch, not as the sweep's.
const feedOperation = "ListAuditRecords"

// quietFor is how long the simulator must see no call but the change
// feed's for a sweep to count as done: longer than a deferred drift check
// takes to come back (10 s of patience, then 30 s ± 20 %).
const quietFor = 50 * time.Second

// waitQuiet waits until the manager makes no Partner Center call but the
// change feed's for quietFor, and returns the counters then.
func waitQuiet(sim *Simulator) (map[string]int, error) {
	last, err := sim.Calls()
	if err != nil {
		return nil, err
	}
	still := time.Now()
	for time.Since(still) < quietFor {
		time.Sleep(time.Second)
		now, err := sim.Calls()
		if err != nil {
			return nil, err
		}
		if total(now)-now[feedOperation] != total(last)-last[feedOperation] {
			still = time.Now()
		}
		last = now
	}
	return last, nil
}

// throttled is the 429s the manager's client received.
func throttled(m *Manager) (float64, error) {
	ms, err := m.Metrics()
	if err != nil {
		return 0, err
	}
	return ms.Sum("partnercenter_throttled_requests_total", nil), nil
}

// splitOnboardings splits a workload of n+2·newBatch onboardings into the
// first n (with every ResellerPartnership) and two batches of new ones.
func splitOnboardings(w *Workload, n int) (settled, first, second *Workload) {
	settled, first, second = &Workload{N: n}, &Workload{N: newBatch}, &Workload{N: newBatch}
	onboarding := -1 // each onboarding starts with its Customer
	for _, obj := range w.Objects {
		switch kindOf(obj) {
		case KindResellerPartnership:
			settled.Objects = append(settled.Objects, obj)
			continue
		case KindCustomer:
			onboarding++
		}
		switch {
		case onboarding < n:
			settled.Objects = append(settled.Objects, obj)
		case onboarding < n+newBatch:
			first.Objects = append(first.Objects, obj)
		default:
			second.Objects = append(second.Objects, obj)
		}
	}
	return settled, first, second
}

// markdown renders the scale figures.
func (s *ScaleFigures) markdown() string {
	return fmt.Sprintf("\nScale: %d new onboardings on the idle operator: time-to-Ready p50 %.2f s, p95 %.2f s; "+
		"during a full sweep (after a restart, once the sweep had begun): p50 %.2f s, p95 %.2f s (ratios %.2f, %.2f; goal ≤ 1.1). "+
		"Settled book for %.0f s: %d Partner Center calls and %d API-server writes (goal 0); the sweep after the restart cost %.2f calls per settled onboarding (%s), "+
		"so with one sweep every %.0f h a settled onboarding costs %.3f calls per hour (goal ≤ 0.1). "+
		"429s: %.0f (goal 0). Manager RSS %s, heap live %s.\n",
		newBatch, s.NewOnIdle.P50Seconds, s.NewOnIdle.P95Seconds, s.NewDuringSweep.P50Seconds, s.NewDuringSweep.P95Seconds, s.P50Ratio, s.P95Ratio,
		s.IdleSeconds, s.IdlePartnerCenterCalls, s.IdleAPIWrites, s.SweepPerOnboarding, operationShares(s.SweepByOperation),
		s.SafetyNetHours, s.CallsPerOnboardingHour, s.Throttled429, mib(float64(s.AtSettled.RSSBytes)), mib(s.HeapLiveBytes))
}

// operationShares lists per-operation figures, largest first.
func operationShares(byOp map[string]float64) string {
	ops := slices.SortedFunc(maps.Keys(byOp), func(a, b string) int { return cmp.Compare(byOp[b], byOp[a]) })
	parts := make([]string, 0, len(ops))
	for _, op := range ops {
		parts = append(parts, fmt.Sprintf("%s %.2f", op, byOp[op]))
	}
	return strings.Join(parts, ", ")
}
