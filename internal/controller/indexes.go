package controller

import (
	"context"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// CustomerRefField indexes MCAAttestations and Subscriptions by the Customer
// they name in spec.customerRef. The attestation and the subscription
// reconcilers both list by it, so a Customer's change wakes exactly its
// objects and a gate reads only its customer's.
const CustomerRefField = "spec.customerRef.name"

// AddIndexes registers the field indexes the reconcilers share, once per
// manager and before any reconciler is set up (as Cluster API's
// index.AddDefaultIndexes). Registered once, an index keeps one set of keys
// per cached object however many reconcilers list by it.
func AddIndexes(ctx context.Context, mgr ctrl.Manager) error {
	for _, obj := range []client.Object{&v1alpha1.MCAAttestation{}, &v1alpha1.Subscription{}} {
		if err := mgr.GetFieldIndexer().IndexField(ctx, obj, CustomerRefField, customerRefOf); err != nil {
			return err
		}
	}
	return nil
}

// customerRefOf is the index function of CustomerRefField.
func customerRefOf(obj client.Object) []string {
	switch o := obj.(type) {
	case *v1alpha1.MCAAttestation:
		return []string{o.Spec.CustomerRef.Name}
	case *v1alpha1.Subscription:
		return []string{o.Spec.CustomerRef.Name}
	}
	return nil
}
