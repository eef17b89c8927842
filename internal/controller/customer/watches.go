package customer

import (
	"context"

	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/status"
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
	requests := controller.RequestsWhere(ctx, r.Client, &v1alpha1.CustomerList{}, obj.GetNamespace(), resellerRefIndex, obj.GetName())
	for _, req := range requests {
		r.synced.Forget(req.NamespacedName)
	}
	return requests
}

// attestationUpdated wakes the Customer an MCAAttestation names when what the
// attestation reports about the agreement changed, the only thing a Customer
// takes from it (M6): its intent annotation, its creation or its deletion
// change nothing in Partner Center. A settled Customer observes only the
// agreement again (agreementOnly), taking the attestation's confirmation
// when Partner Center gave one. Only the new object is looked at (a map
// function would see the old one too, and wake the Customer for it first).
func (r *Reconciler) attestationUpdated(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
	old, okOld := e.ObjectOld.(*v1alpha1.MCAAttestation)
	a, ok := e.ObjectNew.(*v1alpha1.MCAAttestation)
	if !okOld || !ok || a.Spec.CustomerRef.Name == "" || !agreementReportChanged(old, a) {
		return
	}
	key := client.ObjectKey{Namespace: a.Namespace, Name: a.Spec.CustomerRef.Name}
	c := &v1alpha1.Customer{}
	if r.Client.Get(ctx, key, c) == nil {
		if _, settled := r.synced.Fresh(c, r.Config.Now(), r.Resync()); settled {
			r.agreementOnly.Store(key, agreementWake{generation: c.Generation, confirmedBy: confirmedAttestation(a)})
		}
	}
	r.synced.Forget(key)
	q.Add(reconcile.Request{NamespacedName: key})
}

// agreementReportChanged tells whether an MCAAttestation update changed what
// it reports about the agreement.
func agreementReportChanged(old, cur *v1alpha1.MCAAttestation) bool {
	return old.Status.AgreementStatus != cur.Status.AgreementStatus || confirmedAttestation(old) != confirmedAttestation(cur)
}

// confirmedAttestation is the attestation's name when Partner Center
// confirmed its agreement (it is Accepted and reports Provided), else "".
func confirmedAttestation(a *v1alpha1.MCAAttestation) string {
	if a.Status.AgreementStatus != v1alpha1.AgreementProvided || !status.IsTrue(a, v1alpha1.ConditionAccepted) {
		return ""
	}
	return a.Name
}
