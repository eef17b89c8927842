package customer

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// indexResellerRef is the field index function for resellerRefIndex.
func indexResellerRef(obj client.Object) []string {
	c, ok := obj.(*v1alpha1.Customer)
	if !ok || c.Spec.IndirectResellerRef == nil {
		return nil
	}
	return []string{c.Spec.IndirectResellerRef.Name}
}

// customersOfPartnership wakes the Customers whose indirectResellerRef names
// the ResellerPartnership (R1, R4: they wait for it to become Active).
func (r *Reconciler) customersOfPartnership(ctx context.Context, obj client.Object) []reconcile.Request {
	var list v1alpha1.CustomerList
	if err := r.Client.List(ctx, &list, client.InNamespace(obj.GetNamespace()), client.MatchingFields{resellerRefIndex: obj.GetName()}); err != nil {
		return nil
	}
	requests := make([]reconcile.Request, 0, len(list.Items))
	for i := range list.Items {
		key := client.ObjectKeyFromObject(&list.Items[i])
		r.synced.Forget(key)
		requests = append(requests, reconcile.Request{NamespacedName: key})
	}
	return requests
}

// customerOfAttestation wakes the Customer an MCAAttestation names, so its
// AgreementAccepted condition follows Partner Center (M6). A settled
// Customer reads only the agreement again (agreementOnly).
func (r *Reconciler) customerOfAttestation(ctx context.Context, obj client.Object) []reconcile.Request {
	a, ok := obj.(*v1alpha1.MCAAttestation)
	if !ok || a.Spec.CustomerRef.Name == "" {
		return nil
	}
	key := client.ObjectKey{Namespace: a.Namespace, Name: a.Spec.CustomerRef.Name}
	c := &v1alpha1.Customer{}
	if r.Client.Get(ctx, key, c) == nil {
		if _, settled := r.synced.Fresh(c, r.Config.Now(), r.Resync()); settled {
			r.agreementOnly.Store(key, c.Generation)
		}
	}
	r.synced.Forget(key)
	return []reconcile.Request{{NamespacedName: key}}
}
