package subscription

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// partnershipRefIndex indexes Subscriptions by the ResellerPartnerships they
// name (spec.resellerRef and spec.supportContactRef), so a partnership's
// change wakes exactly the Subscriptions that wait for it (the order gate is
// woken by watches, not polled). Customers and attestations wake theirs
// through controller.CustomerRefField.
const partnershipRefIndex = "subscription.spec.partnershipRefs"

// indexPartnershipRefs is the field index function for partnershipRefIndex.
func indexPartnershipRefs(obj client.Object) []string {
	s, ok := obj.(*v1alpha1.Subscription)
	if !ok {
		return nil
	}
	var names []string
	for _, ref := range []*v1alpha1.LocalObjectReference{s.Spec.ResellerRef, s.Spec.SupportContactRef} {
		if ref != nil {
			names = append(names, ref.Name)
		}
	}
	return names
}

// The order gate reads of its Customer the status (customer ID, Verified,
// AgreementAccepted) and the generation its Verified condition must be for
// (C10), and of an MCAAttestation whether it is Accepted (M10) and the
// customer it names (ResellerPartnerships: controller.PartnershipChanged).
// Their other writes (the Customer's finalizer and create intent, the
// attestation's MS-RequestId and WaitingForCustomer) concern no Subscription.
var (
	customerGateReadsChanged    = controller.SpecOrStatusChanged(func(c *v1alpha1.Customer) v1alpha1.CustomerStatus { return c.Status })
	attestationGateReadsChanged = controller.SpecOrStatusChanged(func(a *v1alpha1.MCAAttestation) bool {
		return status.IsTrue(a, v1alpha1.ConditionAccepted)
	})
)

// subscriptionsOfCustomer wakes the Subscriptions of a Customer: they wait
// for it to exist, to be Approved (C10) or to confirm the MCA (M10), and hold
// changes while it is verified again (S5).
func (r *Reconciler) subscriptionsOfCustomer(ctx context.Context, obj client.Object) []reconcile.Request {
	return r.subscriptionsWhere(ctx, obj.GetNamespace(), controller.CustomerRefField, obj.GetName())
}

// subscriptionsOfAttestation wakes the Subscriptions of the customer an
// MCAAttestation names: they wait for its acceptance (M10).
func (r *Reconciler) subscriptionsOfAttestation(ctx context.Context, obj client.Object) []reconcile.Request {
	a, ok := obj.(*v1alpha1.MCAAttestation)
	if !ok {
		return nil
	}
	return r.subscriptionsWhere(ctx, a.Namespace, controller.CustomerRefField, a.Spec.CustomerRef.Name)
}

// subscriptionsOfPartnership wakes the Subscriptions naming a
// ResellerPartnership: they wait for it to be Active (R1, R3).
func (r *Reconciler) subscriptionsOfPartnership(ctx context.Context, obj client.Object) []reconcile.Request {
	return r.subscriptionsWhere(ctx, obj.GetNamespace(), partnershipRefIndex, obj.GetName())
}

// subscriptionsWhere lists the Subscriptions whose index field holds value.
func (r *Reconciler) subscriptionsWhere(ctx context.Context, namespace, index, value string) []reconcile.Request {
	return controller.RequestsWhere(ctx, r.Client, &v1alpha1.SubscriptionList{}, namespace, index, value)
}
