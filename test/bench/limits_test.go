package main

import (
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

func TestRateLimitFloorIsDecidedByTheBusiestGroup(t *testing.T) {
	// 1,000 onboardings: 3,000 customer calls at 500/min take 360 s; 1,000 orders 120 s.
	seconds, group := rateLimitFloor(1000, pcsim.DocumentedRateLimits())
	if seconds != 360 || group != pcsim.RateGroupCustomers {
		t.Fatalf("floor %v s (%s), want 360 s (customers)", seconds, group)
	}
	if seconds, _ := rateLimitFloor(1000, map[string]pcsim.RateLimit{pcsim.RateGroupOrders: {Requests: 100, Per: time.Minute}}); seconds != 600 {
		t.Fatalf("orders-only floor %v s, want 600 s", seconds)
	}
}
