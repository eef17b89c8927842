package controller

import (
	"k8s.io/apimachinery/pkg/api/equality"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// UpdatesChanging lets through the updates of a watched kind that change
// what a reconciler of another kind reads of it (readOf, compared
// semantically, so what it returns must have exported fields only), and
// every create, delete and generic event. One kind's writes that another
// does not read (a finalizer, an intent annotation, a status field it
// ignores) then wake nobody: the woken pass would find nothing new and cost
// a reconcile for each object waiting on it.
func UpdatesChanging[T client.Object](readOf func(T) any) predicate.Funcs {
	return predicate.Funcs{UpdateFunc: func(e event.UpdateEvent) bool {
		before, okBefore := e.ObjectOld.(T)
		after, okAfter := e.ObjectNew.(T)
		return !okBefore || !okAfter || !equality.Semantic.DeepEqual(readOf(before), readOf(after))
	}}
}

// SpecOrStatusChanged is UpdatesChanging for a reader of the object's spec
// (its generation), its status (statusOf: the status, or the part of it
// read) and whether it is going away: its metadata-only writes, and the
// labels and annotations GitOps tools set, wake nobody.
func SpecOrStatusChanged[T client.Object, S any](statusOf func(T) S) predicate.Funcs {
	return UpdatesChanging(func(obj T) any {
		return specAndStatus[S]{Generation: obj.GetGeneration(), Deleting: !obj.GetDeletionTimestamp().IsZero(), Status: statusOf(obj)}
	})
}

// specAndStatus is what SpecOrStatusChanged compares (exported fields, for
// equality.Semantic).
type specAndStatus[S any] struct {
	Generation int64
	Deleting   bool
	Status     S
}

// PartnershipChanged lets through the ResellerPartnership updates of spec or
// status, all that the Customers and Subscriptions naming one read of it
// (R1, R3, R4): its labels and annotations would otherwise send each of them
// through a pass, a Customer's a full one with Partner Center reads.
var PartnershipChanged = SpecOrStatusChanged(func(rp *v1alpha1.ResellerPartnership) v1alpha1.ResellerPartnershipStatus {
	return rp.Status
})
