package phase

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

func TestObservingIsTheObservePolicyOnly(t *testing.T) {
	for _, tc := range []struct {
		policy v1alpha1.ManagementPolicy
		want   bool
	}{{"", false}, {v1alpha1.ManagementPolicyManage, false}, {v1alpha1.ManagementPolicyObserve, true}} {
		s := &v1alpha1.Subscription{Spec: v1alpha1.SubscriptionSpec{ManagementPolicy: tc.policy}}
		if got := Observing(s); got != tc.want {
			t.Errorf("Observing(%q) = %t, want %t", tc.policy, got, tc.want)
		}
	}
}

// TestObservedDriftIsQuietWhenUnchanged: the same drift found again by a
// resync keeps Synced's transition time and emits no second event, so the
// status write of an idle Observe object is a no-op.
func TestObservedDriftIsQuietWhenUnchanged(t *testing.T) {
	past := metav1.NewTime(time.Now().Add(-time.Hour).Truncate(time.Second))
	for _, tc := range []struct {
		name      string
		prior     *metav1.Condition
		drift     string
		keepsTime bool
		events    int
	}{
		{"first time: an event, a new transition", nil, "quantity 5 → 8", false, 1},
		{"the same drift again: no event, the same transition", &metav1.Condition{Status: metav1.ConditionFalse, Reason: status.ReasonDriftObserved.Name}, "quantity 5 → 8", true, 0},
		{"another drift: an event", &metav1.Condition{Status: metav1.ConditionFalse, Reason: status.ReasonDriftObserved.Name}, "quantity 5 → 9", false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &v1alpha1.Subscription{}
			rec := events.NewFakeRecorder(10)
			r := Reporter{Recorder: rec}
			if tc.prior != nil {
				prior := *tc.prior
				prior.Type, prior.LastTransitionTime = v1alpha1.ConditionSynced, past
				prior.Message = ObservedDriftMessage("quantity 5 → 8")
				s.Status.Conditions = []metav1.Condition{prior}
			}
			p := &Pass{}
			p.ObservedDrift(tc.drift)
			// Finish writes Synced for the pass, then the drift over it.
			if _, err := r.finish(s, nil, nil, status.Outcome{Ready: true, Reason: status.ReasonSucceeded}, p); err != nil {
				t.Fatal(err)
			}
			got := status.Get(s, v1alpha1.ConditionSynced)
			if got.Status != metav1.ConditionFalse || got.Reason != status.ReasonDriftObserved.Name {
				t.Fatalf("Synced = %s %s", got.Status, got.Reason)
			}
			if kept := got.LastTransitionTime.Equal(&past); kept != tc.keepsTime {
				t.Fatalf("transition time kept: %t, want %t", kept, tc.keepsTime)
			}
			if n := len(rec.Events); n != tc.events {
				t.Fatalf("%d events, want %d", n, tc.events)
			}
		})
	}
}
