package safetynet

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestPeriodStretchesOnlyWhenTheBookDoesNotFitItsShare(t *testing.T) {
	const day = 24 * time.Hour
	for _, tc := range []struct {
		name          string
		objects       int
		budget, share float64
		want          time.Duration
	}{
		// 2,000 × 2 = 4,000 calls; a quarter of 300/min is 75/min: 53 min.
		{"a small book keeps the base", 2000, 300, 0.25, day},
		// 50,000 × 2 = 100,000 calls; a quarter of 500/min is 125/min: 800 min.
		{"a 50k book at the documented limit keeps the base", 50000, 500, 0.25, day},
		// 120,000 × 2 = 240,000 calls at 125/min: 1,920 min = 32 h.
		{"a 120k book at the documented limit stretches to 32 h", 120000, 500, 0.25, 32 * time.Hour},
		// 500,000 × 2 at 10% of 500/min: 20,000 min.
		{"a smaller share stretches further", 500000, 500, 0.1, 20000 * time.Minute},
		{"no budget: unlimited", 50000, 0, 0.25, day},
		{"no share: unlimited", 50000, 500, 0, day},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Period(day, tc.objects, tc.budget, tc.share); got != tc.want {
				t.Fatalf("Period(24h, %d, %v, %v) = %v, want %v", tc.objects, tc.budget, tc.share, got, tc.want)
			}
		})
	}
}

func TestPlannerReportsTheStretch(t *testing.T) {
	p := &Planner{BudgetPerMinute: 500, Share: 0.25}
	p.book.Store(120000)
	if got := p.Period(24 * time.Hour); got != 32*time.Hour {
		t.Fatalf("Period = %v, want 32h", got)
	}
	if v := testutil.ToFloat64(stretched); v != 1 {
		t.Fatalf("stretched metric = %v, want 1", v)
	}
	p.book.Store(10)
	if got := p.Period(24 * time.Hour); got != 24*time.Hour {
		t.Fatalf("Period = %v, want the base", got)
	}
	if v := testutil.ToFloat64(stretched); v != 0 {
		t.Fatalf("stretched metric = %v, want 0", v)
	}
	var nilPlanner *Planner
	if got := nilPlanner.Period(time.Hour); got != time.Hour {
		t.Fatalf("a nil planner changed the period to %v", got)
	}
}
