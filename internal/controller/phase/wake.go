package phase

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// Wake is the event handler of a cross-kind watch on something a settled
// object mirrors (the Customer's agreement from its MCAAttestations, its
// reseller from its ResellerPartnership): it enqueues the objects objectsOf
// names for the changed object and forgets them as settled, so their next
// pass is a full one that reads what changed. A watch on something only an
// unsettled object waits for (the Subscription's order gate, the
// MCAAttestation's customer) enqueues with
// handler.EnqueueRequestsFromMapFunc: a settled object stays settled until
// its resync, making no call.
func (s *SyncCache) Wake(objectsOf func(context.Context, client.Object) []reconcile.Request) handler.EventHandler {
	return handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, obj client.Object) []reconcile.Request {
		requests := objectsOf(ctx, obj)
		for _, req := range requests {
			s.Forget(req.NamespacedName)
		}
		return requests
	})
}
