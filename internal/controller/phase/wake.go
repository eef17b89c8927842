package phase

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
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
//
// What the woken pass observed in Partner Center lately stays known
// (SyncCache.Recent): the change was in the cluster.
func (s *SyncCache) Wake(objectsOf func(context.Context, client.Object) []reconcile.Request) handler.EventHandler {
	return wakeWith(s.Forget, objectsOf)
}

// WakeChanged is Wake for a change made in Partner Center (the change feed
// names the objects): the woken pass reads everything again.
func (s *SyncCache) WakeChanged(objectsOf func(context.Context, client.Object) []reconcile.Request) handler.EventHandler {
	return wakeWith(s.ForgetObserved, objectsOf)
}

// wakeWith enqueues the objects objectsOf names, forgetting each first.
func wakeWith(forget func(types.NamespacedName), objectsOf func(context.Context, client.Object) []reconcile.Request) handler.EventHandler {
	return handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, obj client.Object) []reconcile.Request {
		requests := objectsOf(ctx, obj)
		for _, req := range requests {
			forget(req.NamespacedName)
		}
		return requests
	})
}
