package customer

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// TestInvalidSpecStallsWithoutCallingPartnerCenter covers webhooks switched
// off: the controller runs the same validators and stops in Stalled. External
// is nil, so any Partner Center call would panic.
func TestInvalidSpecStallsWithoutCallingPartnerCenter(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	c := &v1alpha1.Customer{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "contoso", Generation: 1},
		Spec: v1alpha1.CustomerSpec{
			Domain: "contoso", CompanyName: "test", Email: "billing@partner.example",
			Address:        &v1alpha1.Address{AddressLine1: "1 Main St", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
			PrimaryContact: &v1alpha1.Contact{FirstName: "Maria", LastName: "Silva"},
		},
	}
	k8s := fake.NewClientBuilder().WithScheme(scheme).WithObjects(c).WithStatusSubresource(c).Build()
	r := &Reconciler{Client: k8s, Reader: k8s, Reporter: phase.Reporter{Config: config.Operator{Role: config.RoleDirectBill, PartnerDomain: "partner.example"}}}

	result, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: client.ObjectKeyFromObject(c)})
	if err != nil {
		t.Fatal(err)
	}
	if result.RequeueAfter != 0 {
		t.Errorf("a Stalled Customer is requeued after %s; only a spec change should wake it", result.RequeueAfter)
	}
	got := &v1alpha1.Customer{}
	if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(c), got); err != nil {
		t.Fatal(err)
	}
	stalled := status.Get(got, v1alpha1.ConditionStalled)
	if stalled == nil || stalled.Status != metav1.ConditionTrue || stalled.Reason != status.ReasonInvalidSpec.Name {
		t.Fatalf("Stalled = %v, want True/%s", stalled, status.ReasonInvalidSpec.Name)
	}
	for _, want := range []string{"spec.companyName", "C2: ", "spec.email", "C4: "} {
		if !strings.Contains(stalled.Message, want) {
			t.Errorf("the Stalled message %q does not name %q", stalled.Message, want)
		}
	}
	if len(got.Finalizers) != 0 {
		t.Errorf("a finalizer was added although nothing was created: %v", got.Finalizers)
	}
}
