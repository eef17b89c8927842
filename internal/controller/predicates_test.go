package controller

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// statusOnly is a reader of the Customer's status alone, as another kind's
// reconciler might be.
func statusOnly(c *v1alpha1.Customer) any { return c.Status }

func TestUpdatesChangingWakesOnlyForWhatTheReaderReads(t *testing.T) {
	at := metav1.NewTime(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	cases := []struct {
		name   string
		before client.Object
		change func(*v1alpha1.Customer)
		wakes  bool
	}{
		{"a finalizer is added", &v1alpha1.Customer{}, func(c *v1alpha1.Customer) { c.Finalizers = []string{v1alpha1.Finalizer} }, false},
		{"an annotation is written", &v1alpha1.Customer{}, func(c *v1alpha1.Customer) { c.Annotations = map[string]string{"a": "b"} }, false},
		{"what it reads changes", &v1alpha1.Customer{}, func(c *v1alpha1.Customer) { c.Status.CustomerID = "c-1" }, true},
		{"a condition appears (times compared semantically)", &v1alpha1.Customer{}, func(c *v1alpha1.Customer) {
			c.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionVerified, Status: metav1.ConditionTrue, LastTransitionTime: at}}
		}, true},
		{"the old object is of another kind", &v1alpha1.Subscription{}, func(*v1alpha1.Customer) {}, true},
	}
	wakes := UpdatesChanging(statusOnly)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			after := &v1alpha1.Customer{}
			tc.change(after)
			if got := wakes.Update(event.UpdateEvent{ObjectOld: tc.before, ObjectNew: after}); got != tc.wakes {
				t.Fatalf("wakes = %v, want %v", got, tc.wakes)
			}
		})
	}
	if !wakes.Create(event.CreateEvent{Object: &v1alpha1.Customer{}}) || !wakes.Delete(event.DeleteEvent{Object: &v1alpha1.Customer{}}) {
		t.Fatal("a Customer that appears or goes away must wake whoever reads it")
	}
}

func TestPartnershipChangedWakesOnlyForSpecStatusOrDeletion(t *testing.T) {
	at := metav1.NewTime(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	cases := []struct {
		name   string
		change func(*v1alpha1.ResellerPartnership)
		wakes  bool
	}{
		{"a GitOps tool labels it", func(rp *v1alpha1.ResellerPartnership) {
			rp.Labels = map[string]string{"app.kubernetes.io/instance": "csp"}
		}, false},
		{"an annotation is written", func(rp *v1alpha1.ResellerPartnership) { rp.Annotations = map[string]string{"a": "b"} }, false},
		{"it becomes Active (R1)", func(rp *v1alpha1.ResellerPartnership) { rp.Status.Phase = v1alpha1.PhaseActive }, true},
		{"its spec changes", func(rp *v1alpha1.ResellerPartnership) { rp.Generation = 2 }, true},
		{"it is being deleted", func(rp *v1alpha1.ResellerPartnership) { rp.DeletionTimestamp = &at }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := &v1alpha1.ResellerPartnership{}
			before.Generation = 1
			after := before.DeepCopy()
			tc.change(after)
			if got := PartnershipChanged.Update(event.UpdateEvent{ObjectOld: before, ObjectNew: after}); got != tc.wakes {
				t.Fatalf("wakes = %v, want %v", got, tc.wakes)
			}
		})
	}
}
