package mcaattestation

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

func TestACustomerUpdateWakesItsAttestationsOnlyWhenWhatTheyReadChanged(t *testing.T) {
	cases := []struct {
		reason string
		change func(*v1alpha1.Customer)
		wakes  bool
	}{
		{"the customer ID appears (M4)", func(c *v1alpha1.Customer) { c.Status.CustomerID = "c-1" }, true},
		{"the credentials Secret is named (M7)", func(c *v1alpha1.Customer) { c.Status.CredentialsSecretName = "contoso-admin" }, true},
		{"the relationship request URL appears (M8)", func(c *v1alpha1.Customer) { c.Status.RelationshipRequestURL = "https://example.test/req" }, true},
		{"the Customer is being deleted", func(c *v1alpha1.Customer) { c.DeletionTimestamp = &metav1.Time{Time: testNow} }, true},
		{"verification moves", func(c *v1alpha1.Customer) { c.Status.VerificationStatus = "Allowed" }, false},
		{"the mirrored agreement moves", func(c *v1alpha1.Customer) { c.Status.AgreementStatus = v1alpha1.AgreementProvided }, false},
		{"Ready flips", func(c *v1alpha1.Customer) {
			status.Report(c, status.Outcome{Ready: true, Reason: status.ReasonSucceeded, Message: "ok"})
		}, false},
		{"the create intent is written", func(c *v1alpha1.Customer) {
			c.Annotations = map[string]string{"partnercenter.csp.dev/create-request-id": "r-1"}
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.reason, func(t *testing.T) {
			before := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Name: "contoso", Generation: 1}}
			after := before.DeepCopy()
			tc.change(after)
			if got := customerFactsChanged.Update(event.UpdateEvent{ObjectOld: before, ObjectNew: after}); got != tc.wakes {
				t.Fatalf("wakes the attestations = %v, want %v", got, tc.wakes)
			}
		})
	}
	if !customerFactsChanged.Create(event.CreateEvent{Object: &v1alpha1.Customer{}}) {
		t.Fatal("a Customer that appears must wake the attestations waiting for it (M4)")
	}
}

func TestM9ASubscriptionUpdateWakesItsCustomersAttestationsOnlyWhenItsAgreementHoldChanges(t *testing.T) {
	hold := func(reason string) func(*v1alpha1.Subscription) {
		return func(s *v1alpha1.Subscription) {
			status.MarkTrue(s, v1alpha1.ConditionOrderBlocked, status.Reason{Name: reason}, "S4: blocked")
		}
	}
	cases := []struct {
		reason string
		before func(*v1alpha1.Subscription)
		change func(*v1alpha1.Subscription)
		wakes  bool
	}{
		{"the order is held for want of the agreement (M9)", func(*v1alpha1.Subscription) {}, hold(v1alpha1.ReasonAgreementNotAccepted), true},
		{"the hold is lifted", hold(v1alpha1.ReasonAgreementNotAccepted), func(s *v1alpha1.Subscription) { s.Status.Conditions = nil }, true},
		{"the order is held for another reason", func(*v1alpha1.Subscription) {}, hold(v1alpha1.ReasonCustomerNotApproved), false},
		{"a held subscription's order intent is written", hold(v1alpha1.ReasonAgreementNotAccepted), func(s *v1alpha1.Subscription) {
			s.Annotations = map[string]string{"partnercenter.csp.dev/order-request-id": "r-1"}
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.reason, func(t *testing.T) {
			before := &v1alpha1.Subscription{ObjectMeta: metav1.ObjectMeta{Name: "contoso-m365", Generation: 1}}
			tc.before(before)
			after := before.DeepCopy()
			tc.change(after)
			if got := subscriptionHoldChanged.Update(event.UpdateEvent{ObjectOld: before, ObjectNew: after}); got != tc.wakes {
				t.Fatalf("wakes the attestations = %v, want %v", got, tc.wakes)
			}
		})
	}
}
