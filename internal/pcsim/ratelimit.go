package pcsim

import (
	"strings"
	"time"

	"golang.org/x/time/rate"
	"k8s.io/utils/clock"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// RateLimit is one token bucket (wire.RateLimit: the client paces itself by the same
// model). Choice: the bucket refills continuously and holds at most Requests (a full
// period's worth may arrive at once).
type RateLimit = wire.RateLimit

// Operation groups: each partner tenant has one bucket per group (Config.RateLimits).
const (
	RateGroupCustomers = wire.RateGroupCustomers
	RateGroupOrders    = wire.RateGroupOrders
)

// DocumentedRateLimits are Partner Center's limits as documented (wire.DocumentedRateLimits).
func DocumentedRateLimits() map[string]RateLimit { return wire.DocumentedRateLimits() }

// rateLimitGroup is the group of a route pattern ("POST /v1/customers/{id}/orders" →
// "orders"; wire.OperationGroup).
func rateLimitGroup(pattern string) string {
	_, path, _ := strings.Cut(pattern, " ")
	return wire.OperationGroup(path)
}

// rateLimiter holds the token buckets, one per (partner tenant, group). Its state sits
// behind Simulator.mu.
type rateLimiter struct {
	limits map[string]RateLimit
	// clock refills the buckets: real time unless a test injects one (clients wait out
	// Retry-After in real time, so the business SimClock does not drive it).
	clock   clock.PassiveClock
	buckets map[bucketKey]*rate.Limiter
	// rejected counts the calls answered 429 by a bucket.
	rejected int
}

// bucketKey names one bucket. Choice: the documents key some limits per partner tenant and
// others per partner+customer; the simulator keys every group per partner tenant.
type bucketKey struct{ tenant, group string }

func newRateLimiter(cfg Config) rateLimiter {
	l := rateLimiter{limits: cfg.RateLimits, clock: cfg.RateLimitClock, buckets: map[bucketKey]*rate.Limiter{}}
	if l.clock == nil {
		l.clock = clock.RealClock{}
	}
	return l
}

// admit takes a token from the tenant's bucket for the route's group. When the bucket is
// empty it returns how long until a token is back (the 429's Retry-After) and takes nothing:
// Choice: a rejected call does not count against the limit. Callers hold s.mu.
func (l *rateLimiter) admit(tenant, pattern string) (wait time.Duration, ok bool) {
	group := rateLimitGroup(pattern)
	limit, limited := l.limits[group]
	if !limited || limit.Requests <= 0 || limit.Per <= 0 {
		return 0, true
	}
	key := bucketKey{tenant, group}
	bucket := l.buckets[key]
	if bucket == nil {
		bucket = rate.NewLimiter(rate.Limit(float64(limit.Requests)/limit.Per.Seconds()), limit.Requests)
		l.buckets[key] = bucket
	}
	now := l.clock.Now()
	r := bucket.ReserveN(now, 1)
	if wait = r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		l.rejected++
		return wait, false
	}
	return 0, true
}

// rateLimited answers 429 when the caller's bucket for the route is empty, with Retry-After
// the time until it holds a token again. Callers hold s.mu.
func (s *Simulator) rateLimited(rt route, c *call) (reply, bool) {
	wait, ok := s.limiter.admit(c.claims.Tid, rt.pattern)
	if ok {
		return reply{}, false
	}
	return throttleReply(wait), true
}

// RateLimitedCalls counts the calls answered 429 by a rate-limit bucket (Config.RateLimits),
// apart from the random ThrottleRate 429s.
func (s *Simulator) RateLimitedCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limiter.rejected
}

// ParseRateLimits reads the --rate-limits flag (wire.ParseRateLimits).
func ParseRateLimits(spec string) (map[string]RateLimit, error) { return wire.ParseRateLimits(spec) }
