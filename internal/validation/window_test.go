package validation

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// TestS6SeatReductionAndCancellationOnlyInsideTheirWindow: bought 10 seats
// on day 0 (window to day 7), added 2 on day 10 (window to day 17); the
// renewal is on day 365.
func TestS6SeatReductionAndCancellationOnlyInsideTheirWindow(t *testing.T) {
	day0 := time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)
	day := func(n int) time.Time { return day0.Add(time.Duration(n) * 24 * time.Hour) }
	bought := func() *v1alpha1.Subscription {
		return &v1alpha1.Subscription{
			Spec: v1alpha1.SubscriptionSpec{OfferID: "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", Quantity: 12, State: v1alpha1.SubscriptionActive},
			Status: v1alpha1.SubscriptionStatus{
				SubscriptionID: "sub", Quantity: 12, RemoteStatus: "active",
				CancellationAllowedUntil: &metav1.Time{Time: day(7)}, RenewsAt: &metav1.Time{Time: day(365)},
				RefundableSeats: []v1alpha1.RefundableSeats{{Quantity: 10, Until: metav1.Time{Time: day(7)}}, {Quantity: 2, Until: metav1.Time{Time: day(17)}}},
			},
		}
	}
	tests := []struct {
		name     string
		now      time.Time
		change   func(*v1alpha1.Subscription)
		legacy   bool
		wantPath string
		wantText []string
	}{
		{name: "reduce inside the purchase window", now: day(5), change: func(s *v1alpha1.Subscription) { s.Spec.Quantity = 3 }},
		{name: "reduce the seats added mid-term inside their own window", now: day(12), change: func(s *v1alpha1.Subscription) { s.Spec.Quantity = 10 }},
		{name: "reduce more than the mid-term seats after the purchase window", now: day(12), change: func(s *v1alpha1.Subscription) { s.Spec.Quantity = 9 },
			wantPath: "spec.quantity", wantText: []string{"S6", "closed on 2026-11-08T09:30:00Z", "2 seats are returnable", "reductionsAt: Renewal", "renewal on 2027-11-01T09:30:00Z"}},
		{name: "reduce after every window, scheduled for the renewal", now: day(20), change: func(s *v1alpha1.Subscription) {
			s.Spec.Quantity, s.Spec.ReductionsAt = 5, v1alpha1.ReductionsAtRenewal
		}},
		{name: "schedule for a renewal that will not happen", now: day(20), change: func(s *v1alpha1.Subscription) {
			off := false
			s.Spec.Quantity, s.Spec.ReductionsAt, s.Spec.AutoRenew = 5, v1alpha1.ReductionsAtRenewal, &off
		}, wantPath: "spec.reductionsAt", wantText: []string{"S6", "autoRenew true"}},
		{name: "reduce after every window", now: day(20), change: func(s *v1alpha1.Subscription) { s.Spec.Quantity = 11 },
			wantPath: "spec.quantity", wantText: []string{"closed on 2026-11-18T09:30:00Z", "0 seats"}},
		{name: "add seats after every window", now: day(20), change: func(s *v1alpha1.Subscription) { s.Spec.Quantity = 20 }},
		{name: "cancel inside the window", now: day(6), change: func(s *v1alpha1.Subscription) { s.Spec.State = v1alpha1.SubscriptionSuspended }},
		{name: "cancel after the window", now: day(8), change: func(s *v1alpha1.Subscription) { s.Spec.State = v1alpha1.SubscriptionSuspended },
			wantPath: "spec.state", wantText: []string{"S6", "closed on 2026-11-08T09:30:00Z", "after the renewal on 2027-11-01T09:30:00Z", "Extended Service Term"}},
		{name: "a legacy offer has no window", now: day(20), legacy: true, change: func(s *v1alpha1.Subscription) { s.Spec.State = v1alpha1.SubscriptionSuspended }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := bought()
			if tt.legacy {
				old.Spec.OfferID = "031C9E47-4802-4248-838E-778FB1D2CC05"
			}
			next := old.DeepCopy()
			tt.change(next)
			errs := SubscriptionWindow(next, old, tt.now)
			if tt.wantPath == "" {
				if len(errs) != 0 {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			expectOnly(t, errs, tt.wantPath, "S6")
			for _, text := range tt.wantText {
				if !strings.Contains(errs[0].Detail, text) {
					t.Errorf("message %q lacks %q", errs[0].Detail, text)
				}
			}
		})
	}
	if errs := SubscriptionWindow(bought(), nil, day(20)); len(errs) != 0 {
		t.Errorf("a create is not an S6 change: %v", errs)
	}
}

// TestS6DeletionWithPolicyDeleteOnlyInsideTheWindow: deleting with
// deletionPolicy Delete cancels, so it is refused after the window.
func TestS6DeletionWithPolicyDeleteOnlyInsideTheWindow(t *testing.T) {
	until := time.Date(2026, 11, 8, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name       string
		policy     v1alpha1.DeletionPolicy
		management v1alpha1.ManagementPolicy
		now        time.Time
		remote     string
		refused    bool
	}{
		{"Delete inside the window", v1alpha1.DeletionPolicyDelete, "", until.Add(-time.Hour), "active", false},
		{"Delete after the window", v1alpha1.DeletionPolicyDelete, "", until.Add(time.Hour), "active", true},
		{"Orphan after the window", v1alpha1.DeletionPolicyOrphan, "", until.Add(time.Hour), "active", false},
		{"Delete of an expired subscription", v1alpha1.DeletionPolicyDelete, "", until.Add(time.Hour), "expired", false},
		{"Delete of an Observe object (I1: it cancels nothing)", v1alpha1.DeletionPolicyDelete, v1alpha1.ManagementPolicyObserve, until.Add(time.Hour), "active", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &v1alpha1.Subscription{
				Spec:   v1alpha1.SubscriptionSpec{OfferID: "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", Quantity: 1, DeletionPolicy: tt.policy, ManagementPolicy: tt.management},
				Status: v1alpha1.SubscriptionStatus{SubscriptionID: "sub", RemoteStatus: tt.remote, CancellationAllowedUntil: &metav1.Time{Time: until}},
			}
			errs := SubscriptionDeletion(s, tt.now)
			if !tt.refused {
				if len(errs) != 0 {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			expectOnly(t, errs, "spec.deletionPolicy", "S6")
			if !strings.Contains(errs[0].Detail, "closed on 2026-11-08T09:30:00Z") || !strings.Contains(errs[0].Detail, "deletionPolicy: Orphan") {
				t.Errorf("message %q lacks the date or what to do", errs[0].Detail)
			}
		})
	}
}
