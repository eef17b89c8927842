package pcsim

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// expectThrottled asserts a 429 with the given Retry-After seconds, in the header and the
// documented body.
func (h *harness) expectThrottled(path, retryAfter string) {
	h.t.Helper()
	rec := h.do(h.appOnly, http.MethodGet, path, nil)
	h.expect(rec, http.StatusTooManyRequests, "")
	if got := rec.Header().Get(wire.HeaderRetryAfter); got != retryAfter {
		h.t.Fatalf("Retry-After = %q, want %q", got, retryAfter)
	}
	if !strings.Contains(rec.Body.String(), "Try again in "+retryAfter+" seconds") {
		h.t.Fatalf("429 body %s does not name %s seconds", rec.Body.String(), retryAfter)
	}
}

func TestRateLimitBurstThenRefill(t *testing.T) {
	tests := []struct {
		name   string
		limits map[string]RateLimit
		// burst calls pass; the next gets 429 with firstRetryAfter; after refill the bucket
		// admits one call again.
		burst           int
		firstRetryAfter string
		refill          time.Duration
	}{
		// 500/min: a token every 120 ms, so Retry-After rounds up to 1 s.
		{"documented", DocumentedRateLimits(), 500, "1", 120 * time.Millisecond},
		// 5/min: a token every 12 s.
		{"5 per minute", map[string]RateLimit{RateGroupCustomers: {Requests: 5, Per: time.Minute}}, 5, "12", 12 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limitClock := NewSimClock(epoch)
			h := newHarness(t, Config{RateLimits: tt.limits, RateLimitClock: limitClock})
			for i := range tt.burst {
				if rec := h.do(h.appOnly, http.MethodGet, "/v1/customers", nil); rec.Code != http.StatusOK {
					t.Fatalf("call %d of the burst: %d", i+1, rec.Code)
				}
			}
			h.expectThrottled("/v1/customers", tt.firstRetryAfter)
			// Another group has its own bucket.
			h.expect(h.do(h.appOnly, http.MethodHead, "/v1/domains/free.onmicrosoft.com", nil), http.StatusNotFound, "")

			limitClock.Advance(tt.refill - time.Millisecond)
			h.expectThrottled("/v1/customers", "1")
			limitClock.Advance(time.Millisecond)
			h.expect(h.do(h.appOnly, http.MethodGet, "/v1/customers", nil), http.StatusOK, "")
			h.expectThrottled("/v1/customers", tt.firstRetryAfter)
			if got := h.sim.RateLimitedCalls(); got != 3 {
				t.Fatalf("RateLimitedCalls = %d, want 3", got)
			}
		})
	}
}

func TestRateLimitsOffByDefault(t *testing.T) {
	h := newHarness(t, Config{})
	for i := range 2 * wire.DocumentedLimit.Requests {
		if rec := h.do(h.appOnly, http.MethodGet, "/v1/customers", nil); rec.Code != http.StatusOK {
			t.Fatalf("call %d: %d", i+1, rec.Code)
		}
	}
}

func TestRateLimitGroups(t *testing.T) {
	tests := map[string]string{
		"GET /v1/customers":                                      RateGroupCustomers,
		"POST /v1/customers":                                     RateGroupCustomers,
		"GET /v1/customers/{id}":                                 RateGroupCustomers,
		"PUT /v1/customers/{id}/profiles/billing":                RateGroupCustomers,
		"GET /v1/customers/relationshiprequests":                 RateGroupCustomers,
		"POST /v1/customers/{id}/orders":                         RateGroupOrders,
		"GET /v1/customers/{id}/orders/{orderId}":                RateGroupOrders,
		"PATCH /v1/customers/{id}/subscriptions/{subId}":         "subscriptions",
		"POST /v1/customers/{id}/carts/{cartId}/checkout":        "carts",
		"HEAD /v1/domains/{domain}":                              "domains",
		"GET /v1/auditrecords":                                   "auditrecords",
		"PUT /providers/Microsoft.Billing/billingAccounts/{a}/x": "providers",
	}
	for pattern, want := range tests {
		if got := rateLimitGroup(pattern); got != want {
			t.Errorf("rateLimitGroup(%q) = %q, want %q", pattern, got, want)
		}
	}
}

func TestParseRateLimits(t *testing.T) {
	tests := []struct {
		spec    string
		want    map[string]RateLimit
		wantErr bool
	}{
		{spec: "", want: nil},
		{spec: "documented", want: DocumentedRateLimits()},
		{spec: "customers=500/1m, subscriptions=20/1s", want: map[string]RateLimit{
			RateGroupCustomers: {Requests: 500, Per: time.Minute}, "subscriptions": {Requests: 20, Per: time.Second}}},
		{spec: "customers=500", wantErr: true},
		{spec: "customers=0/1m", wantErr: true},
		{spec: "=5/1m", wantErr: true},
		{spec: "orders=5/soon", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseRateLimits(tt.spec)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseRateLimits(%q) error = %v, want error %t", tt.spec, err, tt.wantErr)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("ParseRateLimits(%q) = %v, want %v", tt.spec, got, tt.want)
		}
		for group, limit := range tt.want {
			if got[group] != limit {
				t.Errorf("ParseRateLimits(%q)[%s] = %v, want %v", tt.spec, group, got[group], limit)
			}
		}
	}
}
