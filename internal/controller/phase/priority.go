package phase

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/handler"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// Work queue priorities (controller-runtime's priority queue, on by default
// in 0.25): a requeue keeps the priority of the request that caused it
// unless the result names one, so every result names one.
var (
	// priorityWaiting is for work a person is waiting for: a new or changed
	// object, a waiting object whose poll is due, a deletion.
	priorityWaiting = 0
	// priorityResync is for the drift check of a settled object; it is the
	// priority controller-runtime gives the objects of its initial list, so
	// a restart does not put every object in front of new work either.
	priorityResync = handler.LowPriority
)

// requeuePriority is the priority of a requeue of an object whose pass ended
// in class: a settled object's next pass is a drift check.
func requeuePriority(class status.RetryClass) *int {
	if class == status.Settled {
		return &priorityResync
	}
	return &priorityWaiting
}

// markDriftCheck marks ctx when the pass over obj is a drift check (obj is
// Ready for its current generation and not going away), so its Partner
// Center reads take only the budget the client leaves to resyncs
// (partnercenter.WithResync) and the writes and user-driven reads keep their share.
func markDriftCheck(ctx context.Context, obj status.Object) context.Context {
	ready := status.Get(obj, v1alpha1.ConditionReady)
	if ready == nil || ready.Status != metav1.ConditionTrue || ready.ObservedGeneration != obj.GetGeneration() || !obj.GetDeletionTimestamp().IsZero() {
		return ctx
	}
	return partnercenter.WithResync(ctx)
}
