package pcsim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
	"k8s.io/utils/clock"
)

// RateLimit is one token bucket: Requests per Per. Choice: the bucket refills continuously
// and holds at most Requests (a full period's worth may arrive at once).
type RateLimit struct {
	Requests int
	Per      time.Duration
}

// Operation groups: each partner tenant has one bucket per group (Config.RateLimits).
const (
	// RateGroupCustomers is the Customer resource: /v1/customers and everything under a
	// customer except its orders, carts and subscriptions.
	RateGroupCustomers = "customers"
	// RateGroupOrders is /v1/customers/{id}/orders[/...].
	RateGroupOrders = "orders"
)

// documentedLimit is the one number Partner Center publishes: 500 requests a minute per
// partner tenant on the Customer resource.
var documentedLimit = RateLimit{Requests: 500, Per: time.Minute}

// DocumentedRateLimits are Partner Center's limits as documented: 500/min per tenant on
// customers and on orders. Choice: orders are enforced with no published number; they get
// the customers' number.
func DocumentedRateLimits() map[string]RateLimit {
	return map[string]RateLimit{RateGroupCustomers: documentedLimit, RateGroupOrders: documentedLimit}
}

// customerSubresourceGroups are the resources under a customer metered apart from it.
var customerSubresourceGroups = []string{RateGroupOrders, "carts", "subscriptions"}

// rateLimitGroup is the group of a route pattern ("POST /v1/customers/{id}/orders" →
// "orders"). Choice: the documents key limits by resource, not by path; the simulator takes
// the resource from the path: a customer's orders, carts and subscriptions are their own
// groups, everything else under /v1/customers is "customers", and any other path is
// named by its first segment after /v1 ("domains", "auditrecords", ...; ARM: "providers").
func rateLimitGroup(pattern string) string {
	_, path, _ := strings.Cut(pattern, " ")
	segments := strings.Split(strings.TrimPrefix(strings.TrimPrefix(path, "/"), "v1/"), "/")
	if segments[0] == RateGroupCustomers && len(segments) > 2 && slices.Contains(customerSubresourceGroups, segments[2]) {
		return segments[2]
	}
	return segments[0]
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

// ParseRateLimits reads the --rate-limits flag: "" (none), "documented"
// (DocumentedRateLimits) or comma-separated group=requests/period entries, e.g.
// "customers=500/1m,orders=500/1m,subscriptions=1000/1m".
func ParseRateLimits(spec string) (map[string]RateLimit, error) {
	switch strings.TrimSpace(spec) {
	case "":
		return nil, nil
	case "documented":
		return DocumentedRateLimits(), nil
	}
	limits := map[string]RateLimit{}
	for entry := range strings.SplitSeq(spec, ",") {
		group, limit, ok := strings.Cut(strings.TrimSpace(entry), "=")
		requests, period, ok2 := strings.Cut(limit, "/")
		n, err := strconv.Atoi(requests)
		per, perr := time.ParseDuration(period)
		if !ok || !ok2 || group == "" || err != nil || perr != nil || n <= 0 || per <= 0 {
			return nil, fmt.Errorf("pcsim: rate limit %q: want group=requests/period, e.g. customers=500/1m", entry)
		}
		limits[group] = RateLimit{Requests: n, Per: per}
	}
	return limits, nil
}
