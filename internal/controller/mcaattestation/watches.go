package mcaattestation

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
)

// attestationsOfCustomer wakes the attestations of a Customer: they wait for
// its customer ID (M4) and read its credentials Secret name (M7).
func (r *Reconciler) attestationsOfCustomer(ctx context.Context, obj client.Object) []reconcile.Request {
	return r.attestationsNaming(ctx, obj.GetNamespace(), obj.GetName())
}

// customerFactsChanged lets through only the Customer updates that change
// what an attestation reads of its Customer (customerFacts). The Customer's
// other status writes (verification, the agreement it mirrors, Ready) would
// wake its attestations for nothing; creates and deletes always pass.
var customerFactsChanged = controller.UpdatesChanging(customerFactsOf)

// customerFacts is what an attestation reads of its Customer: the customer
// ID it waits for (M4), the credentials Secret and invitation it publishes
// (M7, M8), the existing tenant that decides which invitation (M8, M9); and
// whether the Customer is going away, so its attestations look at it once
// more before it is gone.
type customerFacts struct {
	CustomerID, CredentialsSecret, RelationshipURL, ExistingTenant string
	Deleting                                                       bool
}

// customerFactsOf reads the customerFacts of c.
func customerFactsOf(c *v1alpha1.Customer) any {
	return customerFacts{
		CustomerID: c.Status.CustomerID, CredentialsSecret: c.Status.CredentialsSecretName,
		RelationshipURL: c.Status.RelationshipRequestURL, ExistingTenant: c.Spec.ExistingCustomerTenantID,
		Deleting: !c.DeletionTimestamp.IsZero(),
	}
}

// subscriptionHoldChanged lets through the Subscription updates that put an
// order on hold for want of the agreement or lift that hold (M9); the
// Subscription's other writes concern no attestation.
var subscriptionHoldChanged = controller.UpdatesChanging(func(s *v1alpha1.Subscription) any { return heldForAgreement(s) })

// attestationsOfSubscription wakes the attestations of a Subscription's
// customer when its order is held for want of the agreement: that ends a
// direct-acceptance wait for an existing customer (M9). Other Subscription
// changes concern no attestation.
func (r *Reconciler) attestationsOfSubscription(ctx context.Context, obj client.Object) []reconcile.Request {
	s, ok := obj.(*v1alpha1.Subscription)
	if !ok || !heldForAgreement(s) {
		return nil
	}
	return r.attestationsNaming(ctx, s.Namespace, s.Spec.CustomerRef.Name)
}

// attestationsNaming lists the attestations whose customerRef names customer.
func (r *Reconciler) attestationsNaming(ctx context.Context, namespace, customer string) []reconcile.Request {
	return controller.RequestsWhere(ctx, r.Client, &v1alpha1.MCAAttestationList{}, namespace, controller.CustomerRefField, customer)
}
