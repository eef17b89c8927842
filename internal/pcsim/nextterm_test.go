package pcsim

import (
	"encoding/json"
	"net/http"
	"testing"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// TestScheduledChangesSampleIsAnsweredAsDocumented PATCHes the documented
// scheduled-changes shape onto a live subscription: 200 with the
// instructions kept (every key of the sample), applied at the renewal;
// an immediate change made before deletes them; without auto-renew they are refused.
func TestScheduledChangesSampleIsAnsweredAsDocumented(t *testing.T) {
	var patch pc.Subscription
	if err := json.Unmarshal(sample(t, "subscription_scheduled_changes_patch.json"), &patch); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		autoRenew   bool
		thenSeats   int // an immediate change before the renewal (0: none)
		wantStatus  int
		wantRenewed int // quantity after the renewal
	}{
		{"scheduled, applied at renewal", true, 0, http.StatusOK, 6},
		{"deleted by an immediate change", true, 12, http.StatusOK, 12},
		{"refused without auto-renew", false, 0, http.StatusBadRequest, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Config{DirectSignDelay: -1})
			c, sub := activeSubscription(t, h, "scheduled.onmicrosoft.com")
			path := "/v1/customers/" + c.ID + "/subscriptions/" + sub.ID
			sub.Quantity, sub.AutoRenewEnabled, sub.ScheduledNextTermInstructions = 10, tt.autoRenew, patch.ScheduledNextTermInstructions
			rec := h.do(h.appOnly, http.MethodPatch, path, sub)
			h.expect(rec, tt.wantStatus, "")
			if tt.wantStatus != http.StatusOK {
				return
			}
			var answered map[string]json.RawMessage
			h.decodeInto(rec, &answered)
			var instructions map[string]any
			if err := json.Unmarshal(answered["scheduledNextTermInstructions"], &instructions); err != nil || instructions["quantity"] != float64(6) || instructions["product"].(map[string]any)["termDuration"] != "P1Y" {
				t.Fatalf("answer keeps no instructions: %s", rec.Body)
			}
			h.decodeInto(rec, &sub)
			if tt.thenSeats > 0 {
				sub.Quantity = tt.thenSeats
				h.decodeInto(h.do(h.appOnly, http.MethodPatch, path, sub), &sub)
				if sub.ScheduledNextTermInstructions != nil {
					t.Fatalf("an immediate change kept the scheduled ones")
				}
			}
			end, _ := pc.ParseTime(sub.CommitmentEndDate)
			h.clock.Advance(end.Sub(h.clock.Now()))
			var renewed pc.Subscription
			h.decodeInto(h.do(h.appOnly, http.MethodGet, path, nil), &renewed)
			if renewed.Quantity != tt.wantRenewed || renewed.ScheduledNextTermInstructions != nil {
				t.Errorf("after the renewal: %d seats, instructions %+v; want %d and none", renewed.Quantity, renewed.ScheduledNextTermInstructions, tt.wantRenewed)
			}
		})
	}
}
