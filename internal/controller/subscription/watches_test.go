package subscription

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// watchedUpdate is one update a watch sees: the Subscription watch's predicate and the
// object before and after.
type watchedUpdate func() (predicate.Funcs, client.Object, client.Object)

func TestS4ACustomerOrAttestationUpdateWakesItsSubscriptionsOnlyWhenTheGateReadsIt(t *testing.T) {
	now := metav1.NewTime(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	customerChange := func(change func(*v1alpha1.Customer)) (predicate.Funcs, client.Object, client.Object) {
		before := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Name: "contoso", Generation: 1}}
		after := before.DeepCopy()
		change(after)
		return customerGateReadsChanged, before, after
	}
	attestationChange := func(change func(*v1alpha1.MCAAttestation)) (predicate.Funcs, client.Object, client.Object) {
		before := &v1alpha1.MCAAttestation{ObjectMeta: metav1.ObjectMeta{Name: "contoso-mca", Generation: 1}}
		after := before.DeepCopy()
		change(after)
		return attestationGateReadsChanged, before, after
	}
	cases := []struct {
		reason string
		update watchedUpdate
		wakes  bool
	}{
		{"the Customer's finalizer and create intent are written", func() (predicate.Funcs, client.Object, client.Object) {
			return customerChange(func(c *v1alpha1.Customer) {
				c.Finalizers = []string{v1alpha1.Finalizer}
				c.Annotations = map[string]string{customer.AnnotationCreateRequestID: "r-1"}
			})
		}, false},
		{"the customer ID appears (S4)", func() (predicate.Funcs, client.Object, client.Object) {
			return customerChange(func(c *v1alpha1.Customer) { c.Status.CustomerID = "c-1" })
		}, true},
		{"the Customer is verified (C10)", func() (predicate.Funcs, client.Object, client.Object) {
			return customerChange(func(c *v1alpha1.Customer) {
				c.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionVerified, Status: metav1.ConditionTrue, ObservedGeneration: 1, LastTransitionTime: now}}
			})
		}, true},
		{"the Customer's billing information changes (its Verified is then for an older spec, C10)", func() (predicate.Funcs, client.Object, client.Object) {
			return customerChange(func(c *v1alpha1.Customer) { c.Generation = 2 })
		}, true},
		{"the Customer is being deleted", func() (predicate.Funcs, client.Object, client.Object) {
			return customerChange(func(c *v1alpha1.Customer) { c.DeletionTimestamp = &now })
		}, true},
		{"the attestation's MS-RequestId is written", func() (predicate.Funcs, client.Object, client.Object) {
			return attestationChange(func(a *v1alpha1.MCAAttestation) {
				a.Annotations = map[string]string{mcaattestation.AnnotationAttestRequestID: "r-2"}
			})
		}, false},
		{"the attestation waits for its customer (M4)", func() (predicate.Funcs, client.Object, client.Object) {
			return attestationChange(func(a *v1alpha1.MCAAttestation) {
				status.Report(a, status.Outcome{Reason: mcaattestation.ReasonWaitingForCustomer, Message: "waiting"})
			})
		}, false},
		{"the attestation is accepted (M10)", func() (predicate.Funcs, client.Object, client.Object) {
			return attestationChange(func(a *v1alpha1.MCAAttestation) {
				status.MarkTrue(a, v1alpha1.ConditionAccepted, status.ReasonSucceeded, "accepted")
			})
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.reason, func(t *testing.T) {
			wakes, before, after := tc.update()
			if got := wakes.Update(event.UpdateEvent{ObjectOld: before, ObjectNew: after}); got != tc.wakes {
				t.Fatalf("wakes the Subscriptions = %v, want %v", got, tc.wakes)
			}
		})
	}
}
