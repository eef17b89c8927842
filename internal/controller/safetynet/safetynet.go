// Package safetynet sizes the full per-object resync, the safety net behind
// the change feed: it reads every settled object again from Partner Center
// to catch what the audit records did not show. Its period is the configured
// one (24 h by default) unless the book is so large that a sweep at that
// period would take more than its share of the Partner Center budget; then
// the period stretches until it fits, and a metric says so.
package safetynet

import (
	"context"
	"math"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// CallsPerOnboarding is what one settled onboarding (a Customer with its
// attestation and a subscription) costs per sweep: 2 Partner Center calls,
// the billing profile and the subscription (an approved verification and a
// confirmed agreement are final; bench/results/n10000-scale.md measures it).
const CallsPerOnboarding = 2.0

// Period is the resync period that keeps a sweep of objects onboardings
// within share of budgetPerMinute calls: base, or longer when the book does
// not fit. A budget or share of zero means unlimited (base).
func Period(base time.Duration, objects int, budgetPerMinute, share float64) time.Duration {
	if budgetPerMinute <= 0 || share <= 0 || objects <= 0 {
		return base
	}
	callsPerSweep := float64(objects) * CallsPerOnboarding
	minutes := callsPerSweep / (budgetPerMinute * share)
	needed := time.Duration(math.Ceil(minutes * float64(time.Minute)))
	return max(base, needed)
}

// Planner counts the book and answers the stretched period; it is a manager
// Runnable that recounts every recount interval from the cache (no API
// server or Partner Center calls). The zero book gives base.
type Planner struct {
	// Reader is the manager's cache.
	Reader client.Reader
	// BudgetPerMinute is the client-side Partner Center budget of the account.
	BudgetPerMinute float64
	// Share is the part of it a sweep may take (0 < Share ≤ 1).
	Share float64

	book atomic.Int64
}

// recountInterval is how often the book is counted again: the period moves
// with the book by minutes at most, against a period of hours.
const recountInterval = time.Minute

// Period is the safety-net period for base with the last count of the book,
// reported on the metrics.
func (p *Planner) Period(base time.Duration) time.Duration {
	if p == nil {
		return base
	}
	period := Period(base, int(p.book.Load()), p.BudgetPerMinute, p.Share)
	periodSeconds.Set(period.Seconds())
	stretched.Set(boolGauge(period > base))
	return period
}

// Count counts the Customers in the cache (one per onboarding). Only the
// length is read, so the cache's objects are not deep-copied: a book of
// thousands would otherwise be copied every recount for one number.
func (p *Planner) Count(ctx context.Context) error {
	var list v1alpha1.CustomerList
	if err := p.Reader.List(ctx, &list, client.UnsafeDisableDeepCopy); err != nil {
		return err
	}
	p.book.Store(int64(len(list.Items)))
	bookSize.Set(float64(len(list.Items)))
	return nil
}

// Start counts the book until ctx ends (manager.Runnable).
func (p *Planner) Start(ctx context.Context) error {
	ticker := time.NewTicker(recountInterval)
	defer ticker.Stop()
	for {
		if err := p.Count(ctx); err != nil && ctx.Err() == nil {
			log.FromContext(ctx).Error(err, "counting the book for the safety-net resync")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// NeedLeaderElection is false: every replica's reconcilers read the period.
func (p *Planner) NeedLeaderElection() bool { return false }

var (
	periodSeconds = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "partnercenter_operator_resync_period_seconds",
		Help: "Period of the safety-net resync of settled objects, after stretching to fit its share of the Partner Center budget.",
	})
	stretched = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "partnercenter_operator_resync_stretched",
		Help: "1 when the book is too large for the configured resync period within its budget share, so the period was stretched.",
	})
	bookSize = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "partnercenter_operator_book_onboardings",
		Help: "Customers (onboardings) the safety-net resync sizes its period for.",
	})
)

// Collectors are the metrics of the safety net, for registration.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{periodSeconds, stretched, bookSize}
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
