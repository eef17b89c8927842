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
