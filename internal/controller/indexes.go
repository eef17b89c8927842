package controller

import (
	"context"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

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

// RequestsWhere lists into list the objects of namespace whose field index
// holds value, as the requests a watch's map function returns: the objects
// that name the one that changed. A failed list (the cache not synced yet,
// an index not registered) wakes nothing and is logged; the objects' own
// resync still comes.
func RequestsWhere(ctx context.Context, c client.Reader, list client.ObjectList, namespace, index, value string) []reconcile.Request {
	if err := c.List(ctx, list, client.InNamespace(namespace), client.MatchingFields{index: value}); err != nil {
		log.FromContext(ctx).Error(err, "listing the objects to wake", "index", index, "value", value)
		return nil
	}
	var requests []reconcile.Request
	_ = meta.EachListItem(list, func(o runtime.Object) error {
		if obj, ok := o.(client.Object); ok {
			requests = append(requests, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(obj)})
		}
		return nil
	})
	return requests
}
