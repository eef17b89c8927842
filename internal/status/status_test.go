package status

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

func newCustomer(generation int64) *v1alpha1.Customer {
	return &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Name: "c", Generation: generation}}
}

func TestReportSetsReadyReconcilingStalled(t *testing.T) {
	waiting := Reason{Name: "WaitingForVerification", Class: RetrySlow}
	badAddress := Reason{Name: "AddressRejected", Class: NeedsUser}
	done := Reason{Name: "Ready", Class: Settled}
	cases := []struct {
		reason                      string
		outcome                     Outcome
		ready, reconciling, stalled metav1.ConditionStatus
	}{
		{"ready object is neither reconciling nor stalled", Outcome{Ready: true, Reason: done, Message: "ok"},
			metav1.ConditionTrue, metav1.ConditionFalse, metav1.ConditionFalse},
		{"waiting on Partner Center is in progress, not stalled", Outcome{Reason: waiting, Message: "under review"},
			metav1.ConditionFalse, metav1.ConditionTrue, metav1.ConditionFalse},
		{"only a person can help: stalled", Outcome{Reason: badAddress, Message: "pick a suggestion"},
			metav1.ConditionFalse, metav1.ConditionFalse, metav1.ConditionTrue},
	}
	for _, tc := range cases {
		t.Run(tc.reason, func(t *testing.T) {
			c := newCustomer(3)
			Report(c, tc.outcome)
			for condType, want := range map[string]metav1.ConditionStatus{
				v1alpha1.ConditionReady: tc.ready, v1alpha1.ConditionReconciling: tc.reconciling, v1alpha1.ConditionStalled: tc.stalled,
			} {
				got := Get(c, condType)
				if got == nil || got.Status != want {
					t.Fatalf("%s = %v, want %s", condType, got, want)
				}
				if got.ObservedGeneration != 3 {
					t.Errorf("%s observedGeneration = %d, want 3", condType, got.ObservedGeneration)
				}
			}
			if c.Status.ObservedGeneration != 3 {
				t.Errorf("status.observedGeneration = %d, want 3", c.Status.ObservedGeneration)
			}
			if r := Get(c, v1alpha1.ConditionReady); r.Reason != tc.outcome.Reason.Name || r.Message != tc.outcome.Message {
				t.Errorf("Ready carries %q/%q, want %q/%q", r.Reason, r.Message, tc.outcome.Reason.Name, tc.outcome.Message)
			}
		})
	}
}

func TestInitializeReadyOnlyOnFirstVisit(t *testing.T) {
	c := newCustomer(1)
	InitializeReady(c)
	if got := Get(c, v1alpha1.ConditionReady); got == nil || got.Status != metav1.ConditionUnknown {
		t.Fatalf("first visit: Ready = %v, want Unknown", got)
	}
	Report(c, Outcome{Ready: true, Reason: ReasonSucceeded})
	InitializeReady(c)
	if got := Get(c, v1alpha1.ConditionReady); got.Status != metav1.ConditionTrue {
		t.Fatalf("a later visit reset Ready to %s", got.Status)
	}
}

func TestPatcherSeesOnlyStatusChanges(t *testing.T) {
	stamp := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		reason  string
		mutate  func(*v1alpha1.Customer)
		changed bool
	}{
		{"metadata churn is not a status change", func(c *v1alpha1.Customer) { c.ResourceVersion = "42" }, false},
		{"re-reporting the same outcome is not a change", func(c *v1alpha1.Customer) {
			Report(c, Outcome{Ready: true, Reason: ReasonSucceeded, Message: "ok"})
		}, false},
		{"an empty list where there was none is not a change", func(c *v1alpha1.Customer) {
			c.Status.AddressValidation.SuggestedAddresses = []v1alpha1.SuggestedAddress{}
		}, false},
		{"a time that differs below the second, as stored, is not a change", func(c *v1alpha1.Customer) {
			c.Status.Conditions[0].LastTransitionTime = metav1.Time{Time: stamp.Add(400 * time.Millisecond)}
		}, false},
		{"a time a second later is a change", func(c *v1alpha1.Customer) {
			c.Status.Conditions[0].LastTransitionTime = metav1.Time{Time: stamp.Add(time.Second)}
		}, true},
		{"a status field change is seen", func(c *v1alpha1.Customer) { c.Status.VerificationStatus = "Allowed" }, true},
		{"a condition message change is seen", func(c *v1alpha1.Customer) {
			Report(c, Outcome{Ready: true, Reason: ReasonSucceeded, Message: "still ok"})
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.reason, func(t *testing.T) {
			c := newCustomer(1)
			c.Status.AddressValidation = &v1alpha1.AddressValidation{Status: "Verified"}
			Report(c, Outcome{Ready: true, Reason: ReasonSucceeded, Message: "ok"})
			c.Status.Conditions[0].LastTransitionTime = metav1.Time{Time: stamp}
			p := NewPatcher(nil, c)
			tc.mutate(c)
			if got := p.Changed(c); got != tc.changed {
				t.Fatalf("Changed = %v, want %v", got, tc.changed)
			}
		})
	}
}

func TestRequeueAfterByClass(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	resync := time.Hour
	cases := []struct {
		reason   string
		class    RetryClass
		since    time.Time
		min, max time.Duration
	}{
		{"fast retries come back in seconds", RetryFast, now, FastDelay * 8 / 10, FastDelay * 12 / 10},
		{"a fresh slow wait polls at the minimum", RetrySlow, now, SlowMinDelay * 8 / 10, SlowMinDelay * 12 / 10},
		{"a long slow wait polls a tenth of the time waited", RetrySlow, now.Add(-time.Hour), 6 * time.Minute * 8 / 10, 6 * time.Minute * 12 / 10},
		{"a very long wait is capped", RetrySlow, now.Add(-30 * 24 * time.Hour), SlowMaxDelay * 8 / 10, SlowMaxDelay * 12 / 10},
		{"settled objects resync", Settled, now, resync * 8 / 10, resync * 12 / 10},
		{"stalled objects are not polled", NeedsUser, now, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.reason, func(t *testing.T) {
			for range 50 {
				got := RequeueAfter(tc.class, tc.since, now, resync)
				if got < tc.min || got > tc.max {
					t.Fatalf("RequeueAfter = %s, want within [%s, %s]", got, tc.min, tc.max)
				}
			}
		})
	}
}
