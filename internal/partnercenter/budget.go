package partnercenter

import (
	"context"
	"net/http"

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
// domain checks) through at their own pace.
type groupBudgetPolicy struct {
	limiters map[string]*rate.Limiter
}

// newGroupBudgetPolicy is nil (no policy) without limits.
func newGroupBudgetPolicy(limits map[string]wire.RateLimit, burst int) *groupBudgetPolicy {
	if len(limits) == 0 {
		return nil
	}
	p := &groupBudgetPolicy{limiters: map[string]*rate.Limiter{}}
	for group, limit := range limits {
		p.limiters[group] = rate.NewLimiter(rate.Limit(float64(limit.Requests)/limit.Per.Seconds()), max(burst, 1))
	}
	return p
}

// Do implements policy.Policy.
func (p *groupBudgetPolicy) Do(req *policy.Request) (*http.Response, error) {
	if limiter := p.limiters[wire.OperationGroup(req.Raw().URL.Path)]; limiter != nil {
		if err := limiter.Wait(req.Raw().Context()); err != nil {
			return nil, err
		}
	}
	return req.Next()
}

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
		if err := p.limiter.Wait(ctx); err != nil {
			return nil, err
		}
	}
	return req.Next()
}
