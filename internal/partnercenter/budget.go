package partnercenter

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"golang.org/x/time/rate"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// budgetPolicies are the per-try policies that pace calls before the account's
// token bucket: drift-check reads to their share, then each operation group
// to its rate.
func budgetPolicies(opts Options) []policy.Policy {
	var pacing []policy.Policy
	if p := newResyncBudgetPolicy(opts.RequestsPerSecond, opts.Burst, opts.ReservedShare); p != nil {
		pacing = append(pacing, p)
	}
	if p := newGroupBudgetPolicy(opts.GroupLimits, opts.Burst); p != nil {
		pacing = append(pacing, p)
	}
	return pacing
}

// groupBudgetPolicy paces each metered operation group at Partner Center's
// rate for it: the account's one bucket (RequestsPerSecond) cannot both
// keep customers under 500/min and let the unmetered calls (address and
// domain checks) through at their own pace. Within a group, drift checks
// come last (groupLimiter).
type groupBudgetPolicy struct {
	limiters map[string]*groupLimiter
}

// newGroupBudgetPolicy is nil (no policy) without limits.
func newGroupBudgetPolicy(limits map[string]wire.RateLimit, burst int) *groupBudgetPolicy {
	if len(limits) == 0 {
		return nil
	}
	p := &groupBudgetPolicy{limiters: map[string]*groupLimiter{}}
	for group, limit := range limits {
		p.limiters[group] = &groupLimiter{limiter: rate.NewLimiter(rate.Limit(float64(limit.Requests)/limit.Per.Seconds()), max(burst, 1))}
	}
	return p
}

// Do implements policy.Policy.
func (p *groupBudgetPolicy) Do(req *policy.Request) (*http.Response, error) {
	if limiter := p.limiters[wire.OperationGroup(req.Raw().URL.Path)]; limiter != nil {
		ctx := req.Raw().Context()
		if err := limiter.wait(ctx, req.Raw().Method == http.MethodGet && isResync(ctx)); err != nil {
			return nil, err
		}
	}
	return req.Next()
}

// groupLimiter is one group's bucket, served by priority: a drift-check
// read takes a token only while no other call of the group waits for one,
// so a sweep of the whole book never delays the work a person waits for
// (a restart's first look at every object included). It never reserves a
// token ahead: a call that comes while it waits goes first.
type groupLimiter struct {
	limiter *rate.Limiter
	// waiting counts the calls other than drift-check reads waiting for a token.
	waiting atomic.Int64
}

// wait blocks until the call may go: in turn for a call a person waits for,
// when a token is spare for a drift-check read.
func (g *groupLimiter) wait(ctx context.Context, driftCheck bool) error {
	if !driftCheck {
		g.waiting.Add(1)
		defer g.waiting.Add(-1)
		return g.limiter.Wait(ctx)
	}
	// Look again once per token's time: the soonest one can be spare.
	interval := time.Duration(float64(time.Second) / float64(g.limiter.Limit()))
	giveUp := time.Now().Add(driftCheckPatience)
	for g.waiting.Load() > 0 || !g.limiter.Allow() {
		left := time.Until(giveUp)
		if left <= 0 {
			return deferred()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(interval, left)):
		}
	}
	return nil
}

// driftCheckPatience is how long a drift-check read waits for budget before
// it is deferred: well inside the per-try timeout, and long enough that a
// sweep waiting out a burst of new work is put back a few times at most.
// (A variable for tests.)
var driftCheckPatience = 10 * time.Second

// ErrDriftCheckDeferred is the answer to a drift-check read that found no
// budget to spare within driftCheckPatience: work a person waits for took
// it. Nothing was sent; the lifecycle puts the pass back at low priority
// and reports nothing.
var ErrDriftCheckDeferred = errors.New("drift check deferred: the Partner Center budget is taken by work a person waits for")

// IsDeferred tells whether err is ErrDriftCheckDeferred.
func IsDeferred(err error) bool { return errors.Is(err, ErrDriftCheckDeferred) }

// deferred is ErrDriftCheckDeferred as a policy returns it.
func deferred() error { return deferredError{} }

// deferredError wraps ErrDriftCheckDeferred; its NonRetriable method tells
// azcore's retry policy not to try again (errorinfo.NonRetriable).
type deferredError struct{}

func (deferredError) Error() string { return ErrDriftCheckDeferred.Error() }
func (deferredError) Unwrap() error { return ErrDriftCheckDeferred }
func (deferredError) NonRetriable() {}

// resyncKey marks a context as a drift check (WithResync).
type resyncKey struct{}

// WithResync marks ctx as the drift check of a settled object (the
// safety-net resync, a restart's first look, a change-feed wake): its reads
// take only what the share reserved for writes and user-driven reads leaves
// (Options.ReservedShare).
func WithResync(ctx context.Context) context.Context {
	return context.WithValue(ctx, resyncKey{}, true)
}

// isResync tells whether ctx was marked by WithResync.
func isResync(ctx context.Context) bool {
	marked, _ := ctx.Value(resyncKey{}).(bool)
	return marked
}

// resyncBudgetPolicy holds the reads of drift checks to their own, smaller
// bucket before they reach the account's: however many settled objects are
// due, they take at most (1 − ReservedShare) of the budget, and writes and
// user-driven reads always find the rest. A write of a drift check (a
// correction) is work the operator must do and is not held back.
type resyncBudgetPolicy struct {
	limiter *rate.Limiter
}

// newResyncBudgetPolicy is nil (no policy) when the account is unlimited or
// nothing is reserved.
func newResyncBudgetPolicy(requestsPerSecond float64, burst int, reservedShare float64) *resyncBudgetPolicy {
	if requestsPerSecond <= 0 || reservedShare <= 0 {
		return nil
	}
	return &resyncBudgetPolicy{limiter: rate.NewLimiter(rate.Limit(requestsPerSecond*(1-min(reservedShare, 1))), burst)}
}

// Do implements policy.Policy.
func (p *resyncBudgetPolicy) Do(req *policy.Request) (*http.Response, error) {
	ctx := req.Raw().Context()
	if req.Raw().Method == http.MethodGet && isResync(ctx) {
		r := p.limiter.Reserve()
		if r.Delay() > driftCheckPatience {
			r.Cancel()
			return nil, deferred()
		}
		select {
		case <-ctx.Done():
			r.Cancel()
			return nil, ctx.Err()
		case <-time.After(r.Delay()):
		}
	}
	return req.Next()
}
