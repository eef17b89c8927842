package pcsim

import (
	"net/http"
	"testing"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// TestS7ExtendedServiceTerm: a subscription bought on or after 2025-04-01
// whose term ends on or after 2026-05-04 without auto-renewal rolls into a
// month-to-month EST unless a term-end Cancel is scheduled; older ones expire.
func TestS7ExtendedServiceTerm(t *testing.T) {
	tests := []struct {
		name       string
		boughtAt   time.Time
		term       string
		cancel     bool
		wantStatus string
	}{
		{"bought 2026, no choice: EST", time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), pc.TermP1Y, false, pc.SubscriptionStatusActive},
		{"bought 2026, cancel at term end: expires", time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), pc.TermP1Y, true, pc.SubscriptionStatusExpired},
		{"bought before 2025-04-01, ends after 2026-05-04: expires (grace period)", time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), pc.TermP3Y, false, pc.SubscriptionStatusExpired},
		{"bought 2025-04, ends before 2026-05-04: expires", time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC), pc.TermP1Y, false, pc.SubscriptionStatusExpired},
		{"bought 2025-04, ends after 2026-05-04: EST", time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC), pc.TermP3Y, false, pc.SubscriptionStatusActive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Config{DirectSignDelay: -1, Clock: NewSimClock(tt.boughtAt)})
			c, sub := activeSubscriptionFor(t, h, "est.onmicrosoft.com", tt.term)
			sub.AutoRenewEnabled = false
			if tt.cancel {
				sub.ScheduledActions = []pc.ScheduledAction{{ScheduleType: pc.ScheduleTypeTermEnd, ActionType: pc.ActionCancel}}
			}
			h.expect(h.do(h.appOnly, http.MethodPatch, "/v1/customers/"+c.ID+"/subscriptions/"+sub.ID, sub), http.StatusOK, "")
			end, _ := pc.ParseTime(sub.CommitmentEndDate)
			h.clock.Advance(end.Sub(h.clock.Now()) + 40*24*time.Hour)
			var after pc.Subscription
			h.decodeInto(h.do(h.appOnly, http.MethodGet, "/v1/customers/"+c.ID+"/subscriptions/"+sub.ID, nil), &after)
			if after.Status != tt.wantStatus {
				t.Fatalf("status %q, want %q", after.Status, tt.wantStatus)
			}
			if tt.wantStatus == pc.SubscriptionStatusActive {
				estEnd, _ := pc.ParseTime(after.CommitmentEndDate)
				if after.TermDuration != pc.TermP1M || !estEnd.After(h.clock.Now()) {
					t.Errorf("EST term %s ending %s", after.TermDuration, after.CommitmentEndDate)
				}
			}
		})
	}
}
