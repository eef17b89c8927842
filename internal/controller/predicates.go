package controller

import (
	"k8s.io/apimachinery/pkg/api/equality"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
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
