package wire

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RateLimit is one token bucket: Requests per Per. The simulator enforces it per partner
// tenant and operation group; the client paces itself by the same model.
type RateLimit struct {
	Requests int
	Per      time.Duration
}

// Operation groups: Partner Center meters each partner tenant per resource.
const (
	// RateGroupCustomers is the Customer resource: /v1/customers and everything under a
	// customer except its orders, carts and subscriptions.
	RateGroupCustomers = "customers"
	// RateGroupOrders is /v1/customers/{id}/orders[/...].
	RateGroupOrders = "orders"
)

// DocumentedLimit is the one number Partner Center publishes: 500 requests a minute per
// partner tenant on the Customer resource.
var DocumentedLimit = RateLimit{Requests: 500, Per: time.Minute}

// DocumentedRateLimits are Partner Center's limits as documented: 500/min per tenant on
// customers and on orders. Choice: orders are enforced with no published number; they get
// the customers' number.
func DocumentedRateLimits() map[string]RateLimit {
	return map[string]RateLimit{RateGroupCustomers: DocumentedLimit, RateGroupOrders: DocumentedLimit}
}

// customerSubresourceGroups are the resources under a customer metered apart from it.
var customerSubresourceGroups = []string{RateGroupOrders, "carts", "subscriptions"}

// OperationGroup is the group of a request path ("/v1/customers/{id}/orders" → "orders").
// Choice: the documents key limits by resource, not by path; the resource is taken from the
// path: a customer's orders, carts and subscriptions are their own groups, everything else
// under /v1/customers is "customers", and any other path is named by its first segment
// after /v1 ("domains", "auditrecords", ...; ARM: "providers").
func OperationGroup(path string) string {
	segments := strings.Split(strings.TrimPrefix(strings.TrimPrefix(path, "/"), "v1/"), "/")
	if segments[0] == RateGroupCustomers && len(segments) > 2 && slices.Contains(customerSubresourceGroups, segments[2]) {
		return segments[2]
	}
	return segments[0]
}

// ParseRateLimits reads a rate-limit flag: "" (none), "documented" (DocumentedRateLimits)
// or comma-separated group=requests/period entries, e.g.
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
			return nil, fmt.Errorf("rate limit %q: want group=requests/period, e.g. customers=500/1m", entry)
		}
		limits[group] = RateLimit{Requests: n, Per: per}
	}
	return limits, nil
}
